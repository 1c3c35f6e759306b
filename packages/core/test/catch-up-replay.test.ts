import { describe, expect, it } from 'vitest';
import {
  coldStartsNeeded,
  decide,
  type PastDecision,
  REASON_CODES,
  replayedToHold,
  replayMissedWindows,
  stabilizedCount,
  type TuningState,
} from '../src/index.js';
import { catchUpTuning, unappliedWindows } from '../src/tuning/catch-up.js';
import { endingAt, MIN, NOW, target } from './engine-helpers.js';

const TICK = 5 * MIN;
const state = (updatedForWindowMs: number | null, headroom = 1.2): TuningState => ({
  version: 1,
  headroom,
  updatedForWindowMs,
  quietWindows: 0,
  lastCount: 2,
});

describe('unappliedWindows: every window since the tuning was last updated', () => {
  it.each([
    { name: 'a fresh state applies this window only', seen: null, out: [NOW] },
    { name: 'the tick after the last update', seen: NOW - TICK, out: [NOW] },
    { name: 'after 3 deferred ticks', seen: NOW - 4 * TICK, out: [3, 2, 1, 0].map((k) => NOW - k * TICK) },
    { name: 'the same tick delivered again', seen: NOW, out: [] },
    { name: 'a later state (a late delivery)', seen: NOW + TICK, out: [] },
    {
      name: 'a long outage: at most 12 windows',
      seen: NOW - 100 * TICK,
      out: Array.from({ length: 12 }, (_, i) => NOW - (11 - i) * TICK),
    },
  ])('$name', ({ seen, out }) => {
    expect(unappliedWindows({ updatedForWindowMs: seen }, NOW, TICK)).toEqual(out);
  });
});

describe('catchUpTuning: the feedback of each missed window in turn', () => {
  const quiet = { coldStarts: 0, observedPeak: 0, warmed: 4 };
  it('raises the headroom for a burst in a window that was not read, and names how many windows it fed back', () => {
    const windows = [NOW - 2 * TICK, NOW - TICK, NOW];
    const u = catchUpTuning(state(NOW - 3 * TICK), windows, (w) =>
      w === NOW - 2 * TICK ? { coldStarts: 4, observedPeak: 8, warmed: 4 } : quiet,
    );
    expect(u.change).toBe('raised');
    expect(u.state.headroom).toBeCloseTo(1.8);
    expect(u.state.updatedForWindowMs).toBe(NOW);
    expect(u.headrooms).toHaveLength(3);
    expect(u.headrooms[0]).toBeCloseTo(1.8);
    expect(u.message).toMatch(/^3 windows fed back/);
  });

  it('is one updateTuning for one window, and changes nothing for none', () => {
    const one = catchUpTuning(state(NOW - TICK), [NOW], () => quiet);
    expect(one.message).toMatch(/^quiet window 1/);
    const none = catchUpTuning(state(NOW), [], () => quiet);
    expect(none).toMatchObject({ change: 'already-applied', headrooms: [] });
    expect(none.state).toEqual(state(NOW));
  });
});

