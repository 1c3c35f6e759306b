import type { Prices } from '@warmpool/core';
import { controllerShareMonth, DEFAULT_PRICES, scheduledWarmerMonth } from '@warmpool/core';
import { RUNS_ON, type RunsOn } from '../policies/types.js';
import type { SimStats } from '../sim/types.js';

const SECONDS_PER_MONTH = 30 * 24 * 3600;

export interface PolicyCost {
  /** Pings: requests, hold duration and the INIT of prewarms, as USD per 30-day month. */
  readonly warmingUsdMonth: number;
  /** Provisioned Concurrency: configured GB-seconds, plus the difference of its cheaper duration price on the
   * work it served, as USD per 30-day month. */
  readonly provisionedUsdMonth: number;
}

/**
 * Prices what a policy added on top of running the traffic anyway (x86_64, on-demand duration and INIT billed
 * since Aug 2025), scaled from the simulated span to a 30-day month.
 */
export function policyCost(
  stats: SimStats,
  memoryMb: number,
  spanMs: number,
  prices: Prices = DEFAULT_PRICES,
): PolicyCost {
  const gb = memoryMb / 1024;
  const toMonth = SECONDS_PER_MONTH / (spanMs / 1000);
  const pingDurationMs = stats.pingBilledMs + stats.prewarmInitMs;
  const warming =
    (stats.pings / 1e6) * prices.requestPerMillion + (pingDurationMs / 1000) * gb * prices.gbSecond;
  const pcConfigured = (stats.provisionedContainerMs / 1000) * gb * prices.provisionedGbSecond;
  const pcDurationDelta =
    (stats.provisionedBusyMs / 1000) * gb * (prices.provisionedDurationGbSecond - prices.gbSecond);
  return {
    warmingUsdMonth: warming * toMonth,
    provisionedUsdMonth: (pcConfigured + pcDurationDelta) * toMonth,
  };
}

/**
 * What a policy needs to run on one target, per 30-day month, beside its pings: a controller's share (metric
 * reads as measured, DynamoDB, its own invocations) or a fixed warmer's scheduled function, or nothing.
 */
export function runningCost(
  runsOn: RunsOn,
  metricsPerTargetTick: number,
  tickIntervalSeconds: number,
  prices: Prices = DEFAULT_PRICES,
  /** Share of ticks that fired a round (a second DynamoDB write each); default 1, the most it can cost. */
  warmTickShare = 1,
  /** Share of ticks that kept the last decision without reading (a smaller item); default 0, the most. */
  keptTickShare = 0,
  /** Cold-start deliveries waking the controller, per tick (`wakeOnColdStarts`); default 0. */
  wakeDeliveriesPerTick = 0,
  /** Whether every tick reads the target's wake mark (a controller woken by cold starts). */
  readsWakeMark = false,
): number {
  if (runsOn === RUNS_ON.controller)
    return controllerShareMonth(
      {
        metricsPerTargetTick,
        tickIntervalSeconds,
        warmTickShare,
        keptTickShare,
        wakeDeliveriesPerTick,
        readsWakeMark,
      },
      prices,
    ).totalUsdMonth;
  if (runsOn === RUNS_ON.scheduledWarmer)
    return scheduledWarmerMonth(tickIntervalSeconds, prices).totalUsdMonth;
  return 0;
}
