import type { ForecastModelChoice } from '../config/types.js';
import { forecastPeak } from '../forecast/forecast.js';
import { prepareHistory } from '../forecast/prepare.js';
import { MINUTE } from '../forecast/series.js';
import type { MinuteSeries, ReplayedRawCount, TargetHistory } from './types.js';

/** Floating-point slack so that, say, 10 × 1.2 does not round up to 13. */
const CEIL_EPSILON = 1e-9;

/** A decision's raw count: ceil(forecast peak × headroom), 0 when the forecast asks for nothing. */
export function rawCountOf(peak: number, headroom: number): number {
  return peak > 0 ? Math.ceil(peak * headroom - CEIL_EPSILON) : 0;
}

/**
 * What the ticks that did not read (deferred, or failed) would have decided, replayed from this read: each missed
 * window's forecast made from the minutes a read at that tick would have had (the series cut where that tick's
 * read would have ended), times the headroom the tuning had for it. Returns the highest raw count among them, or
 * null when none asked for a container. Scale-down stabilization then holds the pool up to it, as it would have
 * after a read at that tick: a burst between two reads asks for what it would have asked for when read at once.
 * Pure.
 */
export function replayMissedWindows(
  history: TargetHistory,
  missed: readonly { readonly windowStartMs: number; readonly headroom: number }[],
  choice: ForecastModelChoice,
  horizonMinutes: number,
  pingSpanMs: number,
  tickMs: number,
): ReplayedRawCount | null {
  let best: ReplayedRawCount | null = null;
  for (const m of missed) {
    const endMs = m.windowStartMs + horizonMinutes * MINUTE;
    // A read at that tick would have ended a minute before it (the newest minute not reported yet).
    const cutMs = m.windowStartMs - MINUTE;
    // The forecast reads no cold starts: leaving them out spares masking them again for every window.
    const h: TargetHistory = {
      ...history,
      concurrency: cut(history.concurrency, cutMs),
      coldStarts: { startMs: cutMs, values: [] },
    };
    const prepared = prepareHistory(h, m.windowStartMs, endMs, pingSpanMs, tickMs);
    const fc = forecastPeak(prepared, choice, horizonMinutes, m.windowStartMs, endMs);
    const raw = rawCountOf(fc.peak, m.headroom);
    if (raw > 0 && (best === null || raw > best.rawCount))
      best = { windowStartMs: m.windowStartMs, rawCount: raw };
  }
  return best;
}

/** The minutes of `s` that start before `endMs`. */
function cut(s: MinuteSeries, endMs: number): MinuteSeries {
  if (!s || !Array.isArray(s.values)) return s;
  const n = Math.max(0, Math.min(s.values.length, Math.floor((endMs - s.startMs) / MINUTE)));
  return { startMs: s.startMs, values: s.values.slice(0, n) };
}
