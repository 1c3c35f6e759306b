import {
  type CapacityObservation,
  decide,
  HOLD_DEFAULTS,
  type MinuteSeries,
  type PastDecision,
  REASON_CODES,
  type TargetHistory,
  type TuningState,
} from '@warmpool/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEADROOM } from '../src/tuning/headroom.js';
import { MIN, NOW, target } from './engine-helpers.js';

const DAY = 86_400_000;

// Odd readings on purpose: missing, zero, large, fractional, NaN, infinite, negative.
const reading = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 300 }) },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, -0.5) },
);
const series = (endMs: number, maxLength: number): fc.Arbitrary<MinuteSeries> =>
  fc.array(reading, { maxLength }).map((values) => ({ startMs: endMs - values.length * MIN, values }));

const pool = fc.option(fc.nat({ max: 3_000 }), { nil: null });
const capacity: fc.Arbitrary<CapacityObservation> = fc.record({
  reservedConcurrency: pool,
  unreservedConcurrency: pool,
});

const decision: fc.Arbitrary<PastDecision> = fc.record({
  windowStartMs: fc.integer({ min: NOW - 7 * DAY, max: NOW + 10 * MIN }),
  warmedAtMs: fc.integer({ min: NOW - 7 * DAY, max: NOW + 10 * MIN }),
  count: fc.oneof(fc.nat({ max: 500 }), fc.constant(Number.NaN)),
  reached: fc.option(fc.nat({ max: 500 }), { nil: undefined }),
  dispatchSpreadMs: fc.option(fc.oneof(fc.nat({ max: 5_000 }), fc.constant(Number.NaN)), { nil: undefined }),
});

const history: fc.Arbitrary<TargetHistory> = fc.record({
  concurrency: series(NOW, 420),
  dayAgo: fc.option(series(NOW - DAY + 10 * MIN, 420), { nil: undefined }),
  weekAgo: fc.option(series(NOW - 7 * DAY + 10 * MIN, 60), { nil: undefined }),
  coldStarts: series(NOW, 60),
  pastDecisions: fc
    .array(decision, { maxLength: 30 })
    .map((ds) => ds.sort((a, b) => b.warmedAtMs - a.warmedAtMs)),
  capacity,
  metricsUnavailable: fc.option(fc.boolean(), { nil: undefined }),
});

const state: fc.Arbitrary<TuningState | null> = fc.option(
  fc.record({
    version: fc.constant(1 as const),
    headroom: fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.constant(Number.NaN)),
    updatedForWindowMs: fc.option(fc.integer({ min: NOW - DAY, max: NOW + DAY }), { nil: null }),
    quietWindows: fc.nat({ max: 50 }),
    lastCount: fc.option(fc.nat({ max: 1_000 }), { nil: null }),
  }),
  { nil: null },
);

const config = fc
  .record({
    min: fc.nat({ max: 60 }),
    span: fc.nat({ max: 200 }),
    source: fc.constantFrom('reserved' as const, 'unreserved' as const),
    share: fc.double({ min: 0.01, max: 1, noNaN: true }),
    model: fc.constantFrom(
      'auto' as const,
      'peak-quantile' as const,
      'holt' as const,
      'seasonal-naive' as const,
    ),
    tickMinutes: fc.integer({ min: 1, max: 60 }),
    holdMs: fc.oneof(fc.constant('auto' as const), fc.integer({ min: 0, max: 10_000 })),
    interference: fc.record(
      {
        assumedIdleMinutes: fc.integer({ min: -5, max: 60 }),
        weight: fc.double({ min: 0, max: 5, noNaN: true }),
        busyShare: fc.double({ min: 0, max: 1, noNaN: true }),
        quietMinutes: fc.integer({ min: 0, max: 400 }),
      },
      { requiredKeys: [] },
    ),
  })
  .map((c) => ({
    target: target({
      min: c.min,
      max: c.min + c.span,
      budget: { source: c.source, share: c.share },
      model: c.model,
      holdMs: c.holdMs,
    }),
    tickIntervalSeconds: c.tickMinutes * 60,
    interference: c.interference,
  }));

const now = fc.integer({ min: NOW - 10 * MIN, max: NOW + 10 * MIN });

/** The budget limit, worked out independently of the engine. */
function expectedLimit(cfg: { target: ReturnType<typeof target> }, h: TargetHistory): number | null {
  const { source, share } = cfg.target.budget;
  const pool = source === 'reserved' ? h.capacity.reservedConcurrency : h.capacity.unreservedConcurrency;
  return pool === null ? null : Math.floor(share * pool + 1e-9);
}

