import { decide, pickHold, REASON_CODES, type TargetHistory } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { decisionsEvery, history, MIN, NOW, range, target } from './engine-helpers.js';

const TICK = 5 * MIN;
const codes = (d: { reasons: readonly { code: string }[] }) => d.reasons.map((r) => r.code);
const cfg = (interference = {}, over = {}) => ({
  target: target({ holdMs: 'auto', ...over }),
  tickIntervalSeconds: 300,
  interference,
});
const steady = (level: number, over: Partial<TargetHistory> = {}) =>
  history(
    range(360, () => level),
    over,
  );

describe('decide: what a round prevents against what it blocks', () => {
  it('skips the round when traffic alone keeps the pool the forecast needs, and says so', () => {
    // A steady 20 leaves a shortfall (the headroom asks for 24); a burst of 30 within the last 10 minutes,
    // over a steady 10, does not: those 30 containers are still alive.
    const d = decide(cfg({ assumedIdleMinutes: 10, busyShare: 0 }), steady(20), null, NOW);
    expect(d.rawCount).toBeGreaterThan(0);
    expect(d.interference).toMatchObject({ trafficPool: 20, verdict: 'go' });
    const quiet = decide(
      cfg({ assumedIdleMinutes: 10, busyShare: 0 }, { model: 'peak-quantile' }),
      history(range(360, (i) => (i >= 350 && i < 354 ? 30 : 10))),
      null,
      NOW,
    );
    expect(quiet.interference).toMatchObject({
      trafficPool: 30,
      shortfall: 0,
      verdict: 'traffic-keeps-pool',
    });
    expect(quiet.count).toBe(0);
    expect(codes(quiet)).toContain(REASON_CODES.trafficKeepsPool);
  });

  it('keeps min when it skips a round', () => {
    const d = decide(
      cfg({ assumedIdleMinutes: 10, busyShare: 0 }, { min: 3, model: 'peak-quantile' }),
      history(range(360, (i) => (i >= 350 && i < 354 ? 30 : 10))),
      null,
      NOW,
    );
    expect(d.count).toBe(3);
    expect(codes(d)).toContain(REASON_CODES.trafficKeepsPool);
  });

  it('sizes the round to the whole target after a lull: nothing of the pool is left to credit', () => {
    // Busy all morning, quiet for the last 20 minutes: the containers traffic used are reaped by now.
    const h = history(range(360, (i) => (i >= 340 ? 0 : 8)));
    const d = decide(cfg({ assumedIdleMinutes: 10, busyShare: 0 }), h, null, NOW);
    expect(d.interference).toMatchObject({ trafficPool: 0, verdict: 'go' });
    expect(d.interference?.shortfall).toBe(d.boundedCount);
    expect(d.count).toBe(d.boundedCount);
  });

  it('shrinks the round by the containers busy when it lands, never below the shortfall', () => {
    const d = decide(cfg({ assumedIdleMinutes: 10, busyShare: 1 }), steady(20), null, NOW);
    // Target ceil(20 × 1.2) = 24, traffic keeps 20, 20 busy at the round: 4 pings add the 4 missing.
    expect(d.boundedCount).toBe(24);
    expect(d.interference).toMatchObject({ trafficPool: 20, shortfall: 4, verdict: 'go' });
    expect(d.count).toBe(4);
    expect(codes(d)).toContain(REASON_CODES.trafficKeepsPool);
  });

  it('skips a round whose measured interference exceeds the cold starts it can prevent', () => {
    // Rounds every tick for the last 6 hours; each ping minute had 6 cold starts, other minutes none.
    const pastDecisions = decisionsEvery(TICK, NOW - 360 * MIN, NOW, () => 24);
    const pingMinutes = new Set(
      pastDecisions.map((p) => Math.floor((p.warmedAtMs - (NOW - 360 * MIN)) / MIN)),
    );
    const coldStarts = { startMs: NOW - 360 * MIN, values: range(360, (i) => (pingMinutes.has(i) ? 6 : 0)) };
    const h = steady(20, { pastDecisions, coldStarts });
    const d = decide(cfg({ assumedIdleMinutes: 10, busyShare: 0, weight: 1 }), h, null, NOW);
    expect(d.interference?.shortfall).toBe(4);
    expect(d.interference?.perRound).toBeCloseTo(6, 5);
    expect(d.interference?.verdict).toBe('interference-limited');
    expect(d.count).toBe(0);
    expect(codes(d)).toContain(REASON_CODES.interferenceLimited);
    // The same history with a heavier weight on prevention lets the round go ahead.
    expect(decide(cfg({ assumedIdleMinutes: 10, busyShare: 0, weight: 2 }), h, null, NOW).count).toBe(24);
  });

  it('goes ahead, and measures again, when no round in the lookback measured interference', () => {
    const d = decide(cfg({ busyShare: 0 }), steady(20), null, NOW);
    expect(d.interference).toMatchObject({ perRound: null, rounds: 0, verdict: 'go' });
    expect(d.count).toBe(24);
  });

  it('stops rounds beyond min after quietMinutes without real traffic: a stale forecast warms only silence', () => {
    // Busy until 40 minutes ago, nothing since: the forecast still carries the busy hours.
    const h = history(range(360, (i) => (i < 320 ? 12 : 0)));
    const off = decide(
      cfg({ assumedIdleMinutes: 0, busyShare: 0 }, { model: 'peak-quantile' }),
      h,
      null,
      NOW,
    );
    expect(off.count).toBeGreaterThan(0);
    const on = decide(
      cfg({ assumedIdleMinutes: 0, busyShare: 0, quietMinutes: 30 }, { model: 'peak-quantile', min: 1 }),
      h,
      null,
      NOW,
    );
    expect(on.count).toBe(1);
    expect(on.interference?.verdict).toBe('quiet-skip');
    expect(codes(on)).toContain(REASON_CODES.quietSkip);
    // Traffic 20 minutes ago is not quiet for 30.
    const recent = history(range(360, (i) => (i < 340 ? 12 : 0)));
    const d = decide(
      cfg({ assumedIdleMinutes: 0, busyShare: 0, quietMinutes: 30 }, { model: 'peak-quantile' }),
      recent,
      null,
      NOW,
    );
    expect(d.interference?.verdict).toBe('go');
  });

  it('skips a round that would add under minShortfallShare of itself beyond the pool traffic just used', () => {
    // Four quiet hours, then a burst of ~950 for four minutes that is falling: the forecast asks for ~1,000 and
    // the containers the burst used are still alive, so a round of 1,000 pings would add about 45.
    const burst = history(range(360, (i) => [0, 800, 955, 955, 854][i - 355] ?? 0));
    const knobs = { assumedIdleMinutes: 5, busyShare: 0 };
    const skipped = decide(cfg({ ...knobs, minShortfallShare: 0.1 }, { max: 1_000 }), burst, null, NOW);
    expect(skipped.interference).toMatchObject({ trafficPool: 955, verdict: 'traffic-keeps-pool' });
    expect(skipped.interference?.shortfall).toBeGreaterThan(0);
    expect(skipped.count).toBe(0);
    expect(skipped.reasons.find((r) => r.code === REASON_CODES.trafficKeepsPool)?.message).toMatch(
      /a round of 1000 ping\(s\) would add \d+, under 0\.1 of it/,
    );
    const off = decide(cfg({ ...knobs, minShortfallShare: 0 }, { max: 1_000 }), burst, null, NOW);
    expect(off.interference?.verdict).toBe('go');
    expect(off.count).toBe(1_000);
    // a round that adds a real share of itself goes ahead: 20 steady, the target 24 adds 4 of 24
    const steadyGo = decide(cfg({ ...knobs, minShortfallShare: 0.1 }), steady(20), null, NOW);
    expect(steadyGo.interference?.verdict).toBe('go');
  });

  it('counts the containers busy when the round lands in the pool, even with no idle-time credit', () => {
    const d = decide(cfg({ assumedIdleMinutes: 0, busyShare: 1 }), steady(20), null, NOW);
    expect(d.interference).toMatchObject({ trafficPool: 20, shortfall: 4, verdict: 'go' });
    expect(d.count).toBe(4);
  });

  it('picks the hold from the dispatch rate measured on the last rounds (median of 3)', () => {
    const at = (k: number) => NOW - k * TICK;
    const pastDecisions = [
      { windowStartMs: at(1), warmedAtMs: at(1), count: 11, reached: 11, dispatchSpreadMs: 50 }, // 200/s
      { windowStartMs: at(2), warmedAtMs: at(2), count: 11, reached: 11, dispatchSpreadMs: 20 }, // 500/s
      { windowStartMs: at(3), warmedAtMs: at(3), count: 11, reached: 11, dispatchSpreadMs: 100 }, // 100/s
      { windowStartMs: at(4), warmedAtMs: at(4), count: 11, reached: 11, dispatchSpreadMs: 1 }, // not read
    ];
    const d = decide(cfg({ assumedIdleMinutes: 0 }), steady(10, { pastDecisions }), null, NOW);
    expect(d.hold?.source).toBe('measured');
    expect(d.hold?.holdMs).toBe(pickHold(d.count, 200).holdMs);
    const none = decide(cfg({ assumedIdleMinutes: 0 }), steady(10), null, NOW);
    expect(none.hold).toMatchObject({ source: 'assumed', holdMs: pickHold(none.count, null).holdMs });
    const fixed = decide(cfg({}, { holdMs: 300 }), steady(10), null, NOW);
    expect(fixed.hold).toMatchObject({ source: 'target', holdMs: 300 });
  });
});
