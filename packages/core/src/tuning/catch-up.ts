import type { TuningState } from '../decision/types.js';
import { TUNING_CHANGES, type TuningFeedback, type TuningUpdate, updateTuning } from './headroom.js';

/**
 * The most windows one read feeds back. A read that follows deferred ticks (`read-deferred`, up to
 * `maxTicksBetweenReads`, 8 by default) or failed ones applies the feedback of every window it missed; past an
 * hour the misses describe another regime, and older windows are left unapplied rather than replayed.
 */
export const CATCH_UP_MAX_WINDOWS = 12;

/**
 * The windows whose feedback the tick at `windowStartMs` applies, oldest first and ending with `windowStartMs`:
 * every window after the one the tuning state was last updated for, at most `maxWindows`. Empty when the state
 * is already updated for this window or a later one (a tick delivered twice applies nothing again). A fresh
 * state (never updated) applies this window only. Pure.
 */
export function unappliedWindows(
  state: Pick<TuningState, 'updatedForWindowMs'> | null,
  windowStartMs: number,
  tickMs: number,
  maxWindows: number = CATCH_UP_MAX_WINDOWS,
): number[] {
  const seen = state?.updatedForWindowMs ?? null;
  if (seen !== null && seen >= windowStartMs) return [];
  if (seen === null || !(Number.isFinite(tickMs) && tickMs > 0)) return [windowStartMs];
  const most = Math.max(1, Math.floor(Number.isFinite(maxWindows) ? maxWindows : 1));
  const n = Math.min(most, Math.max(1, Math.round((windowStartMs - seen) / tickMs)));
  return Array.from({ length: n }, (_, i) => windowStartMs - (n - 1 - i) * tickMs);
}

/** A catch-up's net update, and the headroom each window had after its own feedback (oldest first). */
export interface CaughtUp extends TuningUpdate {
  readonly headrooms: readonly number[];
}

/**
 * Applies each window's feedback in turn (`updateTuning`), oldest first, as a tick every window would have. The
 * change is the net one (raised, decayed or held); the message is the window's own when there is one window,
 * and otherwise names how many were fed back and what moved the headroom. Pure.
 */
export function catchUpTuning(
  state: TuningState,
  windows: readonly number[],
  feedbackOf: (windowStartMs: number) => TuningFeedback,
): CaughtUp {
  if (windows.length === 0) {
    return {
      headrooms: [],
      state,
      change: TUNING_CHANGES.alreadyApplied,
      message: `feedback for this window already applied; headroom stays ${state.headroom.toFixed(3)}`,
    };
  }
  let s = state;
  let last: TuningUpdate | null = null;
  const moves: string[] = [];
  const headrooms: number[] = [];
  for (const w of windows) {
    last = updateTuning(s, feedbackOf(w), w);
    s = last.state;
    headrooms.push(s.headroom);
    if (last.change === TUNING_CHANGES.raised || last.change === TUNING_CHANGES.decayed)
      moves.push(last.message);
  }
  if (windows.length === 1 && last !== null) return { ...last, headrooms };
  const change =
    s.headroom > state.headroom
      ? TUNING_CHANGES.raised
      : s.headroom < state.headroom
        ? TUNING_CHANGES.decayed
        : TUNING_CHANGES.held;
  const shown =
    moves.length > 3 ? [...moves.slice(0, 1), `…${moves.length - 2} more…`, ...moves.slice(-1)] : moves;
  const detail = shown.length > 0 ? `: ${shown.join('; ')}` : '';
  return {
    headrooms,
    state: s,
    change,
    message: `${windows.length} windows fed back (every window since the last update), headroom ${state.headroom.toFixed(3)} -> ${s.headroom.toFixed(3)}${detail}`,
  };
}
