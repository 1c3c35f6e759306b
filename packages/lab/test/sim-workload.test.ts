import { describe, expect, it } from 'vitest';
import { AggregateFunction } from '../src/sim/aggregate-function.js';
import { durationSampler } from '../src/sim/durations.js';
import { drawPeak, poissonQuantile } from '../src/sim/peaks.js';
import { createReplay } from '../src/sim/replay.js';
import { createRng } from '../src/sim/rng.js';
import { buildWorkload, estimatedPeakConcurrency } from '../src/sim/workload.js';
import type { Trace } from '../src/trace/types.js';

const MIN = 60_000;

/** A day of per-minute counts: a daily wave between `low` and `high` per minute, seeded noise. */
function waveTrace(id: string, low: number, high: number, p50: number, seed = 7): Trace {
  const rng = createRng(seed);
  const counts = Array.from({ length: 1440 }, (_, m) => {
    const base = low + ((high - low) * (1 - Math.cos((2 * Math.PI * m) / 1440))) / 2;
    return Math.max(0, Math.round(base * (0.8 + 0.4 * rng())));
  });
  return {
    name: 'wave',
    format: 'synthetic',
    binSeconds: 60,
    startMs: 0,
    durationMs: 1440 * MIN,
    functions: [{ id, counts, durations: { p0: p50 / 4, p50, p99: p50 * 4, p100: p50 * 6 } }],
  };
}

describe('durations', () => {
  it('draws through the percentiles with a piecewise-linear inverse CDF', () => {
    const s = durationSampler({ p0: 0, p50: 100, p100: 200 }, 1_000);
    expect(s.meanMs).toBeCloseTo(100);
    const rng = createRng(3);
    const draws = Array.from({ length: 20_000 }, () => s.draw(rng));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThanOrEqual(200);
    const below50 = draws.filter((d) => d < 50).length / draws.length;
    expect(below50).toBeGreaterThan(0.22);
    expect(below50).toBeLessThan(0.28);
  });

  it('falls back to the default duration when the trace has none', () => {
    expect(durationSampler(undefined, 250).meanMs).toBe(250);
    expect(durationSampler({ p50: 40 }, 250).draw(createRng(1))).toBe(40);
  });
});

describe('M/G/∞ peaks', () => {
  it('one arrival in the interval gives a peak of exactly one', () => {
    expect(drawPeak(1 / MIN, 100, MIN, 0.999, 1)).toBe(1);
    expect(drawPeak(0, 100, MIN, 0.5, 10)).toBe(0);
  });

  it('draws higher peaks at lower u and never below the mean busy count at the median', () => {
    const rate = 100 / 1000; // 100 per second
    const low = drawPeak(rate, 200, MIN, 0.9, 1_000);
    const high = drawPeak(rate, 200, MIN, 0.01, 1_000);
    expect(high).toBeGreaterThan(low);
    expect(drawPeak(rate, 200, MIN, 0.5, 1_000)).toBeGreaterThanOrEqual(20);
  });

  it('poissonQuantile inverts the Poisson CDF', () => {
    expect(poissonQuantile(0, 0.5)).toBe(0);
    expect(poissonQuantile(1, 0.3)).toBe(0); // P(0) = 0.368
    expect(poissonQuantile(1, 0.5)).toBe(1);
    expect(poissonQuantile(10_000, 0.5)).toBe(10_000);
  });
});

describe('workloads', () => {
  it('spreads per-minute counts within their minute, seeded, and knows the true peaks', () => {
    const trace = waveTrace('f', 1, 30, 500);
    const a = buildWorkload(trace, trace.functions[0]!, { seed: 5, mode: 'invocations' });
    const b = buildWorkload(trace, trace.functions[0]!, { seed: 5, mode: 'invocations' });
    const c = buildWorkload(trace, trace.functions[0]!, { seed: 6, mode: 'invocations' });
    expect(a.arrivals).toEqual(b.arrivals);
    expect(a.arrivals).not.toEqual(c.arrivals);
    const counts = trace.functions[0]!.counts!;
    expect(Array.from(a.minuteCounts)).toEqual(counts);
    expect(a.totalInvocations).toBe(counts.reduce((s, x) => s + x, 0));
    for (let m = 0; m < 1440; m++)
      expect(a.minutePeaks[m]).toBeLessThanOrEqual(counts[m]! + (a.minutePeaks[m - 1] ?? 0));
  });

  it('chooses the aggregate mode for high-rate binned functions', () => {
    const slow = waveTrace('slow', 0, 20, 100);
    const fast = waveTrace('fast', 100, 400, 100);
    expect(buildWorkload(slow, slow.functions[0]!, { seed: 1 }).mode).toBe('invocations');
    expect(buildWorkload(fast, fast.functions[0]!, { seed: 1 }).mode).toBe('aggregate');
  });

  it('estimates peak concurrency as peak count per minute × mean duration / 60 s', () => {
    const t: Trace = {
      name: 't',
      format: 'bins-wide',
      binSeconds: 300,
      startMs: 0,
      durationMs: 600_000,
      functions: [{ id: 'x', counts: [600, 3000] }],
    };
    // 3000 per 5 minutes = 600 per minute; 1 s default duration → 10.
    expect(estimatedPeakConcurrency(t, t.functions[0]!, 1_000)).toBe(10);
  });
});

