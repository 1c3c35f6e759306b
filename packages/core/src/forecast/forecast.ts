import { FORECAST_MODELS, type ForecastModelChoice, type ForecastModelName } from '../config/types.js';
import type { ModelScore } from '../decision/types.js';
import { asymmetricLoss, BACKTEST_WINDOWS, backtestScore, LOSS_WEIGHTS, MIN_SCORED_WINDOWS } from './loss.js';
import {
  holtForecasts,
  peakQuantileForecasts,
  SEASONS,
  seasonalForecasts,
  shortPeriodForecasts,
  withPersistenceFloor,
} from './models.js';
import type { PreparedHistory } from './prepare.js';
import { blockPeaks, blockStartMs, type PreparedSeries } from './series.js';

export interface ForecastOutcome {
  /** Forecast peak concurrency of the target window (real traffic only). */
  readonly peak: number;
  readonly model: ForecastModelName;
  readonly score: number | null;
  /** Every model, in a fixed order, with its backtest score (null where it could not be scored). */
  readonly candidates: readonly ModelScore[];
  readonly why: string;
  /** Window peaks the models read (oldest first); the last one is the latest window observed. */
  readonly windowPeaks: Float64Array;
}

interface Candidate {
  readonly model: ForecastModelName;
  readonly next: number;
  readonly score: number | null;
  readonly note: string;
}

const fmt = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));

/**
 * Forecasts the peak of [windowStartMs, windowEndMs) from the prepared history. Every model is backtested on
 * the same recent windows with the asymmetric loss; `auto` uses the lowest score (ties go to the earlier model
 * in the order peak-quantile, holt, seasonal-naive: the simpler one), a named model is used as configured.
 */
export function forecastPeak(
  h: PreparedHistory,
  choice: ForecastModelChoice,
  horizonMinutes: number,
  windowStartMs: number,
  windowEndMs: number,
): ForecastOutcome {
  const peaks = blockPeaks(h.concurrency, horizonMinutes);
  const n = peaks.length;
  const from = Math.max(1, n - BACKTEST_WINDOWS);
  const quantile = withPersistenceFloor(peakQuantileForecasts(peaks, [], from), peaks);
  const holt = withPersistenceFloor(holtForecasts(peaks), peaks);
  const starts = new Float64Array(n + 1);
  for (let b = 0; b < n; b++) starts[b] = blockStartMs(h.concurrency, horizonMinutes, n, b);
  starts[n] = windowStartMs;

  const seasonal = [
    seasonalCandidate('yesterday', h.dayAgo, SEASONS.day),
    seasonalCandidate('last week', h.weekAgo, SEASONS.week),
    shortPeriodCandidate(),
  ].filter((c) => !Number.isNaN(c.next));
  // The reference that backtests better wins; an unscored one only when it is the only one that reaches.
  seasonal.sort((a, b) => (a.score ?? Number.POSITIVE_INFINITY) - (b.score ?? Number.POSITIVE_INFINITY));
  const bestSeasonal = seasonal[0];

  const candidates: Candidate[] = [
    {
      model: FORECAST_MODELS.peakQuantile,
      next: quantile[n] as number,
      score: backtestScore(quantile, peaks, from),
      note: '',
    },
    {
      model: FORECAST_MODELS.holt,
      next: holt[n] as number,
      score: backtestScore(holt, peaks, from),
      note: '',
    },
    bestSeasonal ?? { model: FORECAST_MODELS.seasonalNaive, next: Number.NaN, score: null, note: '' },
  ];
  const scores: ModelScore[] = candidates.map((c) => ({ model: c.model, score: c.score }));
  const windows = `${Math.max(0, n - from)} windows of ${horizonMinutes} min`;
  const weights = `under-forecast x${LOSS_WEIGHTS.under}, over-forecast x${LOSS_WEIGHTS.over}`;
  const fallback = candidates[0] as Candidate;

  let chosen: Candidate;
  let why: string;
  if (choice === FORECAST_MODELS.auto) {
    let best: Candidate | undefined;
    for (const c of candidates) {
      if (c.score === null || Number.isNaN(c.next)) continue;
      if (best === undefined || c.score < (best.score as number)) best = c;
    }
    if (best) {
      chosen = best;
      const ranking = candidates.map((c) => `${c.model} ${fmt(c.score)}`).join(', ');
      why = `auto: lowest asymmetric loss (${weights}) over ${windows}: ${ranking}${best.note}`;
    } else {
      chosen = fallback;
      why = `auto: too little history to backtest (${n} windows of ${horizonMinutes} min); used ${fallback.model}`;
    }
  } else {
    const named = candidates.find((c) => c.model === choice);
    if (named && !Number.isNaN(named.next)) {
      chosen = named;
      why = `configured: ${named.model}, asymmetric loss ${fmt(named.score)} over ${windows}${named.note}`;
    } else {
      chosen = fallback;
      why = `configured: ${choice}, but no reference history reaches the window; used ${fallback.model}`;
    }
  }
  return {
    peak: Number.isFinite(chosen.next) ? Math.max(0, chosen.next) : 0,
    model: chosen.model,
    score: chosen.score,
    candidates: scores,
    why,
    windowPeaks: peaks,
  };

  // A short season (timer-triggered bursts every 10 min to 2 h) detected on the recent peaks themselves: it
  // competes with yesterday and last week as one more seasonal reference, scored on the same windows.
  function shortPeriodCandidate(): Candidate {
    const found = shortPeriodForecasts(peaks, horizonMinutes, from, MIN_SCORED_WINDOWS, asymmetricLoss);
    if (found === null) {
      return { model: FORECAST_MODELS.seasonalNaive, next: Number.NaN, score: null, note: '' };
    }
    return {
      model: FORECAST_MODELS.seasonalNaive,
      next: found.f[n] as number,
      score: backtestScore(found.f, peaks, from),
      note: ` (seasonal reference: every ${found.periodMinutes} min, detected)`,
    };
  }

  function seasonalCandidate(label: string, ref: PreparedSeries, period: number): Candidate {
    if (ref.values.length === 0) {
      return { model: FORECAST_MODELS.seasonalNaive, next: Number.NaN, score: null, note: '' };
    }
    const f = withPersistenceFloor(
      seasonalForecasts(ref, period, starts, horizonMinutes, windowEndMs),
      peaks,
    );
    return {
      model: FORECAST_MODELS.seasonalNaive,
      next: f[n] as number,
      score: backtestScore(f, peaks, from),
      note: ` (seasonal reference: ${label})`,
    };
  }
}
