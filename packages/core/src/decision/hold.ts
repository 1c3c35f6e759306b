import { MAX_HOLD_MS } from '../config/limits.js';

/**
 * Picking the hold. N pings leave the controller over a spread of time: at a dispatch rate of r pings per
 * second the last one reaches Lambda about (N - 1) / r seconds after the first. The first ping's container is
 * only busy while it holds, so unless every ping holds longer than that spread, early pings finish, their
 * containers go idle, and late pings land on them instead of starting new ones: fewer distinct containers
 * than N. So hold = spread × margin + a floor, capped by MAX_HOLD_MS. Any longer only keeps containers from
 * real traffic, and on a busy function that is most of what warming costs: a request that arrives while the
 * round holds every idle container starts cold (issue 13; docs/simulator.md).
 *
 * The defaults (docs/forecasting.md, "Hold knobs", has the sweep):
 * - `margin: 1.5`: the spread is measured on the last rounds (median of 3, from the containers' own arrival
 *   times, so routing jitter is in it); 1.5 covers a round that spreads half as long again as the median. A
 *   round that still comes back short measures a longer spread, and the next hold grows with it.
 * - `minHoldMs: 25`: what the spread cannot measure (one ping has none; the clock reads of two containers).
 *   At the former 100 ms, Huawei's busiest function had more cold starts from warming than it prevented.
 */
export interface HoldChoice {
  readonly holdMs: number;
  /** Expected dispatch spread of N pings at the rate used. */
  readonly spreadMs: number;
  readonly ratePerSec: number;
  /** `measured`: from the last round's answers; `assumed`: no measurement yet, the default rate. */
  readonly rateSource: 'measured' | 'assumed';
  readonly capped: boolean;
  readonly why: string;
}

export interface HoldOptions {
  /** Floor added to the spread and the minimum hold (default 25 ms). */
  readonly minHoldMs?: number;
  /** Multiplier on the spread (default 1.5). */
  readonly margin?: number;
  readonly maxHoldMs?: number;
  /** Used when no rate was measured (default 500 pings/s: conservative for one client with enough sockets). */
  readonly assumedRatePerSec?: number;
}

export const HOLD_DEFAULTS = {
  minHoldMs: 25,
  margin: 1.5,
  maxHoldMs: MAX_HOLD_MS,
  assumedRatePerSec: 500,
} as const;

export function pickHold(
  n: number,
  measuredDispatchRatePerSec: number | null | undefined,
  options: HoldOptions = {},
): HoldChoice {
  const o = { ...HOLD_DEFAULTS, ...options };
  const measured =
    typeof measuredDispatchRatePerSec === 'number' &&
    Number.isFinite(measuredDispatchRatePerSec) &&
    measuredDispatchRatePerSec > 0;
  const ratePerSec = measured ? (measuredDispatchRatePerSec as number) : o.assumedRatePerSec;
  const spreadMs = n > 1 ? ((n - 1) / ratePerSec) * 1000 : 0;
  const wanted = Math.ceil(spreadMs * o.margin + o.minHoldMs);
  const holdMs = Math.min(o.maxHoldMs, Math.max(o.minHoldMs, wanted));
  const capped = wanted > o.maxHoldMs;
  const why =
    `${n} pings at ${Math.round(ratePerSec)}/s (${measured ? 'measured' : 'assumed'}) spread over ~${Math.round(spreadMs)} ms; ` +
    `hold = spread x ${o.margin} + ${o.minHoldMs} ms` +
    (capped ? `, capped at ${o.maxHoldMs} ms (the later pings may reuse containers)` : '');
  return { holdMs, spreadMs, ratePerSec, rateSource: measured ? 'measured' : 'assumed', capped, why };
}

/** The hold alone (see `pickHold`). */
export function pickHoldMs(
  n: number,
  measuredDispatchRatePerSec: number | null | undefined,
  options: HoldOptions = {},
): number {
  return pickHold(n, measuredDispatchRatePerSec, options).holdMs;
}

/** Pings per second a finished round dispatched at, from its measured spread; null when not measurable. */
export function measuredDispatchRate(result: {
  readonly succeeded: number;
  readonly dispatchSpreadMs?: number | null | undefined;
  /** Pings the spread was measured over (a wave's, when the round was dispatched in waves); default `succeeded`. */
  readonly spreadPings?: number | undefined;
}): number | null {
  const spread = result.dispatchSpreadMs;
  const pings = result.spreadPings ?? result.succeeded;
  if (typeof spread !== 'number' || pings < 2) return null;
  return ((pings - 1) / Math.max(spread, 1)) * 1000;
}
