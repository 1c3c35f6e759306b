import type { PreparedHistory } from '../forecast/prepare.js';
import type { PreparedSeries } from '../forecast/series.js';

/**
 * Knobs of the interference check, chosen on the shared traces (the sweep: docs/forecasting.md,
 * "Interference knobs").
 * - `assumedIdleMinutes`: credit the pool real traffic used within this many minutes as alive (Lambda reaps an
 *   idle container after about 10 min, docs/simulator.md). 3: alone it changes nothing on either trace (a round
 *   wanted beyond the pool still goes whole); with `minShortfallShare` it tells a round that adds a few
 *   containers to a burst's own pool, which is nearly all pings for nothing.
 * - `weight`: a round goes ahead while its measured interference is at most `weight` × its shortfall. The
 *   measure also counts the cold starts of a rise that begins at the tick (Huawei's 5-minute bins change level
 *   there), so at 0.5 or 1 it skipped rounds that were worth it; 4 keeps it as a guard against rounds that
 *   clearly do more harm than good.
 * - `busyShare`: see `InterferenceOptions`; 0.5 cut Azure's ping bill by 5% and Huawei's cold starts by 2%.
 * - `quietMinutes`: off by default (30–120 min each lost Azure cold starts to save almost nothing).
 * - `minShortfallShare`: 0.05. Right after a one-off burst (Azure's 57e20cabf1f5: 961 requests once) a read
 *   forecast about 1,000 containers, and rounds of 1,000 pings added a few dozen to the ~950 the burst left:
 *   about $1 a month of that function's bill, which a read landing a tick later never paid. At 0.05 or 0.1 the
 *   Azure bill falls from 2.96× to 1.91× the oracle's at idle 10 with the same cold starts; 0.05 costs Huawei
 *   none (0.1 lost 2%), 0.2 and above lose cold starts on both traces (docs/forecasting.md, the sweep).
 */
export const INTERFERENCE_DEFAULTS = {
  assumedIdleMinutes: 3,
  weight: 4,
  busyShare: 0.5,
  quietMinutes: 0,
  minShortfallShare: 0.05,
} as const;

export interface InterferenceOptions {
  readonly assumedIdleMinutes?: number | undefined;
  readonly weight?: number | undefined;
  /**
   * Share of the lowest recent minute peak taken as busy when the round lands. A ping cannot reach a busy
   * container, and the busy ones stay in the pool anyway, so the round is sized to the target minus them.
   * Minute peaks overstate the instantaneous level, hence a share; 0 sizes every round to the whole target.
   */
  readonly busyShare?: number | undefined;
  /**
   * No round beyond min once real traffic has been absent this long: a forecast still carrying an old burst
   * would warm only silence. The first request after the lull starts cold, and rounds resume. 0: off.
   */
  readonly quietMinutes?: number | undefined;
  /**
   * A round goes ahead only when its shortfall (the containers it adds beyond the pool traffic used within
   * `assumedIdleMinutes`) is at least this share of the round. A round takes every idle container before it
   * adds one, so right after a burst a round of N pings that adds a few is N pings for a few. 0: off.
   */
  readonly minShortfallShare?: number | undefined;
}

/**
 * Whether the last `minutes` minutes of real concurrency (warm minutes masked) were all zero; false when the
 * series does not cover that span (a new target is not a quiet one).
 */
export function quietFor(h: PreparedHistory, minutes: number): boolean {
  const v = h.concurrency.values;
  const m = Math.floor(minutes);
  if (!(m > 0) || v.length < m || h.concurrency.datapoints === 0) return false;
  for (let i = v.length - m; i < v.length; i++) if ((v[i] as number) > 0) return false;
  return true;
}

/**
 * Containers traffic is expected to hold busy at the moment of the round: `share` × the lowest real minute
 * peak of the last `minutes` minutes the series holds, rounded down.
 */
export function busyAtRound(concurrency: PreparedSeries, minutes: number, share: number): number {
  const v = concurrency.values;
  if (v.length === 0 || !(share > 0)) return 0;
  let low = Number.POSITIVE_INFINITY;
  for (let i = Math.max(0, v.length - Math.max(1, minutes)); i < v.length; i++)
    if ((v[i] as number) < low) low = v[i] as number;
  return Math.max(0, Math.floor(Math.min(1, share) * low));
}

