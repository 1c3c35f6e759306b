import type { MinuteSeries, PastDecision } from '../decision/types.js';
import { maskWarmMinutes } from './mask.js';
import { cleanReading, MINUTE, prepareSeries } from './series.js';

/** How long a ping may inflate the metric when `holdMs` is `auto`: the hold cap (MAX_HOLD_MS). */
export const AUTO_PING_SPAN_MS = 10_000;

/** The span over which a target's pings may inflate `ConcurrentExecutions`: its hold, or the cap when `auto`. */
export function pingSpanMs(holdMs: number | 'auto' | undefined): number {
  return typeof holdMs === 'number' && holdMs >= 0 ? holdMs : AUTO_PING_SPAN_MS;
}

/**
 * Peak concurrency of real traffic over [fromMs, toMs): the `ConcurrentExecutions` Maximum with the minutes the
 * controller's own pings inflated masked and imputed exactly as `decide()` masks them (see maskWarmMinutes).
 * The raw reading of a ping minute is at least the warm count, so set against the warm count it always looks
 * met; this is the figure to judge a forecast by. Missing minutes inside the series read as 0 (Lambda reports
 * no datapoint for a minute without executions). Null when the series does not reach the span.
 *
 * `decisions` newest first, as `decide()` takes them. A minute is masked by decisions that fired in it, so
 * pass the ones that warmed before `toMs`.
 */
export function realPeakOver(
  concurrency: MinuteSeries | undefined,
  decisions: readonly PastDecision[],
  holdMs: number | 'auto' | undefined,
  fromMs: number,
  toMs: number,
): number | null {
  // Read a few minutes either side, so a ping minute at the span's edge is imputed from its real neighbours.
  const pad = 4 * MINUTE;
  const s = prepareSeries(concurrency, fromMs - pad, toMs + pad, Number.MAX_SAFE_INTEGER);
  if (s.values.length === 0) return null;
  maskWarmMinutes([s], decisions, pingSpanMs(holdMs));
  let peak: number | null = null;
  for (let i = 0; i < s.values.length; i++) {
    const t = s.startMs + i * MINUTE;
    if (t < fromMs || t >= toMs) continue;
    const v = cleanReading(s.values[i]);
    if (v !== null) peak = Math.max(peak ?? 0, v);
  }
  return peak;
}
