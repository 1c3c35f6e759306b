import type { ReplayedRawCount, TuningState } from '../decision/types.js';

/**
 * Headroom bounds. 1.0 below: the models already aim at the 80th percentile of the window peak (see the loss),
 * so warming fewer than the forecast would knowingly under-serve it. 3.0 above: past triple the forecast the
 * miss is the forecast's (a burst no multiplier of the recent peak anticipates), and more headroom would only
 * triple the cost. The start, 1.2, covers the ordinary jitter of window peaks before any feedback arrives.
 */
export const HEADROOM = { min: 1.0, max: 3.0, initial: 1.2 } as const;

/**
 * Feedback gains.
 * - `raiseGain`: headroom × (1 + 0.5 × min(1, coldStarts / warmed)). One cold start against 20 warm containers
 *   raises it 2.5 %; cold starts at least equal to the warm count raise it 50 % (from 1.2 to 3.0 in 3 windows).
 *   Fast up, because a cold start is what users feel.
 * - `decayRate`: each quiet window (no user cold starts, observed peak below the warm count) after
 *   `quietGrace` such windows moves headroom 5 % of the way back to the lower bound: a half-life of about
 *   14 windows (70 minutes at a 5-minute tick). Slow down, so a lull between bursts does not undo the lesson.
 */
export const TUNING = { raiseGain: 0.5, decayRate: 0.05, quietGrace: 2 } as const;

export function initialTuningState(): TuningState {
  return {
    version: 1,
    headroom: HEADROOM.initial,
    updatedForWindowMs: null,
    quietWindows: 0,
    lastCount: null,
  };
}

const clampHeadroom = (h: number) => Math.min(HEADROOM.max, Math.max(HEADROOM.min, h));

/** Accepts any stored state (or none) and returns a valid one: odd fields are reset, headroom clamped. */
export function normaliseTuningState(state: TuningState | null | undefined): TuningState {
  if (state === null || typeof state !== 'object') return initialTuningState();
  const h = Number.isFinite(state.headroom) ? clampHeadroom(state.headroom) : HEADROOM.initial;
  const w = state.updatedForWindowMs;
  const q = state.quietWindows;
  const c = state.lastCount;
  return {
    version: 1,
    headroom: h,
    updatedForWindowMs: typeof w === 'number' && Number.isFinite(w) ? w : null,
    quietWindows: typeof q === 'number' && Number.isFinite(q) && q >= 0 ? Math.floor(q) : 0,
    lastCount: typeof c === 'number' && Number.isFinite(c) && c >= 0 ? Math.floor(c) : null,
    capped: state.capped === true,
    ...(validReplay(state.replayed) ? { replayed: state.replayed } : {}),
  };
}

function validReplay(r: unknown): r is ReplayedRawCount {
  const x = r as ReplayedRawCount | null | undefined;
  return typeof x?.rawCount === 'number' && Number.isFinite(x.rawCount) && Number.isFinite(x.windowStartMs);
}

/** What the last window told us. */
export interface TuningFeedback {
  /** User-felt cold starts in the last window (warm pings excluded by the metric), outside ping minutes. */
  readonly coldStarts: number;
  /** User-felt cold starts in minutes the pings held containers: possibly the pings' own interference. */
  readonly coldStartsDuringPings?: number;
  /** Peak real concurrency observed in the last window (warm minutes masked). */
  readonly observedPeak: number;
  /** Containers warmed for that window (reached where known, else decided), or null if nothing was decided. */
  readonly warmed: number | null;
  /**
   * True when the window's cold starts were not read (a busy target's count is read every few ticks): neither
   * a cold start nor their absence is known, so the headroom neither rises nor counts a quiet window.
   */
  readonly coldStartsUnread?: boolean;
}

export const TUNING_CHANGES = {
  raised: 'raised',
  decayed: 'decayed',
  held: 'held',
  alreadyApplied: 'already-applied',
} as const;
export type TuningChange = (typeof TUNING_CHANGES)[keyof typeof TUNING_CHANGES];

export interface TuningUpdate {
  /** The new state (lastCount untouched; the decision fills it in). */
  readonly state: TuningState;
  readonly change: TuningChange;
  readonly message: string;
}

/**
 * Applies one window's feedback. Idempotent per window: when `state` was already updated for this window (or a
 * later one: EventBridge may deliver a tick twice, or late), it is returned unchanged, so running the same tick
 * twice yields the same headroom.
 */
export function updateTuning(
  state: TuningState,
  feedback: TuningFeedback,
  windowStartMs: number,
): TuningUpdate {
  const seen = state.updatedForWindowMs;
  if (seen !== null && seen >= windowStartMs) {
    return {
      state,
      change: TUNING_CHANGES.alreadyApplied,
      message: `feedback for this window already applied; headroom stays ${state.headroom.toFixed(3)}`,
    };
  }
  const { coldStarts, observedPeak, warmed } = feedback;
  const during = feedback.coldStartsDuringPings ?? 0;
  const note =
    during > 0 ? ` (${during} cold start(s) in ping minutes not counted: possible ping interference)` : '';
  const base = { ...state, updatedForWindowMs: windowStartMs };
  if (feedback.coldStartsUnread === true) {
    return {
      state: base,
      change: TUNING_CHANGES.held,
      message: `cold starts of the last window not read this tick: headroom stays ${state.headroom.toFixed(3)}`,
    };
  }
  if (coldStarts > 0 && state.capped === true) {
    return {
      state: { ...base, quietWindows: 0 },
      change: TUNING_CHANGES.held,
      message: `${coldStarts} user cold start(s) while the count was capped by max or the budget: more headroom cannot add containers; headroom stays ${state.headroom.toFixed(3)}${note}`,
    };
  }
  if (coldStarts > 0 && warmed !== null && warmed > 0) {
    const ratio = Math.min(1, coldStarts / warmed);
    const headroom = clampHeadroom(state.headroom * (1 + TUNING.raiseGain * ratio));
    return {
      state: { ...base, headroom, quietWindows: 0 },
      change: TUNING_CHANGES.raised,
      message: `${coldStarts} user cold start(s) against ${warmed} warm: headroom ${state.headroom.toFixed(3)} -> ${headroom.toFixed(3)}${note}`,
    };
  }
  if (coldStarts === 0 && warmed !== null && warmed > 0 && observedPeak < warmed) {
    const quietWindows = state.quietWindows + 1;
    if (quietWindows > TUNING.quietGrace && state.headroom > HEADROOM.min) {
      const headroom = clampHeadroom(HEADROOM.min + (state.headroom - HEADROOM.min) * (1 - TUNING.decayRate));
      return {
        state: { ...base, headroom, quietWindows },
        change: TUNING_CHANGES.decayed,
        message: `${quietWindows} quiet windows (peak ${observedPeak} < ${warmed} warm, no cold starts): headroom ${state.headroom.toFixed(3)} -> ${headroom.toFixed(3)}${note}`,
      };
    }
    return {
      state: { ...base, quietWindows },
      change: TUNING_CHANGES.held,
      message: `quiet window ${quietWindows}; headroom stays ${state.headroom.toFixed(3)}${note}`,
    };
  }
  return {
    state: { ...base, quietWindows: 0 },
    change: TUNING_CHANGES.held,
    message:
      coldStarts > 0
        ? `${coldStarts} cold start(s) with nothing warmed: the forecast, not the headroom, was short${note}`
        : `no user cold starts and no unused warm capacity; headroom stays ${state.headroom.toFixed(3)}${note}`,
  };
}
