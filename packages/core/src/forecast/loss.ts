/**
 * The asymmetric backtest loss (a pinball loss). An under-forecast by one container lets at least one user
 * request start cold (hundreds of ms to seconds of latency, the thing Warmpool exists to prevent); an
 * over-forecast by one costs one more ping per tick (about $0.0000002 plus a few seconds of hold). Weighting
 * under-forecasts 4:1 makes the loss minimal at the 80th percentile of the outcome: models are rewarded for
 * covering the peak four times out of five, and headroom plus self-tuning cover the rest.
 */
export const LOSS_WEIGHTS = { under: 4, over: 1 } as const;

/** Backtest over at most this many recent windows (2 h at a 5-minute tick): recent behaviour decides. */
export const BACKTEST_WINDOWS = 24;

/** A model needs this many scored windows before `auto` trusts its score. */
export const MIN_SCORED_WINDOWS = 4;

export function asymmetricLoss(forecast: number, actual: number): number {
  return actual > forecast
    ? LOSS_WEIGHTS.under * (actual - forecast)
    : LOSS_WEIGHTS.over * (forecast - actual);
}

/**
 * Mean loss of one-step-ahead forecasts `f` against `actual` over blocks [from, actual.length), skipping blocks
 * where the forecast is NaN. Null when fewer than MIN_SCORED_WINDOWS blocks could be scored.
 */
export function backtestScore(f: Float64Array, actual: Float64Array, from: number): number | null {
  let sum = 0;
  let scored = 0;
  for (let b = from; b < actual.length; b++) {
    const x = f[b] as number;
    if (Number.isNaN(x)) continue;
    sum += asymmetricLoss(x, actual[b] as number);
    scored++;
  }
  return scored >= MIN_SCORED_WINDOWS ? sum / scored : null;
}
