import type { Trace } from '@warmpool/lab';
import { describe, expect, it } from 'vitest';
import { createBacktestCommand } from '../src/cli/commands/backtest.js';

const MIN = 60_000;

/** Two days from a Monday, a 08:00 UTC batch each day. */
function trace(): Trace {
  const counts = Array.from({ length: 2 * 1440 }, (_, m) => (m % 1440 >= 480 && m % 1440 < 484 ? 30 : 0));
  return {
    name: 'batch',
    format: 'synthetic',
    binSeconds: 60,
    startMs: Date.UTC(2026, 0, 5),
    durationMs: counts.length * MIN,
    functions: [{ id: 'batch', counts, durations: { p50: 20_000 } }],
  };
}

function harness(files: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const command = createBacktestCommand({
    readTrace: async () => trace(),
    readText: async (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return text;
    },
  });
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
  return { run: (args: string[]) => command(args, io), out, err };
}

const schedule = { batch: [{ expression: 'cron(0 8 * * ? *)', duration: '10m', min: 30 }] };

describe('warmpool backtest --schedules', () => {
  it('replays the schedule beside warmpool without it, so the saving shows', async () => {
    const h = harness({ 's.json': JSON.stringify(schedule) });
    expect(await h.run(['--trace', 't', '--schedules', 's.json', '--json'])).toBe(0);
    const doc = JSON.parse(h.out.join('\n'));
    const by = Object.fromEntries(doc.policies.map((p: { name: string }) => [p.name, p]));
    expect(by['warmpool+schedules'].cold_starts).toBeLessThan(by.warmpool.cold_starts);
    expect(h.err).toEqual([]);
  });

  it('prints no extra row without the flag', async () => {
    const h = harness({});
    expect(await h.run(['--trace', 't', '--json'])).toBe(0);
    expect(h.out.join('')).not.toContain('warmpool+schedules');
  });

  it.each([
    ['a file that cannot be read', {}, /--schedules: must name a readable file \(s.json: ENOENT\)/],
    [
      'a bad schedule, naming the file, the function and the field',
      { 's.json': JSON.stringify({ batch: [{ expression: 'cron(0 8 * * * *)', duration: '10m', min: 3 }] }) },
      /s\.json[\s\S]*batch\[0\]\.expression: exactly one of day-of-month and day-of-week must be \?/,
    ],
    [
      'a function the trace does not have',
      { 's.json': JSON.stringify({ nope: schedule.batch }) },
      /schedules: must name functions that are replayed \(nope\)/,
    ],
  ])('exits 2 on %s', async (_name, files, message) => {
    const h = harness(files as Record<string, string>);
    expect(await h.run(['--trace', 't', '--schedules', 's.json'])).toBe(2);
    expect(h.err.join('\n')).toMatch(message);
  });
});
