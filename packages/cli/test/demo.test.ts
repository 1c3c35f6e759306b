import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTrace } from '@warmpool/lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from '../../controller/test/fixtures.js';
import { createDemoCommand } from '../src/cli/commands/demo.js';
import { main } from '../src/cli/main.js';
import { BUNDLED_TRACE } from '../src/demo/flags.js';
import { pickDemoFunctions } from '../src/demo/pick-functions.js';
import { ProgressBar } from '../src/demo/progress.js';
import { sampleEvenly } from '../src/demo/render.js';
import { truncateTrace } from '../src/demo/run-demo.js';

interface Summary {
  ticks: number;
  health: { lostWrites: number; metricsFailed: number; timedOut: number };
  functions: {
    id: string;
    target: string;
    requests: number;
    decisions: number;
    cold_starts: number;
    unwarmed_cold_starts: number;
    pings: number;
  }[];
  policies: { name: string; invocations: number; cold_starts: number; pings: number }[];
  report: string;
  decisions_commands: string[];
}

/**
 * `warmpool demo` in-process on 2 simulated hours of one bundled-trace function, from a scratch working
 * directory (the store lands in its .warmpool/demo), then `warmpool decisions --demo` read afterwards.
 */
describe('warmpool demo on 2 simulated hours', () => {
  const cwd = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), 'warmpool-demo-'));
  let fnId = '';
  let code = -1;
  let summary: Summary;
  let err: string[] = [];
  const progress: string[] = [];

  beforeAll(async () => {
    // The auto pick with the most requests in the first two hours: enough traffic to warm for.
    const trace = await readTrace(BUNDLED_TRACE);
    const short = truncateTrace(trace, 2);
    const busiest = pickDemoFunctions(trace, 'auto')
      .map((p) => ({
        id: p.fn.id,
        n: (short.functions.find((f) => f.id === p.fn.id)?.counts ?? []).reduce((s, c) => s + c, 0),
      }))
      .sort((a, b) => b.n - a.n)[0];
    fnId = busiest?.id ?? '';
    process.chdir(dir);
    const run = createDemoCommand({ progress: { isTTY: false, write: (t) => progress.push(t) } });
    const r = io();
    code = await run(['--hours', '2', '--functions', fnId, '--seed', '3', '--json'], r.io);
    err = r.err;
    summary = JSON.parse(r.out.join('')) as Summary;
  }, 60_000);

  afterAll(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('ran every tick cleanly and recorded one decision per tick', () => {
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(summary.ticks).toBe(24);
    expect(summary.health).toEqual({ lostWrites: 0, metricsFailed: 0, timedOut: 0 });
    expect(summary.functions.map((f) => f.id)).toEqual([fnId]);
    expect(summary.functions[0]?.decisions).toBe(24);
  });

  it('compares like for like: same requests everywhere, and warming cut what users felt', () => {
    const f = summary.functions[0] as Summary['functions'][number];
    expect(f.requests).toBeGreaterThan(0);
    for (const p of summary.policies) expect(p.invocations).toBe(f.requests);
    const row = (name: string) => summary.policies.find((p) => p.name === name);
    expect(row('controller (measured)')?.cold_starts).toBe(f.cold_starts);
    expect(row('controller (measured)')?.pings).toBe(f.pings);
    expect(row('unwarmed twin (measured)')?.cold_starts).toBe(f.unwarmed_cold_starts);
    expect(row('unwarmed twin (measured)')?.pings).toBe(0);
    // The twin replays the simulator's `none` (same arrivals, parameters and pool seed) in the LocalWorld.
    expect(f.unwarmed_cold_starts).toBe(row('none')?.cold_starts);
    expect(f.pings).toBeGreaterThan(0);
    expect(f.cold_starts).toBeLessThan(f.unwarmed_cold_starts);
    for (const name of ['none', 'fixed-p50', 'fixed-max', 'oracle', 'warmpool'])
      expect(row(name)).toBeDefined();
  });

  it('wrote the HTML report with the measured controller in it', () => {
    expect(summary.report).toBe(join('.warmpool', 'demo', 'report.html'));
    const html = readFileSync(join(dir, summary.report), 'utf8');
    expect(html).toContain('Warmpool demo');
    expect(html).toContain('controller (measured)');
    expect(html).toContain('<svg');
  });

  it('showed progress as plain lines when stderr is not a terminal', () => {
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(progress.at(-1)).toContain('100% (24/24');
  });

  it('left decisions that `warmpool decisions --demo` reads afterwards, with the command it printed', async () => {
    const target = summary.functions[0]?.target as string;
    const printed = summary.decisions_commands[0] as string;
    expect(printed).toMatch(new RegExp(`^pnpm warmpool decisions --demo --target ${target} --since \\d+h$`));
    const r = io();
    const rc = await main(printed.split(' ').slice(2), r.io);
    expect(r.err).toEqual([]);
    expect(rc).toBe(0);
    const doc = JSON.parse(
      await (async () => {
        const j = io();
        await main([...printed.split(' ').slice(2), '--json'], j.io);
        return j.out.join('');
      })(),
    ) as { decisions: { windowStartMs: number; decision: { count: number } }[] };
    const starts = doc.decisions.map((d) => d.windowStartMs);
    expect(starts).toHaveLength(24);
    expect(new Set(starts).size).toBe(24);
    for (let i = 1; i < starts.length; i++)
      expect((starts[i - 1] as number) - (starts[i] as number)).toBe(300_000);
    expect(r.out.join('\n')).toContain(`${target}: 24 decision(s)`);
  });
});

