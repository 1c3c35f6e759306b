import { describe, expect, it } from 'vitest';
import { mergeBacktestDocuments } from '../src/backtest/merge.js';
import { runBacktest } from '../src/backtest/run.js';
import type { Trace } from '../src/trace/types.js';

const MIN = 60_000;

function trace(): Trace {
  const fn = (id: string, k: number) => ({
    id,
    counts: Array.from({ length: 120 }, (_, m) => (m % 30 < 8 ? k : 0)),
    durations: { p0: 500, p50: 1_000, p100: 3_000 },
  });
  return {
    name: 'merge',
    format: 'synthetic',
    binSeconds: 60,
    startMs: 0,
    durationMs: 120 * MIN,
    functions: [fn('a', 50), fn('b', 10), fn('c', 3), fn('d', 25)],
  };
}

describe('mergeBacktestDocuments', () => {
  it('gives what one run over all the functions gives', () => {
    const t = trace();
    const whole = runBacktest({ trace: t, seed: 4 }).document;
    const left = runBacktest({ trace: t, seed: 4, functions: ['a', 'b'] }).document;
    const right = runBacktest({ trace: t, seed: 4, functions: ['c', 'd'] }).document;
    const merged = mergeBacktestDocuments([left, right]);
    expect(merged.functions).toEqual(['a', 'b', 'c', 'd']);
    // Costs are rounded to 4 decimals per document, so the sum may differ in the last digit.
    const exact = (ps: typeof whole.policies) =>
      ps.map(
        ({
          warming_usd_month: _w,
          provisioned_usd_month: _p,
          running_usd_month: _r,
          total_usd_month: _t,
          metrics_per_target_tick: _m,
          ...rest
        }) => rest,
      );
    expect(exact(merged.policies)).toEqual(exact(whole.policies));
    merged.policies.forEach((p, i) => {
      expect(p.warming_usd_month).toBeCloseTo(whole.policies[i]?.warming_usd_month ?? Number.NaN, 3);
      expect(p.provisioned_usd_month).toBeCloseTo(whole.policies[i]?.provisioned_usd_month ?? Number.NaN, 3);
      expect(p.running_usd_month).toBeCloseTo(whole.policies[i]?.running_usd_month ?? Number.NaN, 3);
      expect(p.total_usd_month).toBeCloseTo(whole.policies[i]?.total_usd_month ?? Number.NaN, 3);
      expect(p.metrics_per_target_tick).toBeCloseTo(
        whole.policies[i]?.metrics_per_target_tick ?? Number.NaN,
        3,
      );
    });
    expect(merged.modes).toEqual(whole.modes);
  });

  it('refuses documents from different settings', () => {
    const t = trace();
    const a = runBacktest({ trace: t, idleS: 300, functions: ['a'] }).document;
    const b = runBacktest({ trace: t, idleS: 600, functions: ['b'] }).document;
    expect(() => mergeBacktestDocuments([a, b])).toThrow(/documents: must share/);
    expect(() => mergeBacktestDocuments([])).toThrow(/documents: must not be empty/);
  });
});
