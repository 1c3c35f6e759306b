import { decide } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { asymmetricLoss, backtestScore, LOSS_WEIGHTS, MIN_SCORED_WINDOWS } from '../src/forecast/loss.js';
import {
  holtForecasts,
  PEAK_QUANTILE,
  peakQuantileForecasts,
  withPersistenceFloor,
} from '../src/forecast/models.js';
import { blockPeaks } from '../src/forecast/series.js';
import { endingAt, history, MIN, NOW, range, target } from './engine-helpers.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const cfg = (over = {}) => ({ target: target(over), tickIntervalSeconds: 300 });
const f64 = (xs: number[]) => Float64Array.from(xs);

describe('window peaks', () => {
  it.each([
    { values: [1, 5, 2, 0, 0, 3, 9, 1, 1, 1], block: 5, peaks: [5, 9] },
    { values: [7, 1, 5, 2, 0, 0, 3], block: 5, peaks: [7, 5] },
    { values: [], block: 5, peaks: [] },
    { values: [4], block: 5, peaks: [4] },
  ])(
    '$values in blocks of $block -> $peaks (aligned to the end, oldest partial)',
    ({ values, block, peaks }) => {
      const s = { startMs: 0, values: f64(values), datapoints: values.length };
      expect(Array.from(blockPeaks(s, block))).toEqual(peaks);
    },
  );
});

describe('peak-quantile model', () => {
  it.each([
    // simple-statistics interpolates between order statistics (index 0.9 × 11 = 9.9).
    { peaks: range(12, (i) => i + 1), next: 10.9 },
    { peaks: [5, 5, 5, 5], next: 5 },
    { peaks: [...range(20, () => 100), ...range(12, () => 2)], next: 2 },
    // One spike among 12 windows is the top 1/12 < 1 - q: the quantile ignores it (robust to one-off bursts).
    { peaks: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 40, 3], next: 3 },
    { peaks: [3, 3, 3, 3, 3, 3, 3, 3, 3, 40, 40, 3], next: 36.3 },
  ])('forecasts the q-quantile of the last windows: $peaks -> $next', ({ peaks, next }) => {
    const f = peakQuantileForecasts(f64(peaks), []);
    expect(f).toHaveLength(peaks.length + 1);
    expect(f[0]).toBeNaN();
    expect(f[peaks.length]).toBeCloseTo(next, 9);
  });

  it('uses only the last PEAK_QUANTILE.windows windows', () => {
    const peaks = [...range(30, () => 50), ...range(PEAK_QUANTILE.windows, () => 1)];
    expect(peakQuantileForecasts(f64(peaks), [])[peaks.length]).toBe(1);
  });
});

describe('holt model', () => {
  it('holds a constant level', () => {
    const f = holtForecasts(f64(range(20, () => 7)));
    expect(f[20]).toBeCloseTo(7, 9);
  });

  it('extrapolates a ramp one window ahead', () => {
    const f = holtForecasts(f64(range(40, (i) => 10 + 2 * i)));
    expect(f[40]).toBeCloseTo(10 + 2 * 40, 0);
  });

  it('never forecasts below zero on a collapsing load', () => {
    const f = holtForecasts(f64([50, 40, 30, 20, 10, 0, 0, 0]));
    expect(Math.min(...Array.from(f).filter((x) => !Number.isNaN(x)))).toBeGreaterThanOrEqual(0);
  });
});

describe('persistence floor', () => {
  it('raises a forecast to the peak of the window just before it, never lowers one', () => {
    const peaks = f64([5, 5, 40, 8]);
    const f = withPersistenceFloor(f64([Number.NaN, 6, 5, 30, 10]), peaks);
    expect(Array.from(f)).toEqual([Number.NaN, 6, 5, 40, 10]);
  });

  it('keeps an unavailable (NaN) forecast unavailable', () => {
    expect(withPersistenceFloor(f64([Number.NaN, Number.NaN]), f64([3]))[1]).toBeNaN();
  });

  it('warms for a step up from the next tick, though the quantile alone reads one high window as a spike', () => {
    const values = [...range(355, () => 10), ...range(5, () => 45)];
    const d = decide(cfg({ model: 'peak-quantile' }), history(values), null, NOW);
    expect(d.forecast.peak).toBe(45);
  });
});

describe('asymmetric loss', () => {
  it.each([
    { forecast: 10, actual: 12, loss: 2 * LOSS_WEIGHTS.under },
    { forecast: 12, actual: 10, loss: 2 * LOSS_WEIGHTS.over },
    { forecast: 5, actual: 5, loss: 0 },
  ])('forecast $forecast, actual $actual -> $loss', ({ forecast, actual, loss }) => {
    expect(asymmetricLoss(forecast, actual)).toBe(loss);
  });

  it('costs an under-forecast more than the same over-forecast', () => {
    expect(asymmetricLoss(8, 10)).toBeGreaterThan(asymmetricLoss(12, 10));
  });

  it('scores only with enough windows', () => {
    const few = f64(range(MIN_SCORED_WINDOWS - 1, () => 1));
    expect(backtestScore(few, few, 0)).toBeNull();
    const enough = f64(range(MIN_SCORED_WINDOWS, () => 1));
    expect(backtestScore(enough, f64(range(MIN_SCORED_WINDOWS, () => 3)), 0)).toBe(2 * LOSS_WEIGHTS.under);
  });
});

