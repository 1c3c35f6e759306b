import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ValidationError } from '@warmpool/core';
import type { Trace } from '@warmpool/lab';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BACKTEST_USAGE,
  createBacktestCommand,
  parseBacktestFlags,
  parseDurationS,
} from '../src/cli/commands/backtest.js';
import { main } from '../src/cli/main.js';

const MIN = 60_000;

function trace(): Trace {
  const fn = (id: string, k: number) => ({
    id,
    counts: Array.from({ length: 180 }, (_, m) => (m % 40 < 12 ? k : m % 7 === 0 ? 1 : 0)),
    durations: { p0: 500, p50: 1_500, p100: 4_000 },
  });
  return {
    name: 'cli-fixture',
    format: 'synthetic',
    binSeconds: 60,
    startMs: 0,
    durationMs: 180 * MIN,
    functions: [fn('hot', 80), fn('warm', 20), fn('cold', 2)],
  };
}

/** `realFs`: the command's own report folder and file writing, on disk. */
function harness(overrides: Parameters<typeof createBacktestCommand>[0] = {}, realFs = false) {
  const out: string[] = [];
  const err: string[] = [];
  const files = new Map<string, string>();
  const reads: string[] = [];
  const prepared: string[] = [];
  const fakeFs = {
    writeFile: async (path: string, text: string) => {
      files.set(path, text);
    },
    prepareReport: async (path: string) => {
      prepared.push(path);
    },
  };
  const command = createBacktestCommand({
    readTrace: async (path) => {
      reads.push(path);
      return trace();
    },
    ...(realFs ? {} : fakeFs),
    ...overrides,
  });
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
  return { run: (args: string[]) => command(args, io), out, err, files, reads, prepared };
}

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'warmpool-backtest-'));
  temps.push(dir);
  return dir;
}

