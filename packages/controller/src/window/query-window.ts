import { ValidationError } from '@warmpool/core';

/** CloudWatch's finest standard resolution, and the granularity of every series the controller reads. */
export const PERIOD_MS = 60_000;

export interface QueryWindowInput {
  /** Tick time, epoch ms. */
  readonly nowMs: number;
  /** How many whole periods of history to read. */
  readonly lookbackPeriods: number;
  /**
   * How late datapoints arrive. A period is only treated as reported once `periodEnd + lagMs <= nowMs`; newer
   * periods are left out of the window (not read as zero), because CloudWatch returns nothing, or a partial
   * aggregate, for them yet.
   */
  readonly lagMs: number;
  /** Period length, default 60 s. */
  readonly periodMs?: number;
}

/** A half-open, period-aligned query window `[startMs, endMs)` of `periods` whole periods. */
export interface QueryWindow {
  readonly startMs: number;
  readonly endMs: number;
  readonly periodMs: number;
  readonly periods: number;
}

/**
 * The window of fully reported periods that ends at or before `nowMs - lagMs`, aligned to the period, and
 * reaching `lookbackPeriods` back. Like KEDA's computeQueryWindow, but aligned: GetMetricData buckets
 * datapoints on period boundaries, so an unaligned start would shift every bucket.
 */
export function computeQueryWindow(input: QueryWindowInput): QueryWindow {
  const periodMs = input.periodMs ?? PERIOD_MS;
  if (!(Number.isInteger(periodMs) && periodMs > 0 && periodMs % 1000 === 0)) {
    throw new ValidationError('periodMs', 'must be a positive whole number of seconds');
  }
  if (!Number.isFinite(input.nowMs)) throw new ValidationError('nowMs', 'must be a finite number');
  if (!(Number.isInteger(input.lookbackPeriods) && input.lookbackPeriods > 0)) {
    throw new ValidationError('lookbackPeriods', 'must be an integer > 0');
  }
  if (!(Number.isFinite(input.lagMs) && input.lagMs >= 0)) throw new ValidationError('lagMs', 'must be >= 0');
  const endMs = Math.floor((input.nowMs - input.lagMs) / periodMs) * periodMs;
  const startMs = endMs - input.lookbackPeriods * periodMs;
  return { startMs, endMs, periodMs, periods: input.lookbackPeriods };
}

/** The same window moved back by `shiftMs` and stretched forward by `extendPeriods` (seasonal references). */
export function shiftWindow(window: QueryWindow, shiftMs: number, extendPeriods = 0): QueryWindow {
  return {
    startMs: window.startMs - shiftMs,
    endMs: window.endMs - shiftMs + extendPeriods * window.periodMs,
    periodMs: window.periodMs,
    periods: window.periods + extendPeriods,
  };
}
