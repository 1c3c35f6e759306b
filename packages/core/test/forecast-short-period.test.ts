import { decide } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { asymmetricLoss } from '../src/forecast/loss.js';
import { shortPeriodForecasts } from '../src/forecast/models.js';
import { history, MIN, NOW, range, target } from './engine-helpers.js';

const cfg = () => ({ target: target(), tickIntervalSeconds: 300 });
const f64 = (xs: number[]) => Float64Array.from(xs);

// A timer-triggered function: 1 concurrent all the time, 30 for one minute at a fixed phase of every hour. The
// phase puts a burst two minutes into the window about to be decided (NOW .. NOW + 5 min).
const burstPhase = (NOW / MIN + 2) % 60;
const hourly = (endMs: number, n: number) =>
  range(n, (i) => ((endMs / MIN - n + i) % 60 === burstPhase ? 30 : 1));

describe('short-period seasonal reference (timer bursts)', () => {
  it('detects a 12-window period on window peaks and forecasts the next burst', () => {
    const peaks = range(72, (b) => (b % 12 === 0 ? 30 : 1)); // next block (72) is a burst block
    const found = shortPeriodForecasts(f64(peaks), 5, 48, 4, asymmetricLoss);
    expect(found?.periodMinutes).toBe(60);
    expect(found?.f[72]).toBe(30);
    // Between bursts it keeps the persistence floor (the last peak), not 0.
    expect(found?.f[71]).toBe(1);
  });

  it('detects nothing on a steady or a trending series', () => {
    expect(shortPeriodForecasts(f64(range(72, () => 4)), 5, 48, 4, asymmetricLoss)).toBeNull();
    expect(shortPeriodForecasts(f64(range(72, (b) => b)), 5, 48, 4, asymmetricLoss)).toBeNull();
  });

  it('needs history before the scored windows (too short: nothing)', () => {
    expect(shortPeriodForecasts(f64(range(10, (b) => (b % 2 ? 9 : 1))), 5, 2, 4, asymmetricLoss)).toBeNull();
  });

  it('auto picks it on an hourly timer series with no day-ago reference, and warms for the burst', () => {
    const d = decide(cfg(), history(hourly(NOW, 360)), null, NOW);
    expect(d.forecast.model).toBe('seasonal-naive');
    expect(d.forecast.why).toContain('every 60 min, detected');
    expect(d.forecast.peak).toBe(30);
    expect(d.count).toBeGreaterThanOrEqual(30);
  });

  it('forecasts low again half an hour after a burst (the next one is an hour away)', () => {
    // Decide one window later: the burst is behind (in the last observed block only once data arrives), the
    // next burst is an hour away, so the forecast must not stay at the burst.
    const later = NOW + 30 * MIN;
    const d = decide(cfg(), history(hourly(later, 360), {}, later), null, later);
    expect(d.forecast.peak).toBeLessThan(30);
  });

  it('auto does not pick it on a steady series', () => {
    const d = decide(cfg(), history(range(360, () => 5)), null, NOW);
    expect(d.forecast.model).not.toBe('seasonal-naive');
    expect(d.forecast.why).not.toContain('detected');
  });
});
