import { ValidationError } from '@warmpool/core';

/**
 * The decision window a tick belongs to: the tick time ROUNDED to the tick grid, as decide() does (so the sort
 * key and the decision's own `windowStartMs` agree). Rounding rather than flooring matters because scheduled
 * events fire around the grid point, a little early or late: a second delivery of the same event (EventBridge
 * is at-least-once) lands in the same window and finds the same decision item instead of making a new one.
 */
export function tickWindowStart(nowMs: number, tickIntervalSeconds: number): number {
  if (!(Number.isInteger(tickIntervalSeconds) && tickIntervalSeconds > 0)) {
    throw new ValidationError('tickIntervalSeconds', 'must be an integer > 0');
  }
  const intervalMs = tickIntervalSeconds * 1000;
  return Math.round(nowMs / intervalMs) * intervalMs;
}

/** The sort key for a window start: ISO 8601 UTC, which sorts lexicographically in time order. */
export function windowSortKey(windowStartMs: number): string {
  return new Date(windowStartMs).toISOString();
}

/** Parses a sort key back to epoch ms. */
export function parseWindowSortKey(sk: string): number {
  const ms = Date.parse(sk);
  if (!Number.isFinite(ms)) throw new ValidationError('sk', 'must be an ISO 8601 timestamp', { detail: sk });
  return ms;
}
