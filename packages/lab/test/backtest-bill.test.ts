import { DEFAULT_PRICES, scheduledWarmerMonth } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../src/backtest/run.js';
import { defaultPolicies } from '../src/policies/defaults.js';
import { warmpoolPolicy } from '../src/policies/warmpool.js';
import type { Trace } from '../src/trace/types.js';

const MIN = 60_000;

/** Two functions over 12 hours: one busy in bursts, one that runs once an hour. */
function trace(): Trace {
  return {
    name: 'bill',
    format: 'synthetic',
    binSeconds: 60,
    startMs: 0,
    durationMs: 720 * MIN,
    functions: [
      {
        id: 'bursty',
        counts: Array.from({ length: 720 }, (_, m) => (m % 90 < 15 ? 30 : 0)),
        durations: { p50: 2_000 },
      },
      {
        id: 'hourly',
        counts: Array.from({ length: 720 }, (_, m) => (m % 60 === 7 ? 2 : 0)),
        durations: { p50: 500 },
      },
    ],
  };
}

describe('the whole bill in backtests', () => {
  const doc = runBacktest({ trace: trace(), seed: 2 }).document;
  const by = Object.fromEntries(doc.policies.map((p) => [p.name, p]));

  it('prices every policy with what it runs on, in every total', () => {
    expect(by.none).toMatchObject({ runs_on: 'nothing', running_usd_month: 0, metrics_per_target_tick: 0 });
    expect(by.provisioned).toMatchObject({ runs_on: 'nothing', running_usd_month: 0 });
    const warmer = scheduledWarmerMonth(300, DEFAULT_PRICES).totalUsdMonth * 2;
    for (const name of ['ping-one', 'fixed-1', 'fixed-p50', 'fixed-max', 'oracle']) {
      expect(by[name]?.runs_on).toBe('scheduled-warmer');
      expect(by[name]?.running_usd_month).toBeCloseTo(warmer, 4);
    }
    expect(by.reactive).toMatchObject({ runs_on: 'controller', metrics_per_target_tick: 1 });
    expect(by.warmpool?.runs_on).toBe('controller');
    for (const p of doc.policies) {
      expect(p.total_usd_month).toBeCloseTo(
        p.warming_usd_month + p.provisioned_usd_month + p.running_usd_month,
        3,
      );
    }
    // A controller reading more metrics pays more for the same DynamoDB and invocations (warmpool backs its
    // reads off on a steady target, reactive reads one metric every tick: either may read more).
    const [wp, re] = [by.warmpool!, by.reactive!];
    expect(wp.metrics_per_target_tick).not.toBe(re.metrics_per_target_tick);
    expect(Math.sign(wp.running_usd_month - re.running_usd_month)).toBe(
      Math.sign(wp.metrics_per_target_tick - re.metrics_per_target_tick),
    );
  });

  it('reads the cold-start count only after the function ran, and decides exactly as if it always read it', () => {
    const policies = [
      // Every tick read: this is about the cold-start count, not the steady-read back-off.
      warmpoolPolicy({ name: 'needed', coldStartEveryTicks: 1, maxTicksBetweenReads: 1 }),
      warmpoolPolicy({ name: 'always', coldStartReads: 'always', maxTicksBetweenReads: 1 }),
    ];
    const out = runBacktest({ trace: trace(), seed: 2, policies }).document.policies;
    const [needed, always] = out;
    expect(always?.metrics_per_target_tick).toBe(2); // 12 hours: no seasonal reference yet
    expect(needed?.metrics_per_target_tick).toBeGreaterThan(1);
    expect(needed?.metrics_per_target_tick).toBeLessThan(1.5);
    expect(needed?.cold_starts).toBe(always?.cold_starts);
    expect(needed?.pings).toBe(always?.pings);
    expect(needed?.running_usd_month).toBeLessThan(always?.running_usd_month ?? 0);
  });

  it('keeps the default policies in the document', () => {
    expect(doc.policies.map((p) => p.name)).toEqual(defaultPolicies().map((p) => p.name));
  });
});
