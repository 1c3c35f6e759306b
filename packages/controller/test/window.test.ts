import { ValidationError } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { emptySeries, toDenseSeries } from '../src/window/dense-series.js';
import { computeQueryWindow, shiftWindow } from '../src/window/query-window.js';
import { parseWindowSortKey, tickWindowStart, windowSortKey } from '../src/window/tick-window.js';

const T = Date.UTC(2026, 0, 1, 12, 0, 0); // 12:00:00
const min = 60_000;

describe('computeQueryWindow', () => {
  it.each([
    { name: 'aligned now, 1 min lag', nowMs: T, lagMs: min, periods: 5, start: T - 6 * min, end: T - min },
    { name: 'mid-minute now', nowMs: T + 30_000, lagMs: min, periods: 5, start: T - 6 * min, end: T - min },
    { name: 'just past the lag', nowMs: T + min, lagMs: min, periods: 3, start: T - 3 * min, end: T },
    {
      name: '90 s lag drops two minutes',
      nowMs: T + 30_000,
      lagMs: 90_000,
      periods: 2,
      start: T - 3 * min,
      end: T - min,
    },
    { name: 'no lag', nowMs: T + 59_999, lagMs: 0, periods: 1, start: T - min, end: T },
    {
      name: 'lag of 2 min',
      nowMs: T + 1,
      lagMs: 2 * min,
      periods: 10,
      start: T - 12 * min,
      end: T - 2 * min,
    },
  ])('$name', ({ nowMs, lagMs, periods, start, end }) => {
    const w = computeQueryWindow({ nowMs, lagMs, lookbackPeriods: periods });
    expect(w).toEqual({ startMs: start, endMs: end, periodMs: min, periods });
  });

  it('aligns to a 5-minute period', () => {
    const w = computeQueryWindow({ nowMs: T + 7 * min, lagMs: 0, lookbackPeriods: 2, periodMs: 5 * min });
    expect(w).toEqual({ startMs: T - 5 * min, endMs: T + 5 * min, periodMs: 5 * min, periods: 2 });
  });

  it.each([
    [{ nowMs: T, lagMs: 0, lookbackPeriods: 0 }, 'lookbackPeriods'],
    [{ nowMs: T, lagMs: 0, lookbackPeriods: 1.5 }, 'lookbackPeriods'],
    [{ nowMs: T, lagMs: -1, lookbackPeriods: 1 }, 'lagMs'],
    [{ nowMs: Number.NaN, lagMs: 0, lookbackPeriods: 1 }, 'nowMs'],
    [{ nowMs: T, lagMs: 0, lookbackPeriods: 1, periodMs: 1500 }, 'periodMs'],
  ])('rejects %o naming %s', (input, field) => {
    expect(() => computeQueryWindow(input)).toThrow(ValidationError);
    try {
      computeQueryWindow(input);
    } catch (e) {
      expect((e as ValidationError).field).toBe(field);
    }
  });

  it('shiftWindow moves back a day and extends by the horizon', () => {
    const w = computeQueryWindow({ nowMs: T, lagMs: min, lookbackPeriods: 10 });
    const day = 86_400_000;
    expect(shiftWindow(w, day, 5)).toEqual({
      startMs: w.startMs - day,
      endMs: w.endMs - day + 5 * min,
      periodMs: min,
      periods: 15,
    });
  });
});

describe('toDenseSeries', () => {
  const w = computeQueryWindow({ nowMs: T, lagMs: 0, lookbackPeriods: 4 }); // [11:56, 12:00)
  it.each([
    { name: 'no datapoints: all null (missing, not zero)', ts: [], vs: [], want: [null, null, null, null] },
    {
      name: 'newest-first input lands in order',
      ts: [T - min, T - 3 * min],
      vs: [7, 2],
      want: [null, 2, null, 7],
    },
    {
      name: 'outside the window dropped',
      ts: [T, T - 5 * min, T - 4 * min],
      vs: [9, 9, 1],
      want: [1, null, null, null],
    },
    {
      name: 'unaligned timestamp goes to its minute',
      ts: [T - 2 * min + 30_000],
      vs: [4],
      want: [null, null, 4, null],
    },
    { name: 'duplicates merged by max', ts: [T - min, T - min], vs: [3, 5], want: [null, null, null, 5] },
    { name: 'NaN is missing', ts: [T - min], vs: [Number.NaN], want: [null, null, null, null] },
    { name: 'a real zero stays zero', ts: [T - 4 * min], vs: [0], want: [0, null, null, null] },
  ])('$name', ({ ts, vs, want }) => {
    expect(toDenseSeries(w, ts, vs)).toEqual({ startMs: w.startMs, values: want });
  });

  it('sums duplicates with the sum rule', () => {
    expect(toDenseSeries(w, [T - min, T - min], [3, 5], 'sum').values).toEqual([null, null, null, 8]);
  });

  it('emptySeries has one null per period', () => {
    expect(emptySeries(w)).toEqual({ startMs: w.startMs, values: [null, null, null, null] });
  });
});

describe('tick window', () => {
  it.each([
    { nowMs: T, interval: 300, want: T },
    { nowMs: T + 2 * min + 29_999, interval: 300, want: T },
    { nowMs: T - 1_500, interval: 300, want: T }, // a schedule firing a little early
    { nowMs: T + 4 * min + 59_999, interval: 300, want: T + 5 * min },
    { nowMs: T + 61_000, interval: 60, want: T + min },
  ])('tick at +$nowMs with $interval s interval', ({ nowMs, interval, want }) => {
    expect(tickWindowStart(nowMs, interval)).toBe(want);
  });

  it('sort keys sort in time order and round-trip', () => {
    const keys = [T + 5 * min, T - 86_400_000, T].map(windowSortKey);
    expect([...keys].sort()).toEqual([
      windowSortKey(T - 86_400_000),
      windowSortKey(T),
      windowSortKey(T + 5 * min),
    ]);
    expect(parseWindowSortKey(windowSortKey(T))).toBe(T);
    expect(() => parseWindowSortKey('nope')).toThrow(/sk: must be an ISO 8601/);
  });

  it('rejects a bad interval', () => {
    expect(() => tickWindowStart(T, 0)).toThrow(/tickIntervalSeconds/);
  });
});
