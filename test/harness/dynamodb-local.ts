import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { EmbeddedDynamoStore } from '@warmpool/local';

/** Where amplify-dynamodb-simulator ships the official DynamoDB Local jar (see shared toolchain notes). */
export const DYNAMODB_LOCAL_DIR = fileURLToPath(
  new URL('../node_modules/amplify-dynamodb-simulator/emulator/', import.meta.url),
);

export interface RunningDynamoDbLocal {
  readonly endpoint: string;
  /** Stops the jar if this harness started it (never an endpoint it was given). */
  stop(): Promise<void>;
}

/** Whether a `java` runtime is on the PATH (DynamoDB Local is a jar). */
function hasJava(): boolean {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/** A free loopback port: bind port 0, read it, release it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });
}

/**
 * DynamoDB Local for the e2e tests: the endpoint in WARMPOOL_DYNAMODB_ENDPOINT when set (CI starts one), else
 * the jar started here on a free port (in memory, telemetry off) and stopped by `stop()`; without Java (and
 * outside CI), the embedded store instead, with a notice.
 */
export async function startDynamoDbLocal(env = process.env): Promise<RunningDynamoDbLocal> {
  const given = env.WARMPOOL_DYNAMODB_ENDPOINT;
  if (given) return { endpoint: given, stop: async () => {} };
  if (!hasJava()) {
    // A machine with only Node and npm can still run the suite, against the embedded store (dynalite), which
    // has the same conditional puts, Query and UpdateItem. CI has Java and must test on DynamoDB Local.
    if (env.CI) throw new Error('Java 17 is required in CI: the e2e tests run against DynamoDB Local');
    const store = await EmbeddedDynamoStore.start();
    process.stderr.write(
      `\nwarmpool e2e: no Java found, so the end-to-end tests run against the embedded store (dynalite) at ${store.endpoint}, not DynamoDB Local. Install Java 17 to test against DynamoDB Local.\n\n`,
    );
    return { endpoint: store.endpoint, stop: () => store.stop() };
  }
  if (!existsSync(`${DYNAMODB_LOCAL_DIR}DynamoDBLocal.jar`)) {
    throw new Error(
      `DynamoDB Local jar not found in ${DYNAMODB_LOCAL_DIR} (is amplify-dynamodb-simulator installed?)`,
    );
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    'java',
    [
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-jar',
      'DynamoDBLocal.jar',
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: DYNAMODB_LOCAL_DIR, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited early: ${stderr.slice(0, 500)}`);
    if (await canConnect(port)) return { endpoint: `http://127.0.0.1:${port}`, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`DynamoDB Local did not listen on ${port} within 20 s: ${stderr.slice(0, 500)}`);
}
