import { requireNumber } from './guard.js';

/** A month for cost projections: 30 days (AWS's own pricing examples use about 30.4; we round down and say so). */
export const SECONDS_PER_MONTH = 30 * 24 * 60 * 60;

/** Scales the cost of one window of `windowSeconds` to a 30-day month, as if every window cost the same. */
export function monthlyFromWindow(usd: number, windowSeconds: number): number {
  requireNumber('usd', usd, 'number');
  requireNumber('windowSeconds', windowSeconds, 'number', true);
  return (usd * SECONDS_PER_MONTH) / windowSeconds;
}
