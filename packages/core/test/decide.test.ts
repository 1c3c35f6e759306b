import { decide, REASON_CODES, type TargetHistory } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { HEADROOM, initialTuningState } from '../src/tuning/headroom.js';
import { history, MIN, NOW, range, target } from './engine-helpers.js';

const cfg = (over = {}) => ({ target: target(over), tickIntervalSeconds: 300 });
// The bounds and budget steps alone: no credit for the pool traffic keeps (see decide-interference.test.ts).
const cfgNoPool = (over = {}) => ({ ...cfg(over), interference: { assumedIdleMinutes: 0, busyShare: 0 } });
const codes = (d: { reasons: readonly { code: string }[] }) => d.reasons.map((r) => r.code);
const steady = (level: number, over: Partial<TargetHistory> = {}) =>
  history(
    range(360, () => level),
    over,
  );
const pools = (reservedConcurrency: number | null, unreservedConcurrency: number | null = null) => ({
  capacity: { reservedConcurrency, unreservedConcurrency },
});

describe('decide', () => {
  it('warms ceil(peak x headroom) for a steady load and records the decision as data', () => {
    const d = decide(cfgNoPool(), steady(10), null, NOW);
    expect(d).toMatchObject({
      target: 'fn:live',
      functionName: 'fn',
      qualifier: 'live',
      windowStartMs: NOW,
      windowEndMs: NOW + 5 * MIN,
      decidedAtMs: NOW,
      headroom: HEADROOM.initial,
      rawCount: 12,
      boundedCount: 12,
      count: 12,
      bounds: { min: 0, max: 100 },
      dryRun: false,
    });
    expect(d.forecast).toMatchObject({ peak: 10, horizonMinutes: 5 });
    expect(d.forecast.candidates).toHaveLength(3);
    expect(d.state).toMatchObject({ version: 1, lastCount: 12, updatedForWindowMs: NOW });
    expect(codes(d)).toContain(REASON_CODES.modelChosen);
    expect(initialTuningState().headroom).toBe(HEADROOM.initial);
  });

  it('does not round 10 x 1.2 up to 13 (floating-point slack)', () => {
    expect(decide(cfg(), steady(10), null, NOW).rawCount).toBe(12);
  });

  it.each([
    { level: 50, min: 0, max: 20, raw: 60, bounded: 20, code: REASON_CODES.clampedToMax },
    { level: 1, min: 5, max: 20, raw: 2, bounded: 5, code: REASON_CODES.clampedToMin },
    { level: 0, min: 3, max: 20, raw: 0, bounded: 3, code: REASON_CODES.clampedToMin },
    { level: 10, min: 5, max: 20, raw: 12, bounded: 12, code: null },
  ])('bounds: level $level in [$min, $max] -> $bounded', ({ level, min, max, raw, bounded, code }) => {
    const d = decide(cfgNoPool({ min, max }), steady(level), null, NOW);
    expect(d.rawCount).toBe(raw);
    expect(d.boundedCount).toBe(bounded);
    expect(d.count).toBe(bounded);
    const clampCodes = codes(d).filter(
      (c) => c === REASON_CODES.clampedToMin || c === REASON_CODES.clampedToMax,
    );
    expect(clampCodes).toEqual(code ? [code] : []);
  });

  it.each([
    {
      name: 'reserved pool caps the count',
      budget: { source: 'reserved' as const, share: 0.2 },
      capacity: pools(50),
      min: 0,
      limit: 10,
      count: 10,
      code: REASON_CODES.budgetLimited,
    },
    {
      name: 'a budget below min wins over min',
      budget: { source: 'reserved' as const, share: 0.2 },
      capacity: pools(20),
      min: 8,
      limit: 4,
      count: 4,
      code: REASON_CODES.budgetBelowMin,
    },
    {
      name: 'unreserved pool is read for source unreserved',
      budget: { source: 'unreserved' as const, share: 0.01 },
      capacity: pools(50, 900),
      min: 0,
      limit: 9,
      count: 9,
      code: REASON_CODES.budgetLimited,
    },
    {
      name: 'a roomy budget leaves the count alone',
      budget: { source: 'reserved' as const, share: 0.5 },
      capacity: pools(100),
      min: 0,
      limit: 50,
      count: 24,
      code: null,
    },
    {
      name: 'an unknown pool means no cap, and says so',
      budget: { source: 'reserved' as const, share: 0.2 },
      capacity: pools(null, 900),
      min: 0,
      limit: null,
      count: 24,
      code: REASON_CODES.budgetUnknown,
    },
  ])('budget: $name', ({ budget, capacity, min, limit, count, code }) => {
    const d = decide(cfgNoPool({ budget, min }), steady(20, capacity), null, NOW);
    expect(d.budget).toEqual({ source: budget.source, share: budget.share, limit });
    expect(d.count).toBe(count);
    const budgetCodes = codes(d).filter((c) => c.startsWith('budget'));
    expect(budgetCodes).toEqual(code ? [code] : []);
  });

  it('records in the state whether the count was capped, so the tuning does not chase a cap', () => {
    expect(decide(cfgNoPool({ max: 5 }), steady(20), null, NOW).state.capped).toBe(true);
    expect(decide(cfg({ max: 50 }), steady(20, pools(20)), null, NOW).state.capped).toBe(true);
    expect(decide(cfg(), steady(20), null, NOW).state.capped).toBe(false);
  });

  it('marks a dry run', () => {
    const d = decide(cfg({ dryRun: true }), steady(10), null, NOW);
    expect(d.dryRun).toBe(true);
    expect(codes(d)).toContain(REASON_CODES.dryRun);
  });

  it('aligns the window to the tick grid, so a tick delivered twice decides for the same window', () => {
    const a = decide(cfg(), steady(10), null, NOW + 20_000);
    const b = decide(cfg(), steady(10), a.state, NOW - 15_000);
    expect(a.windowStartMs).toBe(NOW);
    expect(b.windowStartMs).toBe(NOW);
    expect(b.count).toBe(a.count);
    expect(b.state).toEqual(a.state);
  });

  it('covers at least the tick interval: a 15-minute tick forecasts 15-minute windows', () => {
    const d = decide({ target: target(), tickIntervalSeconds: 900 }, steady(10), null, NOW);
    expect(d.forecast.horizonMinutes).toBe(15);
    expect(d.windowEndMs - d.windowStartMs).toBe(15 * MIN);
  });

  it('forecasts a short burst that falls inside the horizon window peaks', () => {
    // A burst every 30 minutes: the window peaks see it, so the quantile keeps room for it.
    const values = range(360, (i) => (i % 30 === 7 ? 25 : 5));
    const d = decide(cfg({ model: 'peak-quantile' }), history(values), null, NOW);
    expect(d.forecast.peak).toBeGreaterThan(5);
  });
});
