import { decide, REASON_CODES, type TargetHistory, type TuningState } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { history, MIN, NOW, range, target } from './engine-helpers.js';

const cfg = (over = {}) => ({ target: target(over), tickIntervalSeconds: 300 });
const codes = (d: { reasons: readonly { code: string }[] }) => d.reasons.map((r) => r.code);
const state = (lastCount: number | null): TuningState => ({
  version: 1,
  headroom: 1.5,
  updatedForWindowMs: NOW - 5 * MIN,
  quietWindows: 0,
  lastCount,
});
const past = [{ windowStartMs: NOW - 5 * MIN, warmedAtMs: NOW - 5 * MIN, count: 9 }];

describe('sparse data', () => {
  it('a new function (no datapoints, no decisions) falls back to min', () => {
    const d = decide(cfg({ min: 2 }), history([]), null, NOW);
    expect(d.count).toBe(2);
    expect(d.forecast.peak).toBe(0);
    expect(codes(d)).toEqual(
      expect.arrayContaining([REASON_CODES.newFunction, REASON_CODES.metricsMissingMin]),
    );
  });

  it('a new function whose minutes are all missing falls back to min', () => {
    const d = decide(cfg({ min: 1 }), history(range(30, () => null)), null, NOW);
    expect(d.count).toBe(1);
    expect(codes(d)).toContain(REASON_CODES.newFunction);
  });

  it.each([
    { name: 'all zeros', values: range(360, () => 0) },
    { name: 'all missing', values: range(360, () => null) },
  ])('a function idle for days ($name) falls back to min and says idle', ({ values }) => {
    const d = decide(cfg({ min: 1 }), history(values, { pastDecisions: past }), state(9), NOW);
    expect(d.count).toBe(1);
    expect(d.rawCount).toBe(0);
    expect(codes(d)).toContain(REASON_CODES.idle);
    expect(codes(d)).not.toContain(REASON_CODES.newFunction);
  });

  it('an idle function whose only datapoints are its own pings still reads idle', () => {
    // CloudWatch reports a datapoint only in the minutes the controller pinged: 9 containers, nothing else.
    const values = range(360, (i) => (i % 5 === 0 ? 9 : null));
    const decisions = range(72, (k) => ({
      windowStartMs: NOW - (k + 1) * 5 * MIN,
      warmedAtMs: NOW - (k + 1) * 5 * MIN,
      count: 9,
    }));
    const d = decide(cfg(), history(values, { pastDecisions: decisions }), state(9), NOW);
    expect(d.forecast.peak).toBe(0);
    expect(d.count).toBe(0);
    expect(codes(d)).toEqual(expect.arrayContaining([REASON_CODES.idle, REASON_CODES.warmMinutesMasked]));
  });

  it('missing datapoints scattered in a steady load do not change the forecast', () => {
    const values = range(360, (i) => (i % 4 === 1 ? null : 10));
    expect(decide(cfg(), history(values), null, NOW).count).toBe(12);
  });

  it.each([
    { name: 'the stored last count', s: state(7), decisions: past, count: 7 },
    { name: 'the newest past decision when no state', s: null, decisions: past, count: 9 },
  ])('metrics unavailable: falls back to $name', ({ s, decisions, count }) => {
    const h: TargetHistory = history(
      range(360, () => 50),
      { metricsUnavailable: true, pastDecisions: decisions },
    );
    const d = decide(cfg(), h, s, NOW);
    expect(d.count).toBe(count);
    expect(codes(d)).toContain(REASON_CODES.metricsMissingLastDecision);
    expect(codes(d)).not.toContain(REASON_CODES.metricsMissingMin);
  });

  it('metrics unavailable and nothing decided before: min', () => {
    const d = decide(cfg({ min: 3 }), history([], { metricsUnavailable: true }), null, NOW);
    expect(d.count).toBe(3);
    expect(codes(d)).toContain(REASON_CODES.metricsMissingMin);
  });

  it('the last-decision fallback still obeys max and the budget', () => {
    const h = history([], {
      metricsUnavailable: true,
      capacity: { reservedConcurrency: 10, unreservedConcurrency: null },
    });
    const d = decide(cfg({ max: 50 }), h, state(80), NOW);
    expect(d.boundedCount).toBe(50);
    expect(d.count).toBe(2);
  });

  it('keeps the tuning state unchanged when metrics are unavailable', () => {
    const d = decide(cfg(), history([], { metricsUnavailable: true }), state(7), NOW);
    expect(d.headroom).toBe(1.5);
    expect(d.state.updatedForWindowMs).toBe(NOW - 5 * MIN);
  });

  it.each([
    {
      name: 'NaN, Infinity and negative readings',
      values: [Number.NaN, -3, Number.POSITIVE_INFINITY, ...range(12, () => 4)],
    },
    { name: 'non-numbers', values: ['7', {}, undefined, ...range(12, () => 4)] as unknown as number[] },
  ])('treats $name as missing, never throws', ({ values }) => {
    const d = decide(cfg(), history(values), null, NOW);
    expect(d.forecast.peak).toBe(4);
    expect(Number.isInteger(d.count)).toBe(true);
  });

  it('survives a malformed history and state', () => {
    const odd = {
      concurrency: { startMs: Number.NaN, values: null },
      coldStarts: null,
    } as unknown as TargetHistory;
    const badState = {
      version: 1,
      headroom: Number.NaN,
      quietWindows: -4,
      lastCount: -1,
    } as unknown as TuningState;
    const d = decide(cfg({ min: 1 }), odd, badState, Number.NaN);
    expect(d.count).toBe(1);
    expect(d.headroom).toBeGreaterThanOrEqual(1);
    const missing = decide(cfg(), {} as TargetHistory, null, NOW);
    expect(codes(missing)).toContain(REASON_CODES.metricsMissingMin);
  });
});
