import type { Decision } from './types.js';

/**
 * Whether a decision made a forecast of its own. One that kept the last count (its metrics missing, or its read
 * deferred on a steady target) carries `forecast.peak` 0 and no candidates: shown or charted as a forecast of 0
 * it would say more than what happened. Defensive: a record read back from a store may be older or partial.
 */
export function forecastMade(d: Pick<Decision, 'forecast'> | null | undefined): boolean {
  return (d?.forecast?.candidates?.length ?? 0) > 0;
}