describe('decide invariants (property-based)', () => {
  it('min <= count <= max whenever the budget allows min; count never exceeds the budget', () => {
    fc.assert(
      fc.property(config, history, state, now, (cfg, h, s, t) => {
        const d = decide(cfg, h, s, t);
        const { min, max } = cfg.target;
        const limit = expectedLimit(cfg, h);
        expect(d.budget.limit).toBe(limit);
        expect(Number.isInteger(d.count)).toBe(true);
        expect(d.count).toBeGreaterThanOrEqual(0);
        if (limit === null || limit >= min) {
          expect(d.count).toBeGreaterThanOrEqual(min);
          expect(d.count).toBeLessThanOrEqual(max);
        }
        if (limit !== null) expect(d.count).toBeLessThanOrEqual(limit);
        expect(d.boundedCount).toBeGreaterThanOrEqual(min);
        expect(d.boundedCount).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('a budget below min wins, and the decision says so', () => {
    const belowMin = fc.tuple(config, history, fc.integer({ min: 1, max: 60 })).map(([cfg, h, min]) => {
      const t = { ...cfg.target, min, max: min + 10, budget: { source: 'reserved' as const, share: 0.5 } };
      const reservedConcurrency = 2 * min - 2; // floor(0.5 × (2·min − 2)) = min − 1
      return [
        { ...cfg, target: t },
        { ...h, capacity: { ...h.capacity, reservedConcurrency } },
      ] as const;
    });
    fc.assert(
      fc.property(belowMin, state, now, ([cfg, h], s, t) => {
        const d = decide(cfg, h, s, t);
        expect(d.budget.limit).toBe(cfg.target.min - 1);
        expect(d.count).toBe(cfg.target.min - 1);
        expect(d.reasons.map((r) => r.code)).toContain(REASON_CODES.budgetBelowMin);
      }),
    );
  });

  it('is deterministic: the same inputs give a deep-equal decision', () => {
    fc.assert(
      fc.property(config, history, state, now, (cfg, h, s, t) => {
        expect(decide(cfg, h, s, t)).toEqual(decide(cfg, h, s, t));
      }),
    );
  });

  it('keeps the headroom in its bounds and carries the state forward', () => {
    fc.assert(
      fc.property(config, history, state, now, (cfg, h, s, t) => {
        const d = decide(cfg, h, s, t);
        expect(d.headroom).toBeGreaterThanOrEqual(HEADROOM.min);
        expect(d.headroom).toBeLessThanOrEqual(HEADROOM.max);
        expect(d.state.headroom).toBe(d.headroom);
        expect(d.state.lastCount).toBe(d.count);
        expect(Number.isFinite(d.forecast.peak)).toBe(true);
        expect(d.forecast.peak).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('applies a window once: deciding again with its own state gives the same count and state', () => {
    fc.assert(
      fc.property(config, history, state, now, (cfg, h, s, t) => {
        const first = decide(cfg, h, s, t);
        const again = decide(cfg, h, first.state, t);
        expect(again.count).toBe(first.count);
        expect(again.state).toEqual(first.state);
      }),
    );
  });

  it('weighing a round never adds pings, and a cut or skipped round always carries its reason', () => {
    fc.assert(
      fc.property(config, history, state, now, (cfg, h, s, t) => {
        const d = decide(cfg, h, s, t);
        const limit = expectedLimit(cfg, h);
        const beforeWeighing = limit === null ? d.boundedCount : Math.min(d.boundedCount, limit);
        expect(d.count).toBeLessThanOrEqual(beforeWeighing);
        const codes = d.reasons.map((r) => r.code);
        if (d.count < beforeWeighing) {
          expect(
            codes.includes(REASON_CODES.trafficKeepsPool) ||
              codes.includes(REASON_CODES.interferenceLimited) ||
              codes.includes(REASON_CODES.quietSkip),
          ).toBe(true);
        }
        const w = d.interference;
        if (w === undefined) return;
        expect(w.shortfall).toBe(Math.max(0, beforeWeighing - w.trafficPool));
        if (w.verdict === 'go') {
          // A round that goes ahead covers at least the shortfall: it is the part only pings can add.
          expect(d.count).toBeGreaterThanOrEqual(Math.min(beforeWeighing, w.shortfall));
        } else {
          // Skipped: only min is kept (or less, when the budget is below min), and the reason names why.
          expect(d.count).toBe(Math.min(cfg.target.min, beforeWeighing));
          expect(codes).toContain(w.verdict);
        }
      }),
    );
  });

  it('pings beyond min only where the forecast needs more than traffic keeps alive (a shortfall)', () => {
    fc.assert(
      fc.property(config, history, state, now, (cfg, h, s, t) => {
        const d = decide(cfg, h, s, t);
        const w = d.interference;
        if (w === undefined || d.count <= cfg.target.min) return;
        expect(w.verdict).toBe('go');
        expect(w.shortfall).toBeGreaterThan(0);
      }),
    );
  });

  it('holds as the target says, or at least the floor and at most MAX_HOLD_MS; no round, no hold', () => {
    fc.assert(
      fc.property(config, history, state, now, (cfg, h, s, t) => {
        const d = decide(cfg, h, s, t);
        if (d.count === 0) expect(d.hold).toBeUndefined();
        else if (typeof cfg.target.holdMs === 'number') expect(d.hold?.holdMs).toBe(cfg.target.holdMs);
        else {
          expect(d.hold?.holdMs).toBeGreaterThanOrEqual(HOLD_DEFAULTS.minHoldMs);
          expect(d.hold?.holdMs).toBeLessThanOrEqual(10_000);
        }
      }),
    );
  });

  it('never throws on arbitrary junk in the history', () => {
    fc.assert(
      fc.property(config, fc.anything(), fc.anything(), fc.double(), (cfg, junk, s, t) => {
        const d = decide(cfg, junk as TargetHistory, s as TuningState, t);
        expect(d.count).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
