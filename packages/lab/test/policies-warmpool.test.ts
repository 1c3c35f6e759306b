import { describe, expect, it } from 'vitest';
import { runBacktest } from '../src/backtest/run.js';
import { nonePolicy } from '../src/policies/baselines.js';
import { warmpoolPolicy } from '../src/policies/warmpool.js';
import type { Trace } from '../src/trace/types.js';

const MIN = 60_000;

/** Six hours: a steady 4-container load, with a quiet gap longer than the idle time every hour. */
function steadyTrace(): Trace {
  const counts = Array.from({ length: 360 }, (_, m) => (m % 60 < 45 ? 120 : 0));
  return {
    name: 'steady',
    format: 'synthetic',
    binSeconds: 60,
    startMs: 0,
    durationMs: 360 * MIN,
    functions: [{ id: 'f', counts, durations: { p0: 1_800, p50: 2_000, p100: 2_200 } }],
  };
}

describe('warmpool policy (the real decide())', () => {
  const trace = steadyTrace();
  const result = runBacktest({
    trace,
    seed: 2,
    idleS: 600,
    policies: [nonePolicy, warmpoolPolicy()],
    keepSeries: true,
  });
  const [none, warmpool] = result.document.policies;
  const series = result.series[0]!.policies.warmpool!;

  it('learns the load from lagged metrics and avoids most of the cold starts after a quiet gap', () => {
    expect(warmpool!.cold_starts).toBeLessThan(none!.cold_starts * 0.6);
    expect(warmpool!.pings).toBeGreaterThan(0);
  });

  it('does not feed on its own pings: the warm count stays near the real peak', () => {
    const realPeak = Math.max(...result.series[0]!.actual);
    const lateWarm = Array.from(series.warm.slice(36)); // after three hours
    expect(Math.max(...lateWarm)).toBeLessThanOrEqual(realPeak * 3);
    expect(Math.max(...lateWarm)).toBeGreaterThanOrEqual(Math.min(4, realPeak));
  });

  it('names fixed-model variants after the model', () => {
    expect(warmpoolPolicy({ model: 'holt' }).name).toBe('warmpool-holt');
  });
});

describe('warmpool policy reading a busy target’s cold-start count every K ticks, as the controller does', () => {
  const trace = steadyTrace();
  const run = (k: number) =>
    runBacktest({
      trace,
      seed: 2,
      idleS: 600,
      // Every tick read: the steady-read back-off would hide the cold-start cadence under test.
      policies: [warmpoolPolicy({ coldStartEveryTicks: k, maxTicksBetweenReads: 1, name: 'warmpool' })],
    }).document.policies[0]!;

  it('requests fewer metrics as K grows, never fewer than the concurrency every tick', () => {
    const [k1, k3, k12] = [run(1), run(3), run(12)];
    expect(k3.metrics_per_target_tick).toBeLessThan(k1.metrics_per_target_tick);
    expect(k12.metrics_per_target_tick).toBeLessThan(k3.metrics_per_target_tick);
    expect(k12.metrics_per_target_tick).toBeGreaterThanOrEqual(1);
  });

  it('rejects a K that is not a whole number of ticks, naming the option', () => {
    expect(() => run(0)).toThrow(/coldStartEveryTicks/);
  });
});

describe('warmpool policy backing off a steady target’s reads (maxTicksBetweenReads), as the controller does', () => {
  /** Twelve hours at a flat 4 invocations of 2 s a minute: most reads decide the same count. */
  const flat: Trace = {
    name: 'flat',
    format: 'synthetic',
    binSeconds: 60,
    startMs: 0,
    durationMs: 720 * MIN,
    functions: [{ id: 'f', counts: Array(720).fill(4), durations: { p0: 1_900, p50: 2_000, p100: 2_100 } }],
  };
  const run = (most: number | undefined) =>
    runBacktest({
      trace: flat,
      seed: 2,
      idleS: 600,
      policies: [warmpoolPolicy({ ...(most ? { maxTicksBetweenReads: most } : {}), name: 'warmpool' })],
      keepSeries: true,
    });

  it('reads every tick at 1, and backs off as the config does by default (12)', () => {
    expect(run(1).document.policies[0]!.metrics_per_target_tick).toBeGreaterThanOrEqual(1);
    const byDefault = run(undefined).document.policies[0]!;
    expect(byDefault.metrics_per_target_tick).toBe(run(12).document.policies[0]!.metrics_per_target_tick);
    expect(byDefault.metrics_per_target_tick).toBeLessThan(0.5);
  });

  it('reads about once every `most` ticks on a steady target, and keeps warming between reads', () => {
    const every = run(1);
    const backed = run(4);
    const m = backed.document.policies[0]!.metrics_per_target_tick;
    // a read every 4 ticks where the count held (1/4), more where it moved, never every tick
    expect(m).toBeGreaterThan(0.25);
    expect(m).toBeLessThan(0.6);
    // the rounds between reads repeat the last decision: the warm series has no gaps where reads were skipped
    const warm = Array.from(backed.series[0]!.policies.warmpool!.warm.slice(12));
    expect(Math.min(...warm)).toBeGreaterThan(0);
    expect(backed.document.policies[0]!.running_usd_month).toBeLessThan(
      every.document.policies[0]!.running_usd_month,
    );
  });
});

describe('warmpool policy woken by cold starts (wakeAfterColdStarts), as the controller is', () => {
  /**
   * Four silent hours (reads back off to every 12 ticks: ticks 0, 1, 3, 7, 15, 27, 39, 51 …), then a ramp to 120
   * requests a minute for an hour, of 30 s each, from minute 240 (tick 48).
   */
  const counts = Array.from({ length: 360 }, (_, m) =>
    m < 240 ? 0 : m < 300 ? Math.min(120, (m - 239) * 12) : 0,
  );
  const quietThenRamp: Trace = {
    name: 'quiet-then-ramp',
    format: 'synthetic',
    binSeconds: 60,
    startMs: 0,
    durationMs: 360 * MIN,
    functions: [{ id: 'f', counts, durations: { p0: 29_000, p50: 30_000, p100: 31_000 } }],
  };
  const run = (wakeAfterColdStarts: number) =>
    runBacktest({
      trace: quietThenRamp,
      seed: 3,
      idleS: 900,
      policies: [warmpoolPolicy({ wakeAfterColdStarts, name: 'warmpool' })],
      keepSeries: true,
    });

  it('warms the ramp within minutes of its start instead of at the next due read, and pays for the deliveries', () => {
    const [off, on] = [run(0), run(2)];
    // the ramp starts at minute 240: tick 48
    const firstInRamp = (r: ReturnType<typeof run>) =>
      Array.from(r.series[0]!.policies.warmpool!.warm).findIndex((n, i) => i >= 48 && n > 1);
    expect(firstInRamp(on)).toBe(49); // the first tick after the ramp's first cold starts were delivered
    expect(firstInRamp(off)).toBe(51); // the read the back-off had due
    const [a, b] = [off.document.policies[0]!, on.document.policies[0]!];
    expect(b.cold_starts).toBeLessThan(a.cold_starts);
    // each cold start is a delivery the controller pays for, besides the earlier reads
    expect(b.running_usd_month).toBeGreaterThan(a.running_usd_month);
  });
});
