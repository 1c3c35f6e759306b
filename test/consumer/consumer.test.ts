/**
 * Warmpool as a user gets it: every publishable package packed, then installed with npm (not pnpm) into an empty
 * folder outside the workspace, beside the CDK, cdk-nag and TypeScript from the registry, and used there:
 * (a) a CDK app synthesizes offline with cdk-nag; (b) CommonJS and ESM handlers answer a warm ping built by the
 * controller's own fan-out, and run their code for an HTTP event; (c) a typed handler passes `tsc --strict`;
 * (d) `npx warmpool` runs; (e) no native addon or emulator sits under the construct or the helper.
 *
 * Needs the npm registry. The transcript goes to `$WARMPOOL_CONSUMER_TRANSCRIPT` (default: the temp folder).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./app', import.meta.url));
const PUBLISHED = ['warmup', 'core', 'lab', 'controller', 'local', 'cli', 'infra'] as const;
/** What the construct and the helper must never pull in: emulators, the lab, the CLI, native addons. */
const NOT_FOR_DEPLOYMENT = ['dynalite', 'classic-level', 'level', 'amplify-dynamodb-simulator'];
const NOT_OURS_TO_DEPLOY = ['@warmpool/lab', '@warmpool/local', '@warmpool/cli', '@warmpool/controller'];

const REGISTRY_PACKAGES = [
  'aws-cdk-lib@2.276.0',
  'constructs@10.8.1',
  'aws-cdk@2.1148.1',
  'cdk-nag@3.0.2',
  'typescript@5.9.3',
  '@types/aws-lambda@8.10.164',
  '@types/node@20.19.43',
  // The helper's optional peer; 7.x's types also need @aws/durable-execution-sdk-js, which few apps have.
  '@middy/core@6.4.5',
];

let dir = '';
let app = '';
const transcript: string[] = [];

