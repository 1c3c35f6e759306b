import { REASON_CODES, type TuningState } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import {
  HEADROOM,
  initialTuningState,
  normaliseTuningState,
  TUNING,
  TUNING_CHANGES,
  updateTuning,
} from '../src/tuning/headroom.js';
import { jitter, runLoop } from './engine-helpers.js';

const W = 1_000_000;
const at = (headroom: number, quietWindows = 0, updatedForWindowMs: number | null = null): TuningState => ({
  version: 1,
  headroom,
  updatedForWindowMs,
  quietWindows,
  lastCount: null,
});

describe('updateTuning', () => {
  it.each([
    {
      name: 'one cold start against 20 warm raises it 2.5 %',
      cold: 1,
      warmed: 20,
      from: 1.2,
      to: 1.2 * 1.025,
    },
    { name: 'cold starts at least the warm count raise it 50 %', cold: 30, warmed: 20, from: 1.2, to: 1.8 },
    { name: 'never above the upper bound', cold: 50, warmed: 10, from: 2.5, to: HEADROOM.max },
  ])('$name', ({ cold, warmed, from, to }) => {
    const u = updateTuning(at(from), { coldStarts: cold, observedPeak: warmed + cold, warmed }, W);
    expect(u.change).toBe(TUNING_CHANGES.raised);
    expect(u.state.headroom).toBeCloseTo(to, 9);
    expect(u.state.quietWindows).toBe(0);
    expect(u.state.updatedForWindowMs).toBe(W);
  });

  it('decays slowly toward the lower bound only after the grace windows', () => {
    let s = at(2);
    const seen: number[] = [];
    for (let k = 1; k <= TUNING.quietGrace + 2; k++) {
      s = updateTuning(s, { coldStarts: 0, observedPeak: 5, warmed: 10 }, W * k).state;
      seen.push(s.headroom);
    }
    expect(seen.slice(0, TUNING.quietGrace)).toEqual(Array(TUNING.quietGrace).fill(2));
    expect(seen[TUNING.quietGrace]).toBeCloseTo(1 + (2 - 1) * (1 - TUNING.decayRate), 9);
    expect(seen[TUNING.quietGrace + 1]).toBeCloseTo(1 + (2 - 1) * (1 - TUNING.decayRate) ** 2, 9);
    for (let k = 0; k < 500; k++)
      s = updateTuning(s, { coldStarts: 0, observedPeak: 5, warmed: 10 }, W * (k + 10)).state;
    expect(s.headroom).toBeGreaterThanOrEqual(HEADROOM.min);
    expect(s.headroom).toBeLessThan(HEADROOM.min + 0.001);
  });

  it('holds when the warm capacity was used and nobody started cold', () => {
    const u = updateTuning(at(1.5, 4), { coldStarts: 0, observedPeak: 10, warmed: 10 }, W);
    expect(u.change).toBe(TUNING_CHANGES.held);
    expect(u.state.headroom).toBe(1.5);
    expect(u.state.quietWindows).toBe(0);
  });

  it('does not blame the headroom for cold starts when nothing was warmed', () => {
    const u = updateTuning(at(1.5), { coldStarts: 4, observedPeak: 4, warmed: 0 }, W);
    expect(u.change).toBe(TUNING_CHANGES.held);
    expect(u.state.headroom).toBe(1.5);
  });

  it('does not raise on cold starts that fell in ping minutes (possible ping interference)', () => {
    const u = updateTuning(
      at(1.5),
      { coldStarts: 0, coldStartsDuringPings: 3, observedPeak: 6, warmed: 10 },
      W,
    );
    expect(u.change).not.toBe(TUNING_CHANGES.raised);
    expect(u.message).toMatch(/interference/);
  });

  it('does not raise while the count was capped by max or the budget (more headroom cannot add containers)', () => {
    const capped = { ...at(1.5), capped: true };
    const u = updateTuning(capped, { coldStarts: 8, observedPeak: 30, warmed: 20 }, W);
    expect(u.change).toBe(TUNING_CHANGES.held);
    expect(u.state.headroom).toBe(1.5);
    expect(u.message).toMatch(/capped/);
  });

  it('applies one window once: a repeated or late tick leaves the state as it is', () => {
    const first = updateTuning(at(1.2), { coldStarts: 5, observedPeak: 15, warmed: 10 }, W);
    const again = updateTuning(first.state, { coldStarts: 5, observedPeak: 15, warmed: 10 }, W);
    const late = updateTuning(first.state, { coldStarts: 5, observedPeak: 15, warmed: 10 }, W - 300_000);
    expect(again.change).toBe(TUNING_CHANGES.alreadyApplied);
    expect(again.state).toEqual(first.state);
    expect(late.state).toEqual(first.state);
  });

  it.each([
    { name: 'null', state: null, headroom: HEADROOM.initial },
    { name: 'headroom above the bound', state: at(10), headroom: HEADROOM.max },
    { name: 'headroom below the bound', state: at(0.2), headroom: HEADROOM.min },
    { name: 'NaN headroom', state: at(Number.NaN), headroom: HEADROOM.initial },
  ])('normalises a stored state: $name', ({ state, headroom }) => {
    expect(normaliseTuningState(state).headroom).toBe(headroom);
  });

  it('starts fresh', () => {
    expect(initialTuningState()).toEqual({
      version: 1,
      headroom: HEADROOM.initial,
      updatedForWindowMs: null,
      quietWindows: 0,
      lastCount: null,
    });
  });
});