describe('seasonal-naive model', () => {
  it('forecasts the peak of the same window yesterday', () => {
    const yesterday = endingAt(NOW - DAY + 5 * MIN, [...range(360, () => 4), 4, 30, 4, 4, 4]);
    const d = decide(
      cfg({ model: 'seasonal-naive' }),
      history(
        range(360, () => 4),
        { dayAgo: yesterday },
      ),
      null,
      NOW,
    );
    expect(d.forecast.model).toBe('seasonal-naive');
    expect(d.forecast.peak).toBe(30);
    expect(d.forecast.why).toContain('yesterday');
  });

  it('uses last week when only that reaches', () => {
    const lastWeek = endingAt(NOW - WEEK + 5 * MIN, [...range(360, () => 4), 9, 9, 9, 9, 9]);
    const d = decide(
      cfg({ model: 'seasonal-naive' }),
      history(
        range(360, () => 4),
        { weekAgo: lastWeek },
      ),
      null,
      NOW,
    );
    expect(d.forecast.peak).toBe(9);
    expect(d.forecast.why).toContain('last week');
  });

  it('falls back to peak-quantile, and says so, when no reference reaches the window', () => {
    const d = decide(cfg({ model: 'seasonal-naive' }), history(range(360, () => 4)), null, NOW);
    expect(d.forecast.model).toBe('peak-quantile');
    expect(d.forecast.why).toMatch(/no reference history/);
    expect(d.forecast.peak).toBe(4);
  });
});

describe('auto', () => {
  // Daily shape: quiet night, busy afternoon; the 6 h before NOW (12:00 UTC) climb steeply.
  const daily = (tMs: number) => Math.round(30 + 25 * Math.sin((2 * Math.PI * (tMs % DAY)) / DAY - 1.2));
  const spanOf = (endMs: number, n: number) => range(n, (i) => daily(endMs - (n - i) * MIN));

  it('picks seasonal-naive on a strongly daily-periodic series', () => {
    // Spiky minutes repeat daily too: every 7th minute carries a burst that only a seasonal reference foresees.
    const withBursts = (endMs: number, n: number) =>
      spanOf(endMs, n).map((v, i) => (Math.floor((endMs - (n - i) * MIN) / MIN) % 7 === 0 ? v + 20 : v));
    const d = decide(
      cfg(),
      history(withBursts(NOW, 360), {
        dayAgo: endingAt(NOW - DAY + 5 * MIN, withBursts(NOW + 5 * MIN, 365)),
      }),
      null,
      NOW,
    );
    expect(d.forecast.model).toBe('seasonal-naive');
    expect(d.forecast.why).toMatch(/^auto: lowest asymmetric loss/);
    const seasonal = d.forecast.candidates.find((c) => c.model === 'seasonal-naive');
    for (const c of d.forecast.candidates) expect(c.score).not.toBeNull();
    for (const c of d.forecast.candidates) expect(seasonal?.score).toBeLessThanOrEqual(c.score as number);
  });

  it('picks a trend model (holt) on a ramp, where yesterday was much lower', () => {
    const ramp = (tMs: number) => 200 + (tMs - NOW) / (10 * MIN); // +0.5 per 5-minute window
    const today = range(360, (i) => ramp(NOW - (360 - i) * MIN));
    const yesterday = range(365, (i) => Math.max(0, ramp(NOW - DAY - (360 - i) * MIN)));
    const d = decide(cfg(), history(today, { dayAgo: endingAt(NOW - DAY + 5 * MIN, yesterday) }), null, NOW);
    expect(d.forecast.model).toBe('holt');
    expect(d.forecast.peak).toBeGreaterThanOrEqual(ramp(NOW) - 1);
    expect(d.forecast.candidates.map((c) => c.model)).toEqual(['peak-quantile', 'holt', 'seasonal-naive']);
  });

  it('uses peak-quantile and says why when there is too little history to backtest', () => {
    const d = decide(cfg(), history([3, 5, 4, 6, 5, 4, 5, 6]), null, NOW);
    expect(d.forecast.model).toBe('peak-quantile');
    expect(d.forecast.why).toMatch(/too little history/);
    expect(d.forecast.score).toBeNull();
  });

  it('records a named model as configured with its score', () => {
    const d = decide(cfg({ model: 'holt' }), history(range(360, (i) => 5 + (i % 3))), null, NOW);
    expect(d.forecast.model).toBe('holt');
    expect(d.forecast.why).toMatch(/^configured: holt/);
    expect(d.forecast.score).not.toBeNull();
  });
});