function run(cmd: string, args: readonly string[], cwd = app, env: Record<string, string> = {}): string {
  transcript.push(`$ ${[cmd, ...args].join(' ')}`);
  try {
    const out = execFileSync(cmd, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
      env: {
        ...process.env,
        CDK_DISABLE_CLI_TELEMETRY: 'true',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        npm_config_update_notifier: 'false',
        ...env,
      },
    });
    transcript.push(out.trimEnd());
    return out;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; status?: number };
    transcript.push(`${err.stdout ?? ''}${err.stderr ?? ''}`.trimEnd(), `(exit ${err.status})`);
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${err.status}):\n${err.stdout}\n${err.stderr}`);
  } finally {
    writeFileSync(transcriptPath(), `${transcript.join('\n')}\n`);
  }
}

/** The pnpm that runs the tests (also when started with `npx pnpm@…`, where no `pnpm` is on the PATH). */
function pnpmCommand(): string {
  const execPath = process.env.npm_execpath;
  return execPath && basename(execPath).startsWith('pnpm') && !/\.c?js$/.test(execPath) ? execPath : 'pnpm';
}

function transcriptPath(): string {
  return process.env.WARMPOOL_CONSUMER_TRANSCRIPT ?? join(dir || tmpdir(), 'transcript.txt');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmpool-consumer-'));
  app = join(dir, 'app');
  const tarballs = join(dir, 'tarballs');
  run(pnpmCommand(), ['-r', '--filter', './packages/*', 'pack', '--pack-destination', tarballs], ROOT);
  cpSync(FIXTURE, app, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'warmpool-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  const packed = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
  for (const f of packed) transcript.push(`packed ${f}: ${statSync(join(tarballs, f)).size} bytes`);
  run('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    ...packed.map((f) => join(tarballs, f)),
    ...REGISTRY_PACKAGES,
  ]);
}, 600_000);

describe('installed from the packed tarballs with npm', () => {
  it('installs every publishable package', () => {
    for (const pkg of PUBLISHED)
      expect(existsSync(join(app, 'node_modules/@warmpool', pkg, 'package.json'))).toBe(true);
  });

  it('(a) synthesizes a CDK app with the construct offline, cdk-nag clean, shipping the controller handler', () => {
    expect(run('node', ['cdk-app.mjs'])).toContain('synth: ok');
    // The CDK CLI too, as a user deploys: no account, no notices, no telemetry.
    run('npx', [
      'cdk',
      'synth',
      '--app',
      'node cdk-app.mjs',
      '--no-notices',
      '--quiet',
      '--output',
      'cdk.out.cli',
    ]);
    const assets = readdirSync(join(app, 'cdk.out')).filter((d) => d.startsWith('asset.'));
    const controller = assets
      .map((d) => join(app, 'cdk.out', d, 'index.mjs'))
      .filter((f) => existsSync(f) && readFileSync(f, 'utf8').includes('WARMPOOL_CONFIG'));
    expect(controller).toHaveLength(1);
    // The handler loads and refuses a bad config before any AWS call, naming the field and the rule.
    const out = run(
      'node',
      [
        '--input-type=module',
        '-e',
        `const { handler } = await import(${JSON.stringify(controller[0])});
       try { await handler({}, { getRemainingTimeInMillis: () => 5000 }); console.log('no error'); }
       catch (e) { console.log(e.name + ': ' + e.message); }`,
      ],
      app,
      {
        WARMPOOL_CONFIG: '{"targets":[{"functionName":"api","qualifier":"live","min":9,"max":1}]}',
        WARMPOOL_TABLE: 'decisions',
      },
    );
    expect(out).toContain('ConfigError');
    expect(out).toContain('targets[0].min: must be ≤ max');
  });

  it.each(['handler-cjs.cjs', 'handler-esm.mjs'])(
    '(b) %s answers a warm ping built by the controller, and runs its own code for an HTTP event',
    (file) => {
      const flavour = file.includes('cjs') ? 'cjs' : 'esm';
      const result = JSON.parse(run('node', ['ping.mjs', file]).trim().split('\n').pop() as string);
      expect(result).toMatchObject({
        distinctContainers: 1,
        newContainers: 1,
        unrecognised: 0,
        http: { statusCode: 200, body: `${flavour}:api` },
      });
    },
  );

  it.each([
    ['handler-cjs.cjs', 'cjs'],
    ['handler-esm.mjs', 'esm'],
  ])('(b) %s still answers after esbuild bundles it (%s output)', (file, format) => {
    const out = `bundle-${format}.${format === 'cjs' ? 'cjs' : 'mjs'}`;
    run(join(ROOT, 'node_modules/.bin/esbuild'), [
      file,
      '--bundle',
      '--platform=node',
      `--format=${format}`,
      `--outfile=${out}`,
      '--log-level=warning',
    ]);
    const result = JSON.parse(run('node', ['ping.mjs', out]).trim().split('\n').pop() as string);
    expect(result).toMatchObject({ distinctContainers: 1, unrecognised: 0, http: { statusCode: 200 } });
  });

  it('(c) a handler typed with @types/aws-lambda passes tsc --strict, TypeScript 5.9 and 7', () => {
    expect(run('npx', ['tsc', '--version'])).toContain('5.9.3');
    run('npx', ['tsc', '-p', 'tsconfig.json']);
    run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json']);
  });

  it('(d) npx warmpool --help and a backtest on the shipped trace', () => {
    const help = run('npx', ['warmpool', '--help']);
    for (const cmd of ['backtest', 'decisions', 'demo', 'probe', 'tick']) expect(help).toContain(cmd);
    const trace = 'node_modules/@warmpool/cli/data/traces/azure2019-dev';
    expect(existsSync(join(app, trace, 'ATTRIBUTION.md'))).toBe(true);
    const doc = JSON.parse(
      run('npx', ['warmpool', 'backtest', '--trace', trace, '--functions', 'top:3', '--json']),
    );
    expect(doc.functions).toHaveLength(3);
    expect(doc.policies.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['none', 'warmpool', 'oracle']),
    );
  });

  it('(e) the construct and the helper pull in no native addon, no emulator, no lab, CLI or stand-in', () => {
    // npm's own view of why each of these is installed: only through the CLI and its stand-ins.
    for (const name of NOT_FOR_DEPLOYMENT) {
      if (!existsSync(join(app, 'node_modules', name))) continue;
      const why = JSON.parse(run('npm', ['explain', name, '--json'])) as Explained[];
      for (const chain of why.flatMap(chains)) {
        expect(chain, `${name}: ${chain.join(' <- ')}`).not.toContain('@warmpool/infra');
        expect(chain).not.toContain('@warmpool/warmup');
      }
    }
    const tree = JSON.parse(run('npm', ['ls', '--all', '--json', '--omit=dev'])) as LsNode;
    for (const root of ['@warmpool/infra', '@warmpool/warmup']) {
      const node = tree.dependencies?.[root];
      expect(node, root).toBeDefined();
      const below = descendants(node as LsNode);
      expect(
        below.filter((n) => NOT_FOR_DEPLOYMENT.includes(n) || NOT_OURS_TO_DEPLOY.includes(n)),
        root,
      ).toEqual([]);
      for (const name of below) {
        const pkg = JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8'));
        const native = pkg.gypfile === true || existsSync(join(app, 'node_modules', name, 'binding.gyp'));
        expect(native, `${root} -> ${name} is a native addon`).toBe(false);
      }
    }
    // The helper has no dependencies at all; npm lists only its optional peer, middy, which the app installed.
    const helper = JSON.parse(readFileSync(join(app, 'node_modules/@warmpool/warmup/package.json'), 'utf8'));
    expect(helper.dependencies ?? {}).toEqual({});
    expect(
      descendants(tree.dependencies?.['@warmpool/warmup'] as LsNode).filter((n) => n !== '@middy/core'),
    ).toEqual([]);
  });
});

interface Explained {
  readonly name: string;
  readonly dependents?: readonly { readonly from?: Explained }[];
}
interface LsNode {
  readonly dependencies?: Readonly<Record<string, LsNode>>;
}

/** Every chain `name <- dependent <- …` in `npm explain --json` output. */
function chains(e: Explained): string[][] {
  const froms = (e.dependents ?? [])
    .map((d) => d.from)
    .filter((f): f is Explained => f !== undefined && !!f.name);
  if (froms.length === 0) return [[e.name]];
  return froms.flatMap((f) => chains(f).map((c) => [e.name, ...c]));
}

function descendants(node: LsNode, seen = new Set<string>()): string[] {
  for (const [name, child] of Object.entries(node.dependencies ?? {})) {
    if (seen.has(name)) continue;
    seen.add(name);
    descendants(child, seen);
  }
  return [...seen];
}
