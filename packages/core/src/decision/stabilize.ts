import { forecastMade } from './forecast-made.js';
import type { Decision, PastDecision, ReplayedRawCount } from './types.js';

/**
 * Knobs of the scale-down stabilization (Kubernetes' HPA calls its own `stabilizationWindowSeconds`): a round
 * warms no fewer containers than the highest raw count decided over the last `windowMinutes`, each held count
 * cut to `maxCount`. A forecast falls as soon as a quiet window or two pass, but bursty functions come back
 * within the hour or two, and a container kept warm for nothing costs one short ping a tick. Holding a one-off
 * spike of hundreds would cost hundreds of pings a tick (and on busy functions, the interference of big rounds),
 * hence the cap. Chosen on the shared traces with `scripts/sweep/knobs.mjs` (docs/forecasting.md, *Scale-down
 * stabilization*): at idle 10 with the default read back-off, 120 minutes and 10 containers took Azure's cold
 * starts avoided from 44.8% to 48.2% of none's and Huawei's from 55.1% to 61.5%, each for a smaller whole bill.
 */
export const STABILIZATION_DEFAULTS = { windowMinutes: 120, maxCount: 10 } as const;

export interface StabilizationOptions {
  /** How far back a raw count still holds the pool up, in minutes; 0 turns stabilization off. */
  readonly windowMinutes?: number | undefined;
  /** Largest count held: a higher raw count holds the pool up to this. */
  readonly maxCount?: number | undefined;
}

export interface Stabilized {
  /** max(rawCount, each held raw count cut to maxCount). */
  readonly count: number;
  /** The window whose raw count set it, where one did (else null: rawCount stands). */
  readonly fromWindowMs: number | null;
  /** True when that raw count was replayed (its tick did not read; a later read replayed it). */
  readonly replayed?: true;
}

/**
 * The raw count after scale-down stabilization: the highest of `rawCount` and the raw counts of the past
 * decisions whose windows started within `windowMinutes` before `windowStartMs` (each cut to `maxCount`), their
 * replayed raw counts (`PastDecision.replayed`, and this decision's own `replayed`) counted at the windows they
 * were replayed for. Past decisions without a raw count (older records, or ticks that kept the last decision) hold
 * nothing by themselves. Pure.
 */
export function stabilizedCount(
  rawCount: number,
  past: readonly PastDecision[],
  windowStartMs: number,
  options: StabilizationOptions = {},
  replayed?: ReplayedRawCount,
): Stabilized {
  const windowMs = Math.max(0, options.windowMinutes ?? STABILIZATION_DEFAULTS.windowMinutes) * 60_000;
  const cap = Math.max(0, options.maxCount ?? STABILIZATION_DEFAULTS.maxCount);
  let count = rawCount;
  let fromWindowMs: number | null = null;
  if (windowMs === 0) return { count, fromWindowMs };
  let fromReplay = false;
  const consider = (raw: unknown, atMs: unknown, replayed: boolean) => {
    if (typeof raw !== 'number' || !Number.isFinite(raw) || typeof atMs !== 'number') return;
    if (!(atMs < windowStartMs && atMs >= windowStartMs - windowMs)) return;
    const held = Math.min(Math.floor(raw), cap);
    if (held > count) {
      count = held;
      fromWindowMs = atMs;
      fromReplay = replayed;
    }
  };
  consider(replayed?.rawCount, replayed?.windowStartMs, true);
  for (const d of past) {
    consider(d?.rawCount, d?.windowStartMs, false);
    consider(d?.replayed?.rawCount, d?.replayed?.windowStartMs, true);
  }
  return { count, fromWindowMs, ...(fromReplay ? { replayed: true } : {}) };
}

/**
 * What a recorded decision's replay gives the next decisions' stabilization: the raw count its read replayed for
 * a window whose tick did not read, where it holds a number (a stored record may be older or partial).
 */
export function replayedToHold(d: Pick<Decision, 'replayed'>): ReplayedRawCount | undefined {
  const r = d.replayed;
  return r && Number.isFinite(r.rawCount) && Number.isFinite(r.windowStartMs)
    ? { windowStartMs: r.windowStartMs, rawCount: r.rawCount }
    : undefined;
}

/**
 * What a recorded decision gives the next decisions' stabilization: its raw count where it made a forecast.
 * A decision that kept the last one (metrics missing, or its read deferred) made none (no forecast candidates),
 * and its raw count is only the last count carried over: holding on it would hold the pool up forever.
 */
export function rawCountToHold(d: Pick<Decision, 'rawCount' | 'forecast'>): number | undefined {
  // Read back from a store, a record may be older or partial: anything odd holds nothing.
  return forecastMade(d) && typeof d.rawCount === 'number' && Number.isFinite(d.rawCount)
    ? d.rawCount
    : undefined;
}
