import { decide, REASON_CODES } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { maskWarmMinutes } from '../src/forecast/mask.js';
import { feedbackSpan, REPORTING_LAG_MINUTES } from '../src/forecast/prepare.js';
import { prepareSeries } from '../src/forecast/series.js';
import { endingAt, history, MIN, NOW, range, runLoop, target } from './engine-helpers.js';

const DAY = 86_400_000;

const series = (values: number[]) => ({
  startMs: 0,
  values: Float64Array.from(values),
  datapoints: values.length,
});
const ping = (minute: number, count: number, second = 0) => ({
  windowStartMs: minute * MIN,
  warmedAtMs: minute * MIN + second * 1000,
  count,
});

describe('masking warm minutes', () => {
  it.each([
    {
      name: 'a minute of pure pings over a low load reads as the load',
      values: [2, 2, 26, 2, 2],
      pings: [ping(2, 24)],
      out: [2, 2, 2, 2, 2],
    },
    {
      name: 'a real spike above the pings is kept (reading - pings)',
      values: [5, 5, 40, 5, 5],
      pings: [ping(2, 10)],
      out: [5, 5, 30, 5, 5],
    },
    {
      name: 'the estimate never exceeds the reading',
      values: [20, 20, 12, 20, 20],
      pings: [ping(2, 10)],
      out: [20, 20, 12, 20, 20],
    },
    {
      name: 'without unpinged neighbours the lower bound is used',
      values: [30],
      pings: [ping(0, 24)],
      out: [6],
    },
    {
      name: 'a ping near the end of a minute masks the next minute too',
      values: [3, 27, 27, 3, 3],
      pings: [ping(1, 24, 59)],
      out: [3, 3, 3, 3, 3],
    },
    {
      name: 'two pings in one minute (a tick delivered twice) add up',
      values: [3, 3, 23, 3],
      pings: [ping(2, 10), ping(2, 10)],
      out: [3, 3, 3, 3],
    },
    {
      name: 'decisions outside the series are ignored',
      values: [3, 3, 3],
      pings: [ping(10, 50), ping(-10, 50)],
      out: [3, 3, 3],
    },
  ])('$name', ({ values, pings, out }) => {
    const s = series(values);
    const newestFirst = pings.slice().sort((a, b) => b.warmedAtMs - a.warmedAtMs);
    const [masked] = maskWarmMinutes([s], newestFirst, 2_000);
    expect(Array.from(s.values)).toEqual(out);
    expect(masked).toBe(new Set(pings.flatMap((p) => expandMinutes(p.warmedAtMs, values.length))).size);
  });

  it('lets a falling load take the warm count down (no self-feeding floor)', () => {
    const load = (m: number) => (m < 300 ? 30 : 3);
    const steps = runLoop({ load, warmupMinutes: 240, ticks: 36 });
    const before = steps[10]?.decision;
    const after = steps.at(-1)?.decision;
    expect(before?.count).toBeGreaterThanOrEqual(30);
    expect(after?.count).toBeLessThanOrEqual(6);
    expect(after?.forecast.peak).toBeLessThan(3.1);
    expect(after?.reasons.map((r) => r.code)).toContain(REASON_CODES.warmMinutesMasked);
  });

  it('control: without masking (decisions withheld) the pings hold the count up', () => {
    const load = (m: number) => (m < 300 ? 30 : 3);
    const steps = runLoop({ load, warmupMinutes: 240, ticks: 36, showDecisions: false });
    expect(steps.at(-1)?.decision.count).toBeGreaterThanOrEqual(30);
  });
});

/** The minutes a ping at `tMs` inflates (its own, and the next when the 2 s hold crosses into it). */
function expandMinutes(tMs: number, n: number): number[] {
  const m = Math.floor(tMs / MIN);
  const spill = Math.floor((tMs + 2_000) / MIN);
  return [...new Set([m, spill])].filter((x) => x >= 0 && x < n);
}

describe('reporting lag', () => {
  it.each([
    { values: [4, 5, null, null], kept: [4, 5] },
    { values: [4, 5, null, null, null], kept: [4, 5, 0] },
    { values: [4, null, 6], kept: [4, 0, 6] },
  ])('drops up to REPORTING_LAG_MINUTES unreported minutes at the end: $values', ({ values, kept }) => {
    const s = prepareSeries({ startMs: 0, values }, 0, 10 * MIN, 100, REPORTING_LAG_MINUTES);
    expect(Array.from(s.values)).toEqual(kept);
    expect(s.datapoints).toBe(values.filter((v) => v !== null).length);
  });

  it('reads the feedback window that ended REPORTING_LAG_MINUTES before the tick, so ticks tile time', () => {
    const a = feedbackSpan(10 * 5 * MIN, 5);
    const b = feedbackSpan(11 * 5 * MIN, 5);
    expect(a.toMs).toBe(50 * MIN - REPORTING_LAG_MINUTES * MIN);
    expect(b.fromMs).toBe(a.toMs);
    expect(b.toMs - b.fromMs).toBe(5 * MIN);
  });
});

describe('masking references older than the decisions kept', () => {
  it('masks the day-ago minutes at the phase of the tick schedule, so seasonal-naive does not read old pings', () => {
    // Yesterday: a steady 5 with the controller's 30 pings every 5 minutes (ping minutes read 35). Only the
    // last hour of decisions is passed in, so none reaches yesterday.
    const dayAgo = endingAt(
      NOW - DAY + 5 * MIN,
      range(365, (i) => (i % 5 === 0 ? 35 : 5)),
    );
    const decisions = range(12, (k) => ({
      windowStartMs: NOW - (k + 1) * 5 * MIN,
      warmedAtMs: NOW - (k + 1) * 5 * MIN,
      count: 30,
    }));
    const today = range(360, (i) => (i % 5 === 0 ? 35 : 5));
    const d = decide(
      { target: target({ model: 'seasonal-naive' }), tickIntervalSeconds: 300 },
      history(today, { dayAgo, pastDecisions: decisions }),
      null,
      NOW,
    );
    expect(d.forecast.model).toBe('seasonal-naive');
    expect(d.forecast.peak).toBe(5);
  });

  it('leaves a reference alone when nothing was ever warmed', () => {
    const dayAgo = endingAt(
      NOW - DAY + 5 * MIN,
      range(365, (i) => (i % 5 === 0 ? 35 : 5)),
    );
    const d = decide(
      { target: target({ model: 'seasonal-naive' }), tickIntervalSeconds: 300 },
      history(
        range(360, () => 5),
        { dayAgo },
      ),
      null,
      NOW,
    );
    expect(d.forecast.peak).toBe(35);
  });
});
