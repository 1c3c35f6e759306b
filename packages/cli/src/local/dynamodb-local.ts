import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * DynamoDB Local (the official AWS jar) for `warmpool local` and the e2e harness. The jar ships inside the npm
 * package `amplify-dynamodb-simulator` (folder `emulator/`), which the CLI does not depend on: it is looked for
 * where it is installed (a devDependency of the workspace's test/ package, or any node_modules above the
 * working directory or the CLI), and used only when Java is also on the PATH.
 */
export const DYNAMODB_LOCAL_PACKAGE = 'amplify-dynamodb-simulator';
/** An explicit folder holding DynamoDBLocal.jar, checked before any node_modules. */
export const DYNAMODB_LOCAL_DIR_ENV = 'WARMPOOL_DYNAMODB_LOCAL_DIR';
const JAR = 'DynamoDBLocal.jar';

/** Whether a `java` runtime answers on the PATH (DynamoDB Local is a jar). */
export function javaAvailable(): boolean {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

function emulatorOf(packageDir: string): string | undefined {
  const dir = join(packageDir, 'emulator');
  return existsSync(join(dir, JAR)) ? dir : undefined;
}

/** The package as Node resolves it from `base`, then pnpm's virtual store in each node_modules above `base`. */
function findFrom(base: string): string | undefined {
  try {
    const pkg = createRequire(join(base, 'noop.js')).resolve(`${DYNAMODB_LOCAL_PACKAGE}/package.json`);
    const found = emulatorOf(dirname(pkg));
    if (found) return found;
  } catch {
    // not resolvable from here: the package is a devDependency of another workspace package, or absent
  }
  // A pnpm workspace keeps every package under the root's node_modules/.pnpm, linked only into the packages
  // that declare it (test/ here): look there too, newest version first.
  for (let dir = base; ; dir = dirname(dir)) {
    const store = join(dir, 'node_modules', '.pnpm');
    if (existsSync(store)) {
      const entries = readdirSync(store)
        .filter((e) => e.startsWith(`${DYNAMODB_LOCAL_PACKAGE}@`))
        .sort()
        .reverse();
      for (const e of entries) {
        const found = emulatorOf(join(store, e, 'node_modules', DYNAMODB_LOCAL_PACKAGE));
        if (found) return found;
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The folder holding DynamoDBLocal.jar, or undefined: `$WARMPOOL_DYNAMODB_LOCAL_DIR` when set (and holding the
 * jar), else the first installed copy found from `from` (default: the working directory, then the CLI's own).
 */
export function findDynamoDbLocalJar(
  options: { readonly from?: readonly string[]; readonly env?: NodeJS.ProcessEnv } = {},
): string | undefined {
  const env = options.env ?? process.env;
  const given = env[DYNAMODB_LOCAL_DIR_ENV];
  if (given) return existsSync(join(given, JAR)) ? given : undefined;
  const from = options.from ?? [process.cwd(), fileURLToPath(new URL('.', import.meta.url))];
  for (const base of from) {
    const found = findFrom(base);
    if (found) return found;
  }
  return undefined;
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

export interface RunningDynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** Stops the jar and waits for its process to exit (its port is free then). */
  stop(): Promise<void>;
}

/**
 * Starts the jar in `jarDir` in memory, telemetry off, on `port` (default: a free one) and resolves once it
 * accepts connections. Note: DynamoDB Local has no option to bind one interface, so it listens on all of them.
 */
export async function startDynamoDbLocal(
  jarDir: string,
  options: { readonly port?: number; readonly timeoutMs?: number } = {},
): Promise<RunningDynamoDbLocal> {
  const port = options.port ?? (await freePort());
  if (await canConnect(port)) throw new Error(`port ${port} is already in use`);
  const child: ChildProcess = spawn(
    'java',
    [
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-jar',
      JAR,
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: jarDir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A parent that exits without calling stop() (an uncaught error) must not leave the JVM running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`DynamoDB Local exited early: ${stderr.slice(0, 500)}`);
    }
    if (await canConnect(port)) return { endpoint: `http://127.0.0.1:${port}`, port, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`DynamoDB Local did not listen on ${port} in time: ${stderr.slice(0, 500)}`);
}
