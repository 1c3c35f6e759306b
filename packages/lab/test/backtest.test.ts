import { ValidationError } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../src/backtest/run.js';
import { createRng } from '../src/sim/rng.js';
import type { Trace } from '../src/trace/types.js';

const MIN = 60_000;

/** Bursty functions: quiet minutes, then bursts of `burst` arrivals a minute for a while, a few times a day. */
function burstyTrace(): Trace {
  const rng = createRng(11);
  const fn = (id: string, burst: number, p50: number) => {
    const counts = Array.from({ length: 720 }, (_, m) => {
      const inBurst = m % 120 < 20;
      return inBurst ? Math.round(burst * (0.5 + rng())) : rng() < 0.1 ? 1 : 0;
    });
    return { id, counts, durations: { p0: p50 / 2, p50, p100: p50 * 3 } };
  };
  return {
    name: 'bursty',
    format: 'synthetic',
    binSeconds: 60,
    startMs: 0,
    durationMs: 720 * MIN,
    functions: [fn('big', 200, 3_000), fn('mid', 40, 2_000), fn('tiny', 1, 50)],
  };
}

describe('runBacktest', () => {
  const trace = burstyTrace();
  const result = runBacktest({ trace, seed: 3, intervalS: 300, idleS: 600 });
  const doc = result.document;
  const byName = Object.fromEntries(doc.policies.map((p) => [p.name, p]));

  it('writes the stable document with every policy name the issue fixes', () => {
    expect(Object.keys(doc).slice(0, 6)).toEqual([
      'trace',
      'functions',
      'seed',
      'interval_s',
      'idle_s',
      'policies',
    ]);
    expect(doc).toMatchObject({ trace: 'bursty', seed: 3, interval_s: 300, idle_s: 600 });
    expect(doc.functions).toEqual(['big', 'mid', 'tiny']);
    expect(doc.policies.map((p) => p.name)).toEqual([
      'none',
      'ping-one',
      'fixed-1',
      'fixed-p50',
      'fixed-max',
      'reactive',
      'provisioned',
      'warmpool',
      'oracle',
      'oracle-unheld',
    ]);
    for (const p of doc.policies) {
      expect(Object.keys(p).slice(0, 8)).toEqual([
        'name',
        'invocations',
        'cold_starts',
        'cold_start_rate',
        'interference_cold_starts',
        'pings',
        'warming_usd_month',
        'provisioned_usd_month',
      ]);
    }
  });

  it('keeps the oracle row and adds the interference-free reference beside it: same count, nothing held', () => {
    const oracle = byName.oracle!;
    const unheld = byName['oracle-unheld']!;
    expect(unheld.interference_cold_starts).toBe(0);
    expect(oracle.interference_cold_starts).toBeGreaterThan(0);
    expect(unheld.pings).toBe(oracle.pings);
    expect(unheld.cold_starts).toBeLessThan(oracle.cold_starts);
    const s = runBacktest({ trace, seed: 3, keepSeries: true }).series[0]!;
    expect(Array.from(s.policies['oracle-unheld']!.warm)).toEqual(Array.from(s.policies.oracle!.warm));
  });

  it('replays the same arrivals under every policy', () => {
    const invocations = new Set(doc.policies.map((p) => p.invocations));
    expect(invocations.size).toBe(1);
    const total = trace.functions.reduce((s, f) => s + f.counts!.reduce((a, b) => a + b, 0), 0);
    expect(doc.policies[0]!.invocations).toBe(total);
  });

  it('ranks policies sensibly: the oracle avoids most cold starts, none costs nothing', () => {
    expect(byName.none!.pings).toBe(0);
    expect(byName.none!.warming_usd_month).toBe(0);
    expect(byName.oracle!.cold_starts).toBeLessThan(byName.none!.cold_starts / 2);
    expect(byName['fixed-max']!.warming_usd_month).toBeGreaterThan(byName['fixed-1']!.warming_usd_month);
    expect(byName.provisioned!.provisioned_usd_month).toBeGreaterThan(0);
    expect(byName.provisioned!.pings).toBe(0);
    expect(byName.oracle!.cold_starts_vs_oracle).toBe(1);
    expect(byName.none!.avoided_share_of_oracle).toBe(0);
  });

  it('is deterministic for a seed and changes with it', () => {
    expect(runBacktest({ trace, seed: 3 }).document.policies).toEqual(
      runBacktest({ trace, seed: 3 }).document.policies,
    );
    const other = runBacktest({ trace, seed: 4 }).document.policies.map((p) => p.cold_starts);
    expect(other).not.toEqual(doc.policies.map((p) => p.cold_starts));
  });

  it('selects top:N by estimated peak concurrency and named functions', () => {
    expect(runBacktest({ trace, functions: { top: 1 } }).document.functions).toEqual(['big']);
    expect(runBacktest({ trace, functions: ['tiny', 'mid'] }).document.functions).toEqual(['tiny', 'mid']);
    expect(() => runBacktest({ trace, functions: ['nope'] })).toThrow(
      /functions: must name functions in the trace/,
    );
  });

  it('rejects an interval that is not whole minutes, naming the field', () => {
    expect(() => runBacktest({ trace, intervalS: 90 })).toThrow(ValidationError);
    expect(() => runBacktest({ trace, intervalS: 90 })).toThrow(
      /interval: must be a whole number of minutes/,
    );
  });

  it('keeps per-function series for reports when asked', () => {
    const r = runBacktest({ trace, functions: { top: 1 }, keepSeries: true });
    const s = r.series[0]!;
    expect(s.actual.length).toBe(720);
    expect(s.policies.oracle!.warm.length).toBe(144);
    expect(Math.max(...s.policies.oracle!.warm)).toBe(Math.max(...s.actual));
  });
});
