import { quantileSorted } from 'simple-statistics';
import { MINUTE, type PreparedSeries, peakOver } from './series.js';

/**
 * The forecast models. Each one turns the peaks of past windows (blocks of `horizonMinutes`, oldest first) into
 * one-step-ahead forecasts: `f[b]` is the forecast of block `b` made from blocks before it, and `f[count]` the
 * forecast of the next window. Producing every step in one pass is what makes the backtest O(history).
 */

/** Quantile of recent window peaks: robust to one-off spikes, and it follows level changes within an hour. */
export const PEAK_QUANTILE = { quantile: 0.9, windows: 12 } as const;

/**
 * Holt's linear smoothing on window peaks. alpha 0.5 weights the last window as much as all earlier ones (peaks
 * are noisy but load shifts within tens of minutes); beta 0.3 lets a ramp establish a trend in 3 to 4 windows.
 * The trend is floored at 0: loads usually drop in steps, and after a step an unfloored trend keeps pulling
 * the forecast down for several windows (to 0 under a load that has settled at 3), the costly direction of
 * error. The level alone follows a drop within a few windows (alpha 0.5 halves the gap each window).
 */
export const HOLT = { alpha: 0.5, beta: 0.3 } as const;

/** Seasonal periods, in ms. */
export const SEASONS = { day: 86_400_000, week: 604_800_000 } as const;

/**
 * One-step-ahead quantile forecasts for blocks `from..n` (NaN before `from` and where there is no earlier block:
 * the backtest reads only its recent windows, so older ones are not worth a sort). Length `peaks.length + 1`.
 */
export function peakQuantileForecasts(peaks: Float64Array, scratch: number[], from = 1): Float64Array {
  const n = peaks.length;
  const f = new Float64Array(n + 1).fill(Number.NaN);
  if (n === 0) f[0] = 0;
  for (let b = Math.max(1, from); b <= n; b++) {
    scratch.length = 0;
    for (let i = Math.max(0, b - PEAK_QUANTILE.windows); i < b; i++) scratch.push(peaks[i] as number);
    scratch.sort((x, y) => x - y);
    f[b] = quantileSorted(scratch, PEAK_QUANTILE.quantile);
  }
  return f;
}

/** One-step-ahead Holt forecasts with a rising-only trend (NaN where there is no earlier block). Length `n + 1`. */
export function holtForecasts(peaks: Float64Array): Float64Array {
  const n = peaks.length;
  const f = new Float64Array(n + 1);
  if (n === 0) return f;
  f[0] = Number.NaN;
  let level = peaks[0] as number;
  let trend = 0;
  for (let b = 1; b <= n; b++) {
    f[b] = level + trend;
    if (b === n) break;
    const y = peaks[b] as number;
    const next = HOLT.alpha * y + (1 - HOLT.alpha) * (level + trend);
    trend = Math.max(0, HOLT.beta * (next - level) + (1 - HOLT.beta) * trend);
    level = next;
  }
  return f;
}

/**
 * Seasonal-naive forecasts: the peak of the reference over the same span one period earlier. `blockStarts[b]`
 * is the start of block `b`; the last entry is the target window. NaN where the reference does not reach.
 */
export function seasonalForecasts(
  ref: PreparedSeries,
  periodMs: number,
  blockStarts: Float64Array,
  blockMinutes: number,
  windowEndMs: number,
): Float64Array {
  const n = blockStarts.length;
  const f = new Float64Array(n);
  for (let b = 0; b < n; b++) {
    const from = (blockStarts[b] as number) - periodMs;
    const to = b === n - 1 ? windowEndMs - periodMs : from + blockMinutes * MINUTE;
    f[b] = peakOver(ref, from, to);
  }
  return f;
}

/**
 * Raises every forecast to at least the peak of the window just before it (persistence). A forecast below the
 * load just observed bets that it will drop at once; under a 4:1 loss that bet rarely pays. It makes a step up
 * warm from the next tick (a robust quantile would otherwise read the first high window as a spike) and costs
 * one window of extra pings after a one-off spike. Falls are untouched: the floor falls with the load.
 * Mutates and returns `f` (aligned with `peaks`: `f[b]` forecasts block `b`, `f[n]` the next window).
 */
export function withPersistenceFloor(f: Float64Array, peaks: Float64Array): Float64Array {
  for (let b = 1; b < f.length && b <= peaks.length; b++) {
    const last = peaks[b - 1] as number;
    if ((f[b] as number) < last) f[b] = last;
  }
  return f;
}

/**
 * Short seasons, in minutes: the periods timer-triggered functions run at (every 10, 15, 20, 30 minutes, hourly,
 * every 2 hours). Seasonal-naive over a day or a week cannot see these with a day of history; a period detected
 * on the recent window peaks forecasts the next burst.
 */
export const SHORT_PERIODS_MINUTES = [10, 15, 20, 30, 60, 120] as const;

export interface ShortPeriodForecasts {
  /** Forecasts aligned with `peaks` (`f[b]` forecasts block `b`, `f[n]` the next window), persistence-floored. */
  readonly f: Float64Array;
  readonly periodMinutes: number;
}

/**
 * Detects a short period on the window peaks before `from` (so the backtest that scores it on [from, n) is out
 * of sample) and forecasts `f[b] = max(peaks[b - p], peaks[b - 1])`. A period is accepted only when its loss on
 * those earlier windows is strictly below persistence (`peaks[b - 1]`, what the floor gives anyway): a steady or
 * random series detects nothing, so the candidate only exists where bursts really repeat. Ties go to the shorter
 * period. Null when nothing is detected or the history is too short. O(periods × windows), no allocation but `f`.
 */
export function shortPeriodForecasts(
  peaks: Float64Array,
  horizonMinutes: number,
  from: number,
  minWindows: number,
  loss: (forecast: number, actual: number) => number,
): ShortPeriodForecasts | null {
  const n = peaks.length;
  let bestP = 0;
  let bestGain = 0;
  for (const minutes of SHORT_PERIODS_MINUTES) {
    if (minutes % horizonMinutes !== 0) continue;
    const p = minutes / horizonMinutes;
    if (p < 2 || from - p < minWindows) continue;
    let periodic = 0;
    let persistence = 0;
    for (let b = p; b < from; b++) {
      const last = peaks[b - 1] as number;
      const seasonal = peaks[b - p] as number;
      const y = peaks[b] as number;
      persistence += loss(last, y);
      periodic += loss(Math.max(seasonal, last), y);
    }
    // Compare per window: each period is tested on a different number of windows.
    const gain = (persistence - periodic) / (from - p);
    if (gain > 1e-9 && (bestP === 0 || gain > bestGain + 1e-9)) {
      bestP = p;
      bestGain = gain;
    }
  }
  if (bestP === 0) return null;
  const f = new Float64Array(n + 1).fill(Number.NaN);
  for (let b = Math.max(bestP, from); b <= n; b++) {
    const last = peaks[b - 1] as number;
    const seasonal = peaks[b - bestP] as number;
    f[b] = Math.max(seasonal, last);
  }
  return { f, periodMinutes: bestP * horizonMinutes };
}
