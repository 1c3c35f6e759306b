import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { io } from '../../controller/test/fixtures.js';
import { allLoopback } from '../src/cli/commands/controller-flags.js';
import { localCommand, parseFunctionList, parseLocalArgs } from '../src/cli/commands/local.js';
import { main } from '../src/cli/main.js';
import { freePort } from '../src/local/dynamodb-local.js';
import { chooseLocalStore, LOCAL_STORES } from '../src/local/local-store.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = join(ROOT, 'packages/cli/bin/warmpool.js');

/** Whether something already listens on 127.0.0.1:port (tries to bind it; DynamoDB Local binds all interfaces). */
function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(true));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
  });
}

const portOf = (url: string) => Number(new URL(url).port);

/** N such that N, N+1 and N+2 are free on loopback now. */
async function threeFreePorts(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await freePort();
    if (p <= 65_533 && !(await portTaken(p + 1)) && !(await portTaken(p + 2))) return p;
  }
  throw new Error('no three consecutive free ports found');
}

describe('warmpool local: flags', () => {
  it.each([
    [['--bogus'], /--bogus: is not a flag of warmpool local/],
    [['--json=yes'], /--json: takes no value/],
    [['--functions'], /--functions: needs a value/],
    [['--functions', 'a:b:c'], /--functions: must be a comma-separated list of NAME:QUALIFIER or NAME/],
    [['--functions', 'api:live,'], /--functions: must be a comma-separated list .*got '' in 'api:live,'/],
    [
      ['--functions', 'arn:aws:lambda:us-east-1:123456789012:function:api:live'],
      /--functions: must be a comma-separated list .*a plain function name/,
    ],
    [['--functions', 'api:live,api:live'], /--functions: must list each NAME:QUALIFIER once \(api:live\)/],
    [['--table', 'ab'], /--table: must be 3 to 255 letters, digits/],
    [['--account-concurrency', '0'], /--account-concurrency: must be a whole number from 1 to 100000/],
    [['--account-concurrency', '1.5'], /--account-concurrency: must be a whole number/],
    [['--account-concurrency', '-3'], /--account-concurrency: must be a whole number .*got '-3'/],
    [['--port-base', '80'], /--port-base: must be a whole number from 1024 to 65533/],
    [['--port-base', '65534'], /--port-base: must be a whole number from 1024 to 65533/],
    [['--store', 'postgres'], /--store: must be one of auto, dynamodb-local, embedded/],
    [['--table', 'abc', '--table', 'abd'], /--table: may be given only once/],
  ])('%j: the flag and the rule, exit 2, no stack trace', async (args, message) => {
    expect(() => parseLocalArgs(args)).toThrow(message);
    const c = io();
    expect(await main(['local', ...args], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(message);
    expect(c.err.join('\n')).not.toMatch(/\n\s+at /);
    expect(c.out).toEqual([]);
  });

  it('--help prints the usage and exits 0, starting nothing', async () => {
    const c = io();
    expect(await main(['local', '--help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/usage: warmpool local/);
    expect(c.out.join('\n')).toMatch(/--account-concurrency N/);
  });

  it('groups --functions by name, NAME alone meaning $LATEST; defaults', () => {
    expect(parseFunctionList('a:live,a:v2,b')).toEqual([
      { name: 'a', qualifiers: ['live', 'v2'] },
      { name: 'b', qualifiers: ['$LATEST'] },
    ]);
    expect(parseLocalArgs([])).toEqual({
      functions: [{ name: 'sample', qualifiers: ['live'] }],
      table: 'warmpool-local',
      accountConcurrency: 1_000,
      portBase: undefined,
      store: 'auto',
      json: false,
    });
  });
});

describe('placeholder credentials for tick and decisions', () => {
  it('only when every endpoint the command uses is loopback', () => {
    const local = 'http://127.0.0.1:4566';
    expect(
      allLoopback({ lambda: local, cloudwatch: local, dynamodb: local }, [
        'lambda',
        'cloudwatch',
        'dynamodb',
      ]),
    ).toBe(true);
    expect(allLoopback({ dynamodb: 'http://localhost:8000/' }, ['dynamodb'])).toBe(true);
    // One real AWS service left: its calls need real credentials, so none are made up.
    expect(allLoopback({ lambda: local, dynamodb: local }, ['lambda', 'cloudwatch', 'dynamodb'])).toBe(false);
    expect(allLoopback({ dynamodb: 'https://dynamodb.us-east-1.amazonaws.com' }, ['dynamodb'])).toBe(false);
    expect(allLoopback({ dynamodb: 'http://127.0.0.1.example.com:80' }, ['dynamodb'])).toBe(false);
  });
});

describe('warmpool local: which store', () => {
  const noJar = mkdtempSync(join(tmpdir(), 'warmpool-nojar-'));
  const withJar = mkdtempSync(join(tmpdir(), 'warmpool-jar-'));
  writeFileSync(join(withJar, 'DynamoDBLocal.jar'), '');

  it('DynamoDB Local only when Java and the jar are both present, and says why otherwise', () => {
    const env = (dir: string) => ({ WARMPOOL_DYNAMODB_LOCAL_DIR: dir });
    expect(chooseLocalStore({ env: env(withJar), java: () => true })).toMatchObject({
      kind: LOCAL_STORES.dynamodbLocal,
      jarDir: withJar,
    });
    const noJava = chooseLocalStore({ env: env(withJar), java: () => false });
    expect(noJava.kind).toBe(LOCAL_STORES.embedded);
    expect(noJava.why).toMatch(/no java on the PATH/);
    const jarless = chooseLocalStore({ env: env(noJar), java: () => true });
    expect(jarless.kind).toBe(LOCAL_STORES.embedded);
    expect(jarless.why).toMatch(/no DynamoDB Local jar/);
  });

  it('--store dynamodb-local where it is unavailable: exit 1 with the reason, nothing started', async () => {
    const c = io();
    const run = localCommand({
      until: () => new Promise(() => {}),
      choose: () => chooseLocalStore({ env: { WARMPOOL_DYNAMODB_LOCAL_DIR: noJar }, java: () => false }),
    });
    expect(await run(['--store', 'dynamodb-local'], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/--store dynamodb-local: not available here \(no java on the PATH/);
    expect(c.out).toEqual([]);
  });

  it('--port-base N: Lambda on N, CloudWatch on N+1, the store on N+2, all released at the end', async () => {
    const base = await threeFreePorts();
    let stop: (v: string) => void = () => {};
    const c = io();
    const run = localCommand({ until: () => new Promise<string>((r) => (stop = r)) });
    const done = run(['--store', 'embedded', '--port-base', String(base), '--json'], c.io);
    await vi.waitFor(() => expect(c.out).toHaveLength(1), { timeout: 30_000, interval: 50 });
    expect(JSON.parse(c.out[0] as string)).toEqual({
      lambda: `http://127.0.0.1:${base}`,
      cloudwatch: `http://127.0.0.1:${base + 1}`,
      dynamodb: `http://127.0.0.1:${base + 2}`,
      store: 'embedded',
      table: 'warmpool-local',
    });
    stop('test');
    expect(await done).toBe(0);
    for (const p of [base, base + 1, base + 2]) expect(await portTaken(p)).toBe(false);
  });

  it('a --port-base whose ports are taken: exit 1, and the servers it did start are stopped', async () => {
    const base = await threeFreePorts();
    // CloudWatch's port (N+1) is taken; the store (N+2) and Lambda (N) start first and must be released.
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(base + 1, '127.0.0.1', r));
    try {
      const c = io();
      const run = localCommand({ until: () => new Promise(() => {}) });
      const code = await run(['--store', 'embedded', '--port-base', String(base)], c.io);
      expect(code).toBe(1);
      expect(c.err.join('\n')).toMatch(/warmpool local: could not start: .*EADDRINUSE/);
      expect(c.out).toEqual([]);
      expect(await portTaken(base)).toBe(false);
      expect(await portTaken(base + 2)).toBe(false);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });
});

interface Started {
  readonly child: ChildProcess;
  readonly line: { lambda: string; cloudwatch: string; dynamodb: string; store: string; table: string };
  /** The stdout lines after the first, so far. */
  readonly rest: { readonly lines: string[] };
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Environment of the child processes: no AWS credentials (they sign with placeholders against loopback). */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' };
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
    delete env[k];
  return env;
}

/** Every `warmpool local` process a test started, stopped after each test whatever happened. */
const spawned: { child: ChildProcess; exit: Promise<unknown> }[] = [];

/** `node packages/cli/bin/warmpool.js local ...` as scripts run it: reads its first stdout line. */
async function startLocal(args: readonly string[]): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'local', ...args], {
    cwd: ROOT,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  spawned.push({ child, exit });
  // One listener for every line: readline emits a chunk's lines at once, before an awaiting caller resumes.
  const all: string[] = [];
  const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> });
  const first = await new Promise<string>((resolve, reject) => {
    lines.on('line', (l) => {
      all.push(l);
      if (all.length === 1) resolve(l);
    });
    void exit.then(({ code }) =>
      reject(new Error(`warmpool local exited ${code} before its line: ${stderr}`)),
    );
  });
  const rest = {
    get lines() {
      return all.slice(1);
    },
  };
  return { child, line: JSON.parse(first) as Started['line'], rest, exit };
}

/** Runs one `warmpool` command to completion in its own process. */
function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv() }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function expectPortsFree(line: Started['line']): Promise<void> {
  for (const url of [line.lambda, line.cloudwatch, line.dynamodb]) {
    expect({ url, taken: await portTaken(portOf(url)) }).toEqual({ url, taken: false });
  }
}

describe('warmpool local as a child process, with tick, decisions and probe against it', () => {
  beforeAll(() => {
    // The child runs the built CLI (`pnpm test` builds first).
    if (!existsSync(join(ROOT, 'packages/cli/dist/cli/main.js')))
      throw new Error('packages/cli/dist is missing: run `pnpm build` first');
  });

  afterEach(async () => {
    // A failed assertion (or a start that never printed its line) must not leave a server or a JVM behind:
    // SIGTERM first, so the command stops the DynamoDB Local process it started (SIGKILL would orphan it),
    // SIGKILL only if it does not exit.
    for (const s of spawned.splice(0)) {
      if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
      s.child.kill('SIGTERM');
      const timer = setTimeout(() => s.child.kill('SIGKILL'), 30_000);
      await s.exit;
      clearTimeout(timer);
    }
  }, 60_000);

  it('serves a living account: a tick is recorded and warms, probe reaches N containers; SIGTERM exits 0 and frees the ports', async () => {
    const table = 'warmpool-local-test';
    const running = await startLocal([
      '--json',
      '--functions',
      'api:live,api:v2',
      '--table',
      table,
      '--account-concurrency',
      '50',
    ]);
    const { line } = running;
    // The store is the one this machine offers: DynamoDB Local with Java and the jar, else the embedded store.
    expect(line.store).toBe(chooseLocalStore().kind);
    expect(line.table).toBe(table);
    for (const url of [line.lambda, line.cloudwatch, line.dynamodb])
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const dir = mkdtempSync(join(tmpdir(), 'warmpool-local-'));
    const config = join(dir, 'warmpool.json');
    writeFileSync(config, JSON.stringify({ targets: [{ functionName: 'api', qualifier: 'live', min: 3 }] }));
    const tick = await cli([
      'tick',
      '--config',
      config,
      '--table',
      table,
      '--endpoint-url',
      `lambda=${line.lambda}`,
      '--endpoint-url',
      `cloudwatch=${line.cloudwatch}`,
      '--endpoint-url',
      `dynamodb=${line.dynamodb}`,
      '--json',
    ]);
    expect(tick.stderr).toBe('');
    expect(tick.code).toBe(0);
    const result = JSON.parse(tick.stdout) as {
      metrics: { ok: boolean };
      lostWrites: string[];
      targets: {
        target: string;
        status: string;
        write: string;
        decision: { count: number };
        fanOut: { distinctContainers: number };
      }[];
    };
    expect(result.metrics.ok).toBe(true);
    expect(result.lostWrites).toEqual([]);
    expect(result.targets).toMatchObject([
      { target: 'api:live', status: 'warmed', write: 'recorded', decision: { count: 3 } },
    ]);
    expect(result.targets[0]?.fanOut.distinctContainers).toBe(3);

    const decisions = await cli([
      'decisions',
      '--target',
      'api:live',
      '--table',
      table,
      '--endpoint-url',
      `dynamodb=${line.dynamodb}`,
      '--json',
    ]);
    expect(decisions.code).toBe(0);
    const recorded = JSON.parse(decisions.stdout) as {
      target: string;
      decisions: unknown[];
    };
    expect(recorded.target).toBe('api:live');
    expect(recorded.decisions).toHaveLength(1);
    expect(recorded.decisions[0]).toMatchObject({
      decision: { count: 3 },
      outcome: { status: 'warmed', fanOut: { distinctContainers: 3 } },
    });

    // The other alias has its own containers; probe takes the endpoint as tick does (lambda=URL).
    const probe = await cli([
      'probe',
      '--function',
      'api:v2',
      '--n',
      '4',
      '--endpoint-url',
      `lambda=${line.lambda}`,
      '--json',
    ]);
    expect(probe.code).toBe(0);
    expect(JSON.parse(probe.stdout)).toMatchObject({
      requested: 4,
      distinct_containers: 4,
      new_containers: 4,
      throttled: 0,
      failed: 0,
      unrecognised: 0,
    });

    running.child.kill('SIGTERM');
    expect(await running.exit).toEqual({ code: 0, signal: null });
    expect(running.rest.lines).toEqual([]); // --json: the one line only
    await expectPortsFree(line);
  }, 180_000);

  it('without --json the JSON line still comes first; --account-concurrency caps the account; Ctrl-C exits 0', async () => {
    const running = await startLocal(['--store', 'embedded', '--account-concurrency', '2']);
    const { line } = running;
    expect(line.store).toBe(LOCAL_STORES.embedded);
    expect(line.table).toBe('warmpool-local');
    const probe = await cli([
      'probe',
      '--function',
      'sample:live',
      '--n',
      '4',
      '--hold-ms',
      '300',
      '--endpoint-url',
      line.lambda,
      '--json',
    ]);
    expect(probe.code).toBe(0);
    expect(JSON.parse(probe.stdout)).toMatchObject({
      requested: 4,
      distinct_containers: 2,
      throttled: 2,
      throttle_reasons: { ConcurrentInvocationLimitExceeded: 2 },
    });
    running.child.kill('SIGINT');
    expect(await running.exit).toEqual({ code: 0, signal: null });
    expect(running.rest.lines.join('\n')).toMatch(/warmpool local: a Lambda account on loopback/);
    expect(running.rest.lines.join('\n')).toContain(`--endpoint-url lambda=${line.lambda}`);
    await expectPortsFree(line);
  }, 120_000);
});