describe('self-tuning in a closed loop', () => {
  // A hidden load whose level steps 10 -> 40 -> 10, with minute-scale noise of +-15 %.
  const STEP_UP = 360 + 120; // minutes: 6 h of pre-history, then 2 h at 10
  const STEP_DOWN = STEP_UP + 180; // 3 h at 40
  const level = (m: number) => (m < STEP_UP ? 10 : m < STEP_DOWN ? 40 : 10);
  const load = (m: number) => Math.round(level(m) * (0.85 + 0.3 * jitter(m)));
  const steps = runLoop({ load, warmupMinutes: 360, ticks: (120 + 180 + 240) / 5 });
  const tickOf = (minute: number) => (minute - 360) / 5;
  const slice = (fromMinute: number, toMinute: number) => steps.slice(tickOf(fromMinute), tickOf(toMinute));
  const headroom = (s: (typeof steps)[number] | undefined) => s?.decision.headroom ?? Number.NaN;

  it('raises the headroom after the step up', () => {
    const before = headroom(steps[tickOf(STEP_UP) - 1]);
    const afterUp = Math.max(...slice(STEP_UP, STEP_UP + 60).map(headroom));
    expect(afterUp).toBeGreaterThan(before);
    const raised = slice(STEP_UP, STEP_UP + 60).some((s) =>
      s.decision.reasons.some((r) => r.code === REASON_CODES.headroomRaised),
    );
    expect(raised).toBe(true);
  });

  it('tracks the higher level: the warm count covers it and cold starts die out', () => {
    const lastHourUp = slice(STEP_DOWN - 60, STEP_DOWN);
    for (const s of lastHourUp) expect(s.decision.count).toBeGreaterThanOrEqual(40);
    // Converged: within twice the true peak (46) once the headroom has decayed from its post-step high.
    for (const s of lastHourUp) expect(s.decision.count).toBeLessThanOrEqual(2 * 46);
    const cold = (xs: typeof steps) => xs.reduce((sum, s) => sum + s.coldStarts, 0);
    expect(cold(lastHourUp)).toBeLessThan(cold(slice(STEP_UP, STEP_UP + 60)));
  });

  it('decays the headroom after the step down and lets the count fall back to the lower level', () => {
    const peakHeadroom = Math.max(...slice(STEP_UP, STEP_DOWN).map(headroom));
    const end = steps.at(-1);
    expect(headroom(end)).toBeLessThan(peakHeadroom);
    const decayed = slice(STEP_DOWN, STEP_DOWN + 240).some((s) =>
      s.decision.reasons.some((r) => r.code === REASON_CODES.headroomDecayed),
    );
    expect(decayed).toBe(true);
    expect(end?.decision.count).toBeGreaterThanOrEqual(10);
    expect(end?.decision.count).toBeLessThanOrEqual(Math.ceil(11.5 * headroom(end)) + 1);
    expect(end?.decision.count).toBeLessThan(20);
  });
});