/**
 * The pool real traffic keeps alive by itself: the peak real concurrency (warm minutes masked) over the last
 * `idleMinutes` minutes the series holds. Every container up to that level was used within the idle time, so
 * Lambda has not reaped it, and traffic at that level keeps using it.
 */
export function trafficPool(concurrency: PreparedSeries, idleMinutes: number): number {
  const v = concurrency.values;
  // 0 (or less) credits traffic with nothing: every round goes ahead unless interference limits it.
  const minutes = Number.isFinite(idleMinutes) ? Math.max(0, Math.floor(idleMinutes)) : 0;
  const from = Math.max(0, v.length - minutes);
  let peak = 0;
  for (let i = from; i < v.length; i++) if ((v[i] as number) > peak) peak = v[i] as number;
  return Math.ceil(peak);
}

export interface InterferenceEstimate {
  /** Cold starts a round causes, on average: cold starts in ping minutes above those of other minutes. */
  readonly perRound: number | null;
  /** Ping minutes the estimate rests on (0: no round in the lookback, no estimate). */
  readonly rounds: number;
}

/**
 * What the last rounds blocked, measured: a ping holds its container, so a real request arriving then, with
 * every other container busy, starts cold. Those cold starts land in the minute of the round. The excess of
 * cold starts in ping minutes over the mean of the other minutes estimates them, whatever the routing and
 * the hold really are. With no round in the lookback there is no estimate, so the next round goes ahead and
 * measures again.
 */
export function measuredInterference(h: PreparedHistory): InterferenceEstimate {
  const v = h.coldStarts.values;
  let pingSum = 0;
  let pingMinutes = 0;
  let otherSum = 0;
  let otherMinutes = 0;
  for (let i = 0; i < v.length; i++) {
    if ((h.coldStartPings[i] as number) > 0) {
      pingSum += v[i] as number;
      pingMinutes++;
    } else {
      otherSum += v[i] as number;
      otherMinutes++;
    }
  }
  if (pingMinutes === 0) return { perRound: null, rounds: 0 };
  const base = otherMinutes > 0 ? otherSum / otherMinutes : 0;
  return { perRound: Math.max(0, pingSum / pingMinutes - base), rounds: pingMinutes };
}

export const ROUND_VERDICTS = {
  go: 'go',
  trafficKeepsPool: 'traffic-keeps-pool',
  interferenceLimited: 'interference-limited',
} as const;
export type RoundVerdict = (typeof ROUND_VERDICTS)[keyof typeof ROUND_VERDICTS];

export interface RoundWeighing {
  readonly verdict: RoundVerdict;
  /** Containers the forecast needs beyond the traffic pool: the most cold starts a round can prevent. */
  readonly shortfall: number;
  readonly trafficPool: number;
  readonly interferencePerRound: number | null;
  readonly rounds: number;
  /** Containers the round sends pings to: `wanted` less those busy with traffic, never below the shortfall. */
  readonly size: number;
}

/**
 * Whether a round of `wanted` containers is worth its interference. A round cannot add containers beyond the
 * pool without taking every idle one first (a request gets an idle container before a new one, and pings are
 * requests), so it either goes ahead whole or not at all: shrinking it to the shortfall would only hold
 * containers traffic already keeps. It is skipped when traffic keeps the pool it needs (or all but less than
 * `minShortfallShare` of the round), or when the interference measured on the last rounds exceeds `weight` ×
 * the shortfall.
 */
export function weighRound(
  wanted: number,
  pool: number,
  busy: number,
  estimate: InterferenceEstimate,
  weight: number,
  minShortfallShare = 0,
): RoundWeighing {
  // Containers busy when the round lands are alive whatever the idle time: they count in the pool too.
  const kept = Math.max(pool, Math.max(0, busy));
  const shortfall = Math.max(0, wanted - kept);
  const base = {
    shortfall,
    trafficPool: kept,
    interferencePerRound: estimate.perRound,
    rounds: estimate.rounds,
    size: shortfall === 0 ? 0 : Math.max(shortfall, wanted - Math.max(0, busy)),
  };
  if (shortfall === 0 || shortfall < minShortfallShare * base.size)
    return { verdict: ROUND_VERDICTS.trafficKeepsPool, ...base };
  if (estimate.perRound !== null && estimate.perRound > weight * shortfall)
    return { verdict: ROUND_VERDICTS.interferenceLimited, ...base };
  return { verdict: ROUND_VERDICTS.go, ...base };
}
