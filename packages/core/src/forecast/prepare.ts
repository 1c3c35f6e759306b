import type { TargetHistory } from '../decision/types.js';
import { maskWarmMinutes, pingLoads } from './mask.js';
import { SEASONS } from './models.js';
import { MINUTE, type PreparedSeries, prepareSeries } from './series.js';

/**
 * How much recent history the engine reads: 6 hours of 1-minute points (72 windows at a 5-minute tick). Enough
 * for Holt to settle and for a 2-hour backtest; older minutes add cost and describe a different regime.
 * The seasonal references are read only over the same span shifted back, plus the target window.
 */
export const LOOKBACK_MINUTES = 360;

/**
 * CloudWatch datapoints appear a minute or more late. The concurrency series drops up to this many missing
 * minutes at its end (not reported yet, rather than quiet), and the self-tuning reads the window that ended this
 * many minutes before the tick: consecutive ticks then read consecutive spans, every minute once, after it has
 * arrived.
 */
export const REPORTING_LAG_MINUTES = 2;

/** Everything the forecast and the self-tuning read, trimmed, cleaned and with warm minutes masked. */
export interface PreparedHistory {
  readonly concurrency: PreparedSeries;
  readonly dayAgo: PreparedSeries;
  readonly weekAgo: PreparedSeries;
  readonly coldStarts: PreparedSeries;
  /** Pings per minute of `coldStarts` (non-zero where the controller's pings held containers). */
  readonly coldStartPings: Float64Array;
  /** Minutes of `concurrency` that carried pings and were imputed. */
  readonly maskedMinutes: number;
}

export function prepareHistory(
  history: TargetHistory,
  windowStartMs: number,
  windowEndMs: number,
  pingSpanMs: number,
  tickMs: number = windowEndMs - windowStartMs,
): PreparedHistory {
  const concurrency = prepareSeries(
    history.concurrency,
    windowStartMs - LOOKBACK_MINUTES * MINUTE,
    windowEndMs,
    LOOKBACK_MINUTES,
    REPORTING_LAG_MINUTES,
  );
  const from =
    concurrency.values.length > 0 ? concurrency.startMs : windowStartMs - LOOKBACK_MINUTES * MINUTE;
  const refMinutes = LOOKBACK_MINUTES + Math.ceil((windowEndMs - windowStartMs) / MINUTE) + 60;
  const ref = (s: TargetHistory['dayAgo'], period: number) =>
    prepareSeries(s, from - period, windowEndMs - period, refMinutes);
  const dayAgo = ref(history.dayAgo, SEASONS.day);
  const weekAgo = ref(history.weekAgo, SEASONS.week);
  const [maskedMinutes = 0] = maskWarmMinutes([concurrency], history.pastDecisions, pingSpanMs);
  // The references reach back a day and a week, usually past the decisions the caller kept: there the pings are
  // placed by the tick schedule (see markUnrecordedPings).
  maskWarmMinutes([dayAgo, weekAgo], history.pastDecisions, pingSpanMs, tickMs);
  const coldStarts = prepareSeries(
    history.coldStarts,
    windowStartMs - LOOKBACK_MINUTES * MINUTE,
    windowEndMs,
    LOOKBACK_MINUTES,
  );
  const coldStartPings = pingLoads(coldStarts, history.pastDecisions, pingSpanMs);
  return { concurrency, dayAgo, weekAgo, coldStarts, coldStartPings, maskedMinutes };
}

/** The span the self-tuning reads for a tick: the tick interval, ending REPORTING_LAG_MINUTES before it. */
export function feedbackSpan(windowStartMs: number, tickMinutes: number): { fromMs: number; toMs: number } {
  const toMs = windowStartMs - REPORTING_LAG_MINUTES * MINUTE;
  return { fromMs: toMs - tickMinutes * MINUTE, toMs };
}

/**
 * User cold starts over [fromMs, toMs), split by whether the controller's pings held containers in that
 * minute. Cold starts in ping minutes may be the pings' own interference (a real request finding its idle
 * container held by a ping); more headroom means more pings and cannot cure those, so the self-tuning reads
 * only the others.
 */
export function coldStartsOver(
  h: PreparedHistory,
  fromMs: number,
  toMs: number,
): { outsidePings: number; duringPings: number } {
  const s = h.coldStarts;
  const v = s.values;
  const a = Math.max(0, Math.ceil((fromMs - s.startMs) / MINUTE));
  const b = Math.min(v.length, Math.ceil((toMs - s.startMs) / MINUTE));
  let outsidePings = 0;
  let duringPings = 0;
  for (let i = a; i < b; i++) {
    if ((h.coldStartPings[i] as number) > 0) duringPings += v[i] as number;
    else outsidePings += v[i] as number;
  }
  return { outsidePings, duringPings };
}
