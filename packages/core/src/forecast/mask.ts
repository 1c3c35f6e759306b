import type { PastDecision } from '../decision/types.js';
import { cleanReading, MINUTE, type PreparedSeries } from './series.js';

/** How far (in minutes) to look either side of a ping minute for an unpinged neighbour. */
export const MASK_NEIGHBOUR_MINUTES = 3;

/**
 * Warming inflates its own input: the minute in which the controller fired N pings reads at least N
 * (`ConcurrentExecutions` Maximum counts the pings). Fed back unmasked, yesterday's warm count becomes today's
 * forecast and the warm pool can never shrink.
 *
 * Method: bound and impute. In a ping minute the real peak lies in [reading − pings, reading]: the pings add at
 * most `pings` to the maximum, and the real load can be no higher than the reading. The point estimate inside
 * that interval comes from the neighbouring minutes without pings (the higher of the nearest one on each side,
 * within MASK_NEIGHBOUR_MINUTES), because load is smooth at the minute scale and pings are not; with no
 * neighbour the lower bound is used. So a minute of pure pings over a falling load reads as the load, and a real
 * spike that exceeds the pings by more than the neighbours suggest is kept (reading − pings).
 *
 * A ping that starts within `pingSpanMs` of a minute's end also inflates the next minute, which is masked too.
 *
 * Mutates the series' values (they are the engine's own copies). Returns the number of minutes masked per
 * series. `decisions` are newest first (the contract); each series reads only the decisions that fall in it.
 */
export function maskWarmMinutes(
  series: readonly PreparedSeries[],
  decisions: readonly PastDecision[],
  pingSpanMs: number,
  tickMs?: number,
): number[] {
  return series.map((s) => {
    if (s.values.length === 0) return 0;
    const load = pingLoads(s, decisions, pingSpanMs);
    if (tickMs !== undefined) markUnrecordedPings(s, load, decisions, pingSpanMs, tickMs);
    return imputeMasked(s.values, load);
  });
}

/**
 * Minutes older than the oldest decision passed in may still hold pings (the caller kept fewer decisions than
 * the series reaches back, typically for the day-ago and week-ago references). The controller pings on a fixed
 * schedule, so those pings fell at the same phase of the tick grid as the newest decision: mark those minutes
 * as pinged with an unknown count (lower bound 0), so they are imputed from their neighbours instead of feeding
 * yesterday's warm count into today's forecast. Nothing is marked when there are no decisions (never warmed).
 */
export function markUnrecordedPings(
  s: PreparedSeries,
  load: Float64Array,
  decisions: readonly PastDecision[],
  pingSpanMs: number,
  tickMs: number,
): void {
  const list = Array.isArray(decisions) ? decisions : [];
  const newest = list[0]?.warmedAtMs;
  const oldest = list[list.length - 1]?.warmedAtMs;
  if (typeof newest !== 'number' || typeof oldest !== 'number') return;
  if (!Number.isFinite(newest) || !Number.isFinite(oldest) || !(tickMs >= MINUTE)) return;
  const n = load.length;
  const until = Math.min(oldest, s.startMs + n * MINUTE);
  const phase = (((newest - s.startMs) % tickMs) + tickMs) % tickMs;
  for (let t = s.startMs + phase - tickMs; t < until; t += tickMs) {
    const i = Math.floor((t - s.startMs) / MINUTE);
    if (i >= 0 && i < n) load[i] = Number.POSITIVE_INFINITY;
    const spills = Math.floor((t + pingSpanMs) / MINUTE) > Math.floor(t / MINUTE);
    if (spills && i + 1 >= 0 && i + 1 < n) load[i + 1] = Number.POSITIVE_INFINITY;
  }
}

/**
 * Pings per minute of `s`: the count of every decision fired in that minute (summed: a tick delivered twice
 * pings twice), and in the next minute too when the hold may cross into it.
 */
export function pingLoads(
  s: PreparedSeries,
  decisions: readonly PastDecision[],
  pingSpanMs: number,
): Float64Array {
  const n = s.values.length;
  const load = new Float64Array(n);
  if (n === 0) return load;
  const list = Array.isArray(decisions) ? decisions : [];
  // Newest first: jump to the first decision that can touch this series, stop at the first one before it.
  // The seasonal references sit a day and a week back, so a week of decisions costs a binary search, not a scan.
  const endMs = s.startMs + n * MINUTE;
  for (let k = firstBefore(list, endMs); k < list.length; k++) {
    const d = list[k];
    const at = d?.warmedAtMs;
    if (typeof at !== 'number' || !Number.isFinite(at)) continue;
    if (at < s.startMs - MINUTE) break;
    const pings = cleanReading(d?.count);
    if (pings === null || pings === 0) continue;
    const i = Math.floor((at - s.startMs) / MINUTE);
    if (i >= 0 && i < n) load[i] = (load[i] as number) + pings;
    const spills = Math.floor((at + pingSpanMs) / MINUTE) > Math.floor(at / MINUTE);
    if (spills && i + 1 >= 0 && i + 1 < n) load[i + 1] = (load[i + 1] as number) + pings;
  }
  return load;
}

/** Index of the first decision (newest first) fired before `tMs`; odd entries just end up scanned. */
function firstBefore(list: readonly PastDecision[], tMs: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid]?.warmedAtMs as number) < tMs) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function imputeMasked(v: Float64Array, load: Float64Array): number {
  let masked = 0;
  const n = v.length;
  for (let i = 0; i < n; i++) {
    const pings = load[i] as number;
    if (pings === 0) continue;
    masked++;
    const reading = v[i] as number;
    const lower = Math.max(0, reading - pings);
    let neighbour = -1;
    for (let j = i - 1; j >= 0 && j >= i - MASK_NEIGHBOUR_MINUTES; j--) {
      if (load[j] === 0) {
        neighbour = v[j] as number;
        break;
      }
    }
    for (let j = i + 1; j < n && j <= i + MASK_NEIGHBOUR_MINUTES; j++) {
      if (load[j] === 0) {
        neighbour = Math.max(neighbour, v[j] as number);
        break;
      }
    }
    v[i] = neighbour < 0 ? lower : Math.min(reading, Math.max(lower, neighbour));
  }
  return masked;
}
