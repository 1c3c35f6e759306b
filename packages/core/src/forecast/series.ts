import type { MinuteSeries } from '../decision/types.js';

export const MINUTE = 60_000;

/**
 * A per-minute series copied into a typed array, trimmed to the minutes the engine reads.
 * `values[i]` covers the minute starting at `startMs + i * MINUTE`. A `null`, NaN, infinite or negative
 * reading becomes 0: CloudWatch emits no `ConcurrentExecutions` datapoint for a minute in which nothing ran,
 * so "no datapoint" means "no concurrency" (a failed read arrives as `metricsUnavailable` instead).
 */
export interface PreparedSeries {
  readonly startMs: number;
  readonly values: Float64Array;
  /** How many minutes carried a real (finite, non-negative) datapoint. */
  readonly datapoints: number;
  /**
   * Minutes that carried a reading which was not one (negative, NaN, infinite, not a number): read as 0 like a
   * missing minute, but counted, so a series of nothing but bad readings is not taken for a new function.
   */
  readonly invalid?: number | undefined;
}

export const EMPTY_SERIES: PreparedSeries = { startMs: 0, values: new Float64Array(0), datapoints: 0 };

/** A finite, non-negative number, or null for anything else (null, NaN, Infinity, negatives, non-numbers). */
export function cleanReading(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
}

/** Whether `s` looks like a usable series at all (odd shapes read as empty rather than throwing). */
function usable(s: MinuteSeries | undefined): s is MinuteSeries {
  return s !== undefined && s !== null && Number.isFinite(s.startMs) && Array.isArray(s.values);
}

/**
 * Copies the minutes of `s` that overlap [fromMs, toMs) (whole minutes of `s`), at most `maxMinutes` of them,
 * keeping the newest when capped, after dropping up to `trimTrailingMissing` missing minutes at the end.
 */
export function prepareSeries(
  s: MinuteSeries | undefined,
  fromMs: number,
  toMs: number,
  maxMinutes: number,
  trimTrailingMissing = 0,
): PreparedSeries {
  if (!usable(s)) return EMPTY_SERIES;
  const n = s.values.length;
  let first = Math.max(0, Math.floor((fromMs - s.startMs) / MINUTE));
  let last = Math.min(n, Math.ceil((toMs - s.startMs) / MINUTE));
  // Minutes not reported yet (CloudWatch lag) come back missing at the end: drop up to `trimTrailingMissing`
  // of them so the newest window is not read as quiet.
  for (let k = 0; k < trimTrailingMissing && last > first && cleanReading(s.values[last - 1]) === null; k++)
    last--;
  if (!(last > first)) return EMPTY_SERIES;
  if (last - first > maxMinutes) first = last - maxMinutes;
  const values = new Float64Array(last - first);
  let datapoints = 0;
  let invalid = 0;
  for (let i = first; i < last; i++) {
    const raw = s.values[i];
    const v = cleanReading(raw);
    if (v !== null) {
      values[i - first] = v;
      datapoints++;
    } else if (raw !== null && raw !== undefined) invalid++;
  }
  return { startMs: s.startMs + first * MINUTE, values, datapoints, ...(invalid > 0 ? { invalid } : {}) };
}

/** Epoch ms just after the last minute of `s` (its start when empty). */
export function seriesEndMs(s: PreparedSeries): number {
  return s.startMs + s.values.length * MINUTE;
}

/**
 * Peak of `s` over the minutes starting in [fromMs, toMs); NaN when no minute of `s` starts in that span
 * (the reference does not reach it), which is different from a covered span that read 0.
 */
export function peakOver(s: PreparedSeries, fromMs: number, toMs: number): number {
  const v = s.values;
  const a = Math.max(0, Math.ceil((fromMs - s.startMs) / MINUTE));
  const b = Math.min(v.length, Math.ceil((toMs - s.startMs) / MINUTE));
  if (!(b > a)) return Number.NaN;
  let peak = 0;
  for (let i = a; i < b; i++) {
    const x = v[i] as number;
    if (x > peak) peak = x;
  }
  return peak;
}

/**
 * Peaks of consecutive blocks of `blockMinutes`, aligned so that the last block ends with the series (the
 * oldest block may be partial). Returns the peaks oldest first; block `b` starts at minute
 * `max(0, n - (count - b) * blockMinutes)`.
 */
export function blockPeaks(s: PreparedSeries, blockMinutes: number): Float64Array {
  const v = s.values;
  const n = v.length;
  const count = Math.ceil(n / blockMinutes);
  const peaks = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    const end = n - (count - b - 1) * blockMinutes;
    const start = Math.max(0, end - blockMinutes);
    let peak = 0;
    for (let i = start; i < end; i++) {
      const x = v[i] as number;
      if (x > peak) peak = x;
    }
    peaks[b] = peak;
  }
  return peaks;
}

/** Start (epoch ms) of block `b` of `blockPeaks(s, blockMinutes)` with `count` blocks. */
export function blockStartMs(s: PreparedSeries, blockMinutes: number, count: number, b: number): number {
  const startMinute = Math.max(0, s.values.length - (count - b) * blockMinutes);
  return s.startMs + startMinute * MINUTE;
}