describe('warmpool backtest flags', () => {
  it('parses durations with units, and plain seconds', () => {
    expect(parseDurationS('--idle', '10m')).toBe(600);
    expect(parseDurationS('--idle', '90s')).toBe(90);
    expect(parseDurationS('--idle', '1h')).toBe(3600);
    expect(parseDurationS('--idle', '300')).toBe(300);
  });

  it('applies the documented defaults', () => {
    expect(parseBacktestFlags(['--trace', 'x'])).toEqual({
      trace: 'x',
      functions: 'all',
      intervalS: 300,
      idleS: [600],
      seed: 1,
      durationMs: undefined,
      json: false,
      report: undefined,
    });
    expect(parseBacktestFlags(['--trace=x', '--functions', 'top:3', '--idle', '5m,10m,15m']).idleS).toEqual([
      300, 600, 900,
    ]);
    expect(parseBacktestFlags(['--trace', 'x', '--functions', 'a,b']).functions).toEqual(['a', 'b']);
  });

  it.each([
    [['--trace', 'x', '--bogus'], /--bogus: unknown flag/],
    [['--trace', 'x', '--idle', 'ten'], /--idle: must be a duration/],
    [['--trace', 'x', '--interval', '90s'], /--interval: must be whole minutes/],
    [['--trace', 'x', '--seed', '1.5'], /--seed: must be an integer/],
    [
      ['--trace', 'x', '--seed', '99999999999999999999'],
      /--seed: must be an integer from -9007199254740991 to 9007199254740991/,
    ],
    [
      ['--trace', 'x', '--interval', '61m'],
      /--interval: must be at most 60m \(the controller's tickIntervalSeconds/,
    ],
    [['--trace', 'x', '--interval', '2h'], /--interval: must be at most 60m .*\(got 120m\)/],
    [['--trace', 'x', '--duration-ms', '-3'], /--duration-ms: must be a positive number/],
    [['--trace', 'x', '--functions', 'top:0'], /--functions: top:N needs a whole number/],
    [['--trace', 'x', '--report', 'out.png'], /--report: must name an .html file/],
    [['--functions', 'all'], /--trace: is required/],
    [['--trace'], /--trace: needs a value/],
  ])('rejects %j naming the flag and the rule', (args, message) => {
    expect(() => parseBacktestFlags(args)).toThrow(message);
  });
});

describe('warmpool backtest', () => {
  it('prints a table per idle setting with every policy and the ratio to the oracle', async () => {
    const h = harness();
    expect(await h.run(['--trace', 't.csv', '--idle', '5m,15m'])).toBe(0);
    expect(h.reads).toEqual(['t.csv']);
    const text = h.out.join('\n');
    expect(text).toContain('idle 5 min, tick 5 min, 3 function(s)');
    expect(text).toContain('idle 15 min');
    for (const name of [
      'none',
      'ping-one',
      'fixed-1',
      'fixed-p50',
      'fixed-max',
      'reactive',
      'provisioned',
      'warmpool',
      'oracle',
    ]) {
      expect(text).toMatch(new RegExp(`^${name} `, 'm'));
    }
    expect(text).toContain('x oracle');
    expect(text).toMatch(/simulated [\d,]+ invocations\/s/);
  });

  it('--json prints the stable document', async () => {
    const h = harness();
    expect(await h.run(['--trace', 't.csv', '--json', '--functions', 'top:2', '--seed', '7'])).toBe(0);
    const doc = JSON.parse(h.out.join(''));
    expect(doc).toMatchObject({
      trace: 'cli-fixture',
      functions: ['hot', 'warm'],
      seed: 7,
      interval_s: 300,
      idle_s: 600,
    });
    expect(doc.policies.map((p: { name: string }) => p.name)).toContain('warmpool');
  });

  it('--report writes a self-contained HTML page', async () => {
    const h = harness();
    expect(await h.run(['--trace', 't.csv', '--report', 'out.html'])).toBe(0);
    const html = h.files.get('out.html') ?? '';
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script/i);
    expect(h.out.join('\n')).toContain('report written to out.html');
  });

  it('exits 2 with the flag and the rule on bad input, without reading the trace', async () => {
    const h = harness();
    expect(await h.run(['--trace', 't.csv', '--interval', 'soon'])).toBe(2);
    expect(h.err.join('')).toContain('--interval: must be a duration');
    expect(h.reads).toEqual([]);
  });

  it('names an unknown function id', async () => {
    const h = harness();
    expect(await h.run(['--trace', 't.csv', '--functions', 'nope'])).toBe(2);
    expect(h.err.join('')).toMatch(/^warmpool backtest: --functions: must name functions in the trace/);
  });

  it('accepts the largest interval the controller runs at, and states the cap in --help', () => {
    expect(parseBacktestFlags(['--trace', 'x', '--interval', '60m']).intervalS).toBe(3600);
    expect(BACKTEST_USAGE).toMatch(/--interval DURATION .*whole minutes from 1m to 60m/);
  });

  it('rejects --interval above the cap before reading the trace', async () => {
    const h = harness();
    expect(await h.run(['--trace', 't.csv', '--interval', '61m'])).toBe(2);
    expect(h.err.join('')).toContain('--interval: must be at most 60m');
    expect(h.reads).toEqual([]);
  });

  it('turns any Warmpool error during the run into a message and exit 2, not a stack trace', async () => {
    const h = harness({
      readTrace: async () => {
        throw new ConfigError([new ValidationError('tickIntervalSeconds', 'must be ≤ 3600')]);
      },
    });
    expect(await h.run(['--trace', 't.csv'])).toBe(2);
    expect(h.err.join('')).toBe(
      'warmpool backtest: invalid config:\n  - tickIntervalSeconds: must be ≤ 3600',
    );
  });

  it('--report creates its folder before the run and writes the page there', async () => {
    const dir = await tempDir();
    const report = join(dir, 'a', 'b', 'r.html');
    const h = harness({}, true);
    expect(await h.run(['--trace', 't.csv', '--report', report, '--functions', 'top:1'])).toBe(0);
    expect(await readFile(report, 'utf8')).toContain('<svg');
    expect(h.out.join('\n')).toContain(`report written to ${report}`);
  });

  it('--report whose folder cannot be made fails before the run, naming the flag', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'file'), '');
    const h = harness({}, true);
    expect(await h.run(['--trace', 't.csv', '--report', join(dir, 'file', 'r.html')])).toBe(2);
    expect(h.err.join('')).toMatch(
      /^warmpool backtest: --report: must be in a folder that exists or can be created/,
    );
    expect(h.reads).toEqual([]);
    await mkdir(join(dir, 'd.html'));
    const h2 = harness({}, true);
    expect(await h2.run(['--trace', 't.csv', '--report', join(dir, 'd.html')])).toBe(2);
    expect(h2.err.join('')).toContain('--report: must name a file, not a folder');
    expect(h2.reads).toEqual([]);
  });

  it('--report that cannot be written at the end prints the tables, then a clean error naming the flag', async () => {
    const h = harness({
      writeFile: async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    });
    expect(await h.run(['--trace', 't.csv', '--report', 'out.html'])).toBe(1);
    expect(h.prepared).toEqual(['out.html']);
    expect(h.out.join('\n')).toContain('x oracle');
    expect(h.err.join('')).toBe('warmpool backtest: --report: could not be written (out.html: ENOSPC)');
  });
});

describe('warmpool backtest registration', () => {
  it('is registered with the CLI and prints its flags on --help', async () => {
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
    expect(await main(['backtest', '--help'], io)).toBe(0);
    expect(out.join('')).toContain('usage: warmpool backtest --trace PATH');
    out.length = 0;
    expect(await main(['backtest', '-h'], io)).toBe(0);
    expect(out.join('')).toContain('usage: warmpool backtest --trace PATH');
    expect(await main(['backtest', '--idle', '5x', '--trace', 'x'], io)).toBe(2);
    expect(out.join('')).toContain('--idle: must be a duration');
  });
});
