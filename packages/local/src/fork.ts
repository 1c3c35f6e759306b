import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LocalLambdaProcessConfig } from './lambda-process.js';

export interface ForkedLambdaStandIn {
  readonly endpoint: string;
  /** With `tls: true`: the certificate's PEM file, for the client's NODE_EXTRA_CA_CERTS. */
  readonly caFile: string | undefined;
  readonly pid: number;
  /** Stops the child process and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts the Lambda stand-in in a separate process (so the caller's CPU and memory figures are its own) and
 * resolves once it listens. Under a TypeScript source tree (tests) the child runs through tsx.
 */
export async function forkLambdaStandIn(
  config: LocalLambdaProcessConfig = { functions: [{ name: 'sample' }] },
  options: { readonly timeoutMs?: number } = {},
): Promise<ForkedLambdaStandIn> {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(new URL(`./lambda-process.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  const child: ChildProcess = fork(script, [], {
    env: { ...process.env, WARMPOOL_LOCAL_LAMBDA: JSON.stringify(config) },
    execArgv: fromSource ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let caFile: string | undefined;
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('Lambda stand-in process did not start in time')),
      options.timeoutMs ?? 15_000,
    );
    child.once('message', (m) => {
      clearTimeout(timer);
      const msg = m as { type?: string; endpoint?: string; caFile?: string };
      caFile = msg.caFile;
      if (msg.type === 'ready' && msg.endpoint) resolve(msg.endpoint);
      else reject(new Error(`unexpected message from the stand-in process: ${JSON.stringify(m)}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Lambda stand-in process exited with code ${code} before it was ready`));
    });
  }).catch(async (e) => {
    child.kill();
    await exited;
    throw e;
  });
  return {
    endpoint,
    caFile,
    pid: child.pid ?? -1,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.disconnect();
        else child.kill('SIGTERM');
      }
      await exited;
    },
  };
}
