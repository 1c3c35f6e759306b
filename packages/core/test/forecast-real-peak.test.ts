import { realPeakOver } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { AUTO_PING_SPAN_MS, pingSpanMs } from '../src/forecast/real-peak.js';

const MIN = 60_000;
const ping = (minute: number, count: number, second = 0) => ({
  windowStartMs: minute * MIN,
  warmedAtMs: minute * MIN + second * 1000,
  count,
});
const minutes = (values: (number | null)[]) => ({ startMs: 0, values });

describe('realPeakOver: the peak of real traffic, with the pings’ own minutes masked', () => {
  it.each([
    {
      name: 'a window whose only high reading is the ping minute reads as the load around it',
      values: [3, 3, 20, 3, 4, 3, 3, 3],
      pings: [ping(2, 20)],
      span: [2, 7],
      peak: 4,
    },
    {
      name: 'a real spike above the pings is kept (reading - pings)',
      values: [3, 3, 50, 3, 3, 3],
      pings: [ping(2, 20)],
      span: [2, 6],
      peak: 30,
    },
    {
      name: 'without pings it is the raw peak',
      values: [3, 7, 5, 3],
      pings: [],
      span: [0, 4],
      peak: 7,
    },
    {
      name: 'a ping minute at the window edge is imputed from the minutes outside it',
      values: [9, 9, 20, 1, 1],
      pings: [ping(2, 20)],
      span: [2, 5],
      peak: 9,
    },
    {
      name: 'missing minutes inside the series read as 0 (no executions)',
      values: [null, 2, null, null],
      pings: [],
      span: [0, 4],
      peak: 2,
    },
    {
      name: 'a ping whose hold crosses into the next minute masks that minute too',
      values: [2, 2, 12, 12, 2, 2],
      pings: [ping(2, 10, 58)],
      span: [1, 6],
      peak: 2,
    },
  ])('$name', ({ values, pings, span, peak }) => {
    const [from, to] = span as [number, number];
    expect(realPeakOver(minutes(values), pings, 5_000, from * MIN, to * MIN)).toBe(peak);
  });

  it('is null when the series does not reach the span, and never throws on odd input', () => {
    expect(realPeakOver(minutes([1, 2]), [], 'auto', 10 * MIN, 15 * MIN)).toBeNull();
    expect(realPeakOver(undefined, [], 'auto', 0, MIN)).toBeNull();
    expect(realPeakOver(minutes([]), [], 'auto', 0, MIN)).toBeNull();
  });

  it('masks over the hold, or over the hold cap when the hold is auto', () => {
    expect(pingSpanMs(2_000)).toBe(2_000);
    expect(pingSpanMs('auto')).toBe(AUTO_PING_SPAN_MS);
    expect(pingSpanMs(undefined)).toBe(AUTO_PING_SPAN_MS);
  });
});