describe('replayMissedWindows: what the ticks that did not read would have asked for', () => {
  // Quiet at 1, then a burst of 9 from 20 to 17 minutes ago, then 1 again.
  const values = [...Array(300).fill(1), 9, 9, 9, ...Array(15).fill(1)];
  const concurrency = endingAt(NOW - 2 * MIN, values);
  const h = {
    concurrency,
    coldStarts: endingAt(NOW - 2 * MIN, []),
    pastDecisions: [] as PastDecision[],
    capacity: { reservedConcurrency: null, unreservedConcurrency: null },
  };

  it('finds the window read right after the burst, and sees no minute after each window’s own read', () => {
    const missed = [4, 3, 2, 1].map((k) => ({ windowStartMs: NOW - k * TICK, headroom: 1.2 }));
    const r = replayMissedWindows(h, missed, 'peak-quantile', 5, 1_000, TICK);
    expect(r).not.toBeNull();
    // the burst's minutes start 20, 19 and 18 minutes before NOW: the first window whose read (ending a minute
    // before it) had them starts 15 minutes before NOW
    expect(r?.windowStartMs).toBe(NOW - 3 * TICK);
    expect(r?.rawCount).toBe(Math.ceil(9 * 1.2));
    // a window before the burst asks for what the quiet level asks for
    const before = replayMissedWindows(h, missed.slice(0, 1), 'peak-quantile', 5, 1_000, TICK);
    expect(before?.rawCount).toBe(2);
  });

  it('returns null when no missed window asks for a container', () => {
    const idle = { ...h, concurrency: endingAt(NOW - 2 * MIN, Array(300).fill(0)) };
    const missed = [{ windowStartMs: NOW - TICK, headroom: 1.2 }];
    expect(replayMissedWindows(idle, missed, 'auto', 5, 1_000, TICK)).toBeNull();
  });

  it('holds the pool up from a read that followed deferred ticks, at the window it replayed', () => {
    const t = target({ holdMs: 100, stabilization: { windowMinutes: 60, maxCount: 10 } });
    const d = decide({ target: t, tickIntervalSeconds: 300 }, h, state(NOW - 5 * TICK), NOW);
    expect(d.replayed).toEqual({ windowStartMs: NOW - 3 * TICK, rawCount: 10 + 1 });
    expect(d.stabilized).toEqual({ count: 10, fromWindowMs: NOW - 3 * TICK });
    const held = d.reasons.find((r) => r.code === REASON_CODES.scaleDownHeld);
    expect(held?.message).toMatch(/replayed from this read/);
    // The next decisions hold it as that window's own raw count would have been held: cut to maxCount, and gone
    // once the window is older than the stabilization window.
    const next: PastDecision = {
      windowStartMs: NOW,
      warmedAtMs: NOW,
      count: d.count,
      rawCount: d.rawCount,
      replayed: replayedToHold(d),
    };
    expect(stabilizedCount(0, [next], NOW + TICK, { windowMinutes: 60, maxCount: 10 })).toEqual({
      count: 10,
      fromWindowMs: NOW - 3 * TICK,
      replayed: true,
    });
    expect(stabilizedCount(0, [next], NOW + 10 * TICK, { windowMinutes: 60, maxCount: 10 }).count).toBe(
      d.rawCount,
    );
  });

  it('counts this decision’s own replay at its window, and not once it is older than the window', () => {
    const opts = { windowMinutes: 30, maxCount: 10 };
    const mine = { windowStartMs: NOW - TICK, rawCount: 4 };
    expect(stabilizedCount(1, [], NOW, opts, mine)).toEqual({
      count: 4,
      fromWindowMs: NOW - TICK,
      replayed: true,
    });
    const old = { windowStartMs: NOW - 7 * TICK, rawCount: 4 };
    expect(stabilizedCount(1, [], NOW, opts, old)).toEqual({ count: 1, fromWindowMs: null });
  });

  it('decides the same when the tick is delivered again: the replay rides on the state for its window only', () => {
    // max 5: the replayed 10 is cut by max, so the state says capped; the redelivery must say so too
    const t = target({ holdMs: 100, max: 5, stabilization: { windowMinutes: 60, maxCount: 10 } });
    const cfg = { target: t, tickIntervalSeconds: 300 };
    const first = decide(cfg, h, state(NOW - 5 * TICK), NOW);
    expect(first.state.replayed).toEqual(first.replayed);
    expect(first.state.capped).toBe(true);
    const again = decide(cfg, h, first.state, NOW);
    expect(again.count).toBe(first.count);
    expect(again.replayed).toEqual(first.replayed);
    expect(again.state).toEqual(first.state);
    // the next window replays nothing of its own and carries nothing over
    const next = decide(cfg, h, first.state, NOW + TICK);
    expect(next.replayed).toBeUndefined();
    expect(next.state.replayed).toBeUndefined();
  });

  it('replays nothing on the tick after a read', () => {
    const t = target({ holdMs: 100 });
    const d = decide({ target: t, tickIntervalSeconds: 300 }, h, state(NOW - TICK), NOW);
    expect(d.replayed).toBeUndefined();
  });
});

describe('coldStartsNeeded over every window a read feeds back', () => {
  // One real request 20 minutes ago; quiet since.
  const concurrency = endingAt(NOW - MIN, [...Array(40).fill(0), 1, ...Array(19).fill(0)]);
  const input = { concurrency, pastDecisions: [], holdMs: 100, tickIntervalSeconds: 300, nowMs: NOW };
  it('is not needed when only the last window is fed back and it was quiet', () => {
    expect(coldStartsNeeded({ ...input, tuningUpdatedForWindowMs: NOW - TICK })).toBe(false);
  });
  it('is needed when the read feeds back the deferred window in which the function ran', () => {
    expect(coldStartsNeeded({ ...input, tuningUpdatedForWindowMs: NOW - 6 * TICK })).toBe(true);
  });
  it('is not needed for a tick whose feedback is applied already', () => {
    expect(coldStartsNeeded({ ...input, tuningUpdatedForWindowMs: NOW })).toBe(false);
  });
});