describe('aggregate mode', () => {
  it('agrees with the per-invocation replay on cold starts of a high-rate function (within 25%)', () => {
    for (const idle of [5, 10, 15]) {
      const trace = waveTrace('hot', 30, 600, 300, idle);
      const fn = trace.functions[0]!;
      const params = { idleReapMs: idle * MIN, initMs: 400, seed: 3 };
      const per = createReplay(buildWorkload(trace, fn, { seed: 2, mode: 'invocations' }), params).finish();
      const agg = createReplay(buildWorkload(trace, fn, { seed: 2, mode: 'aggregate' }), params).finish();
      expect(agg.realInvocations).toBe(per.realInvocations);
      expect(per.coldStarts).toBeGreaterThan(20);
      expect(Math.abs(agg.coldStarts - per.coldStarts) / per.coldStarts).toBeLessThan(0.25);
    }
  });

  it('pings prewarm the shortfall and warm containers are reaped after the idle time', () => {
    const traffic = {
      minuteCounts: new Float64Array(30),
      minutePeaks: new Float64Array(30),
      meanDurationMs: 100,
    };
    traffic.minuteCounts[20] = 3;
    traffic.minutePeaks[20] = 3;
    const f = new AggregateFunction(traffic, { idleReapMs: 10 * MIN, initMs: 100 });
    f.ping(15 * MIN, 3, 500);
    f.advanceTo(30 * MIN);
    expect(f.stats()).toMatchObject({ prewarms: 3, pings: 3, coldStarts: 0, realInvocations: 3 });
    const g = new AggregateFunction(traffic, { idleReapMs: 2 * MIN, initMs: 100 });
    g.ping(15 * MIN, 3, 500);
    g.advanceTo(30 * MIN);
    expect(g.stats().coldStarts).toBe(3);
  });
});

describe('workload counts', () => {
  it('treats counts as whole invocations (fractional counts are rounded, junk is 0)', () => {
    const t: Trace = {
      name: 't',
      format: 'bins-wide',
      binSeconds: 300,
      startMs: 0,
      durationMs: 900_000,
      functions: [{ id: 'x', counts: [10.4, Number.NaN, 7.6] }],
    };
    const fn = t.functions[0];
    if (!fn) throw new Error('fixture');
    const per = buildWorkload(t, fn, { seed: 1, mode: 'invocations' });
    const agg = buildWorkload(t, fn, { seed: 1, mode: 'aggregate' });
    expect(per.totalInvocations).toBe(18);
    expect(per.arrivals?.length).toBe(18);
    expect(Array.from(agg.minuteCounts)).toEqual([2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 2, 2, 2, 1, 1]);
  });
});

describe('per-invocation traces', () => {
  it('replays the trace own start times and durations, and knows their exact concurrency', () => {
    const t: Trace = {
      name: 'azure2021-like',
      format: 'azure2021',
      binSeconds: 60,
      startMs: 0,
      durationMs: 3 * MIN,
      functions: [
        {
          id: 'app/f',
          invocations: {
            startMs: Float64Array.from([1_000, 2_000, 2_500, 70_000, 150_000]),
            durationMs: Float64Array.from([5_000, 5_000, 100, 1_000, 1_000]),
          },
        },
      ],
    };
    const fn = t.functions[0];
    if (!fn) throw new Error('fixture');
    const w = buildWorkload(t, fn, { seed: 1, aggregateAboveRps: 0 });
    expect(w.mode).toBe('invocations'); // never aggregated: the trace has the real arrivals
    expect(Array.from(w.minutePeaks)).toEqual([3, 1, 1]);
    expect(Array.from(w.minuteCounts)).toEqual([3, 1, 1]);
    const stats = createReplay(w, { initMs: 0, idleReapMs: 10 * MIN }).finish();
    expect(stats).toMatchObject({ realInvocations: 5, coldStarts: 3 });
  });
});