describe('warmpool demo flags', () => {
  it.each([
    [['--hours', '0'], '--hours: must be a whole number from 1 to 24'],
    [['--hours', '25'], '--hours: must be a whole number from 1 to 24'],
    [['--speed', 'fast'], '--speed: must be a positive number'],
    [['--seed', '1.5'], '--seed: must be an integer'],
    [['--report', 'out.txt'], '--report: must name an .html file'],
    [['--functions', 'top:0'], '--functions: top:N needs a whole number N >= 1'],
    [['--trace', '/nonexistent/trace'], '--trace: must be an existing trace file or folder'],
    [['--bogus'], '--bogus: unknown flag'],
    [['--json=yes'], '--json: takes no value'],
  ])('%j is refused naming the flag and the rule', async (args, message) => {
    const r = io();
    expect(await main(['demo', ...args], r.io)).toBe(2);
    expect(r.err.join('')).toContain(`warmpool demo: ${message}`);
    expect(r.out).toEqual([]);
  });

  it('more functions than the demo replays names --functions', async () => {
    const r = io();
    expect(await main(['demo', '--functions', 'all'], r.io)).toBe(2);
    expect(r.err.join('')).toContain('--functions: selects at most 8 functions');
  });

  it('an id not in the trace names --functions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warmpool-demo-'));
    try {
      const r = io();
      const rc = await main(['demo', '--hours', '1', '--functions', 'nope', '--dir', dir], r.io);
      expect(rc).toBe(2);
      expect(r.err.join('')).toContain('--functions: must name functions in the trace');
      expect(existsSync(join(dir, 'report.html'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--help prints the usage', async () => {
    const r = io();
    expect(await main(['demo', '--help'], r.io)).toBe(0);
    expect(r.out.join('')).toContain('usage: warmpool demo');
  });
});

describe('demo helpers', () => {
  it('sampleEvenly keeps the first and the last and spreads the rest', () => {
    const xs = Array.from({ length: 288 }, (_, i) => i);
    const s = sampleEvenly(xs, 12);
    expect(s).toHaveLength(12);
    expect(s[0]).toBe(0);
    expect(s.at(-1)).toBe(287);
    expect([...s].sort((a, b) => a - b)).toEqual(s);
    expect(sampleEvenly([1, 2, 3], 12)).toEqual([1, 2, 3]);
  });

  it('the progress bar redraws one line on a terminal', () => {
    const out: string[] = [];
    const bar = new ProgressBar(4, 'demo', { isTTY: true, write: (t) => out.push(t) });
    for (let i = 0; i < 4; i++) bar.tick();
    bar.finish();
    expect(out.slice(0, 4).every((l) => l.startsWith('\r'))).toBe(true);
    expect(out[3]).toContain('100% 4/4');
    expect(out.at(-1)).toBe('\n');
  });
});
