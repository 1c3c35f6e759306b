import type { Prices } from '../config/types.js';
import { MB_PER_GB, requireNumber } from './guard.js';
import { SECONDS_PER_MONTH } from './month.js';

/**
 * What the controller spends per target besides GetMetricData, as measured or sized on this code (not guessed
 * per user): why each figure:
 * - `dynamoWriteUnitsPerTarget: 4`: a decision item is about 1.6 KB as JSON (a `decide()` result with its
 *   reasons, forecast candidates and outcome), so its conditional put bills 2 write units and the outcome update
 *   (billed on the larger of the item before and after) 2 more.
 * - `dynamoReadUnitsPerTarget: 15`: each tick queries the past decisions of the 6-hour lookback (72 items at a
 *   5-minute tick, about 115 KB), eventually consistent: 115 KB / 4 KB × 0.5.
 * - `controllerMemoryMb: 512`, `controllerMsPerTarget: 200`: the construct's controller size, and a tick of
 *   10 targets taking about 2 s (mostly waiting on the fan-out), shared evenly.
 */
export const CONTROLLER_RUN_ASSUMPTIONS = {
  dynamoWriteUnitsPerTarget: 4,
  dynamoReadUnitsPerTarget: 15,
  controllerMemoryMb: 512,
  controllerMsPerTarget: 200,
  /** Targets sharing one controller invocation (its request is split between them). */
  targetsPerController: 10,
} as const;
export type ControllerRunAssumptions = { readonly [K in keyof typeof CONTROLLER_RUN_ASSUMPTIONS]: number };

/**
 * A fixed warmer (serverless-plugin-warmup and the like) is its own scheduled function: one invocation per
 * tick that fans the pings out and waits for them. Sized as that plugin's default: 128 MB, and the round's
 * dispatch plus a 100 ms margin (300 ms for the holds the backtest uses).
 */
export const SCHEDULED_WARMER_ASSUMPTIONS = { memoryMb: 128, durationMsPerTick: 300 } as const;
export type ScheduledWarmerAssumptions = {
  readonly [K in keyof typeof SCHEDULED_WARMER_ASSUMPTIONS]: number;
};

export interface ControllerShareInput {
  /** Metrics requested per target per tick, averaged (GetMetricData bills each metric, $0.01 per 1,000). */
  readonly metricsPerTargetTick: number;
  readonly tickIntervalSeconds: number;
}

export interface RunningCost {
  readonly getMetricDataUsdMonth: number;
  readonly dynamoUsdMonth: number;
  /** The controller's (or the scheduled warmer's) own invocations. */
  readonly lambdaUsdMonth: number;
  readonly totalUsdMonth: number;
}

/**
 * One target's share of the controller over a 30-day month: its metric reads, its DynamoDB request units, and
 * its share of the controller's invocations. The pings are billed to the target itself: see `pingRoundCost`.
 */
export function controllerShareMonth(
  input: ControllerShareInput,
  prices: Prices,
  assumptions: ControllerRunAssumptions = CONTROLLER_RUN_ASSUMPTIONS,
): RunningCost {
  requireNumber('metricsPerTargetTick', input.metricsPerTargetTick, 'number');
  requireNumber('tickIntervalSeconds', input.tickIntervalSeconds, 'number', true);
  const ticks = SECONDS_PER_MONTH / input.tickIntervalSeconds;
  const a = assumptions;
  const getMetricDataUsdMonth =
    ((ticks * input.metricsPerTargetTick) / 1000) * prices.getMetricDataPer1000Metrics;
  const dynamoUsdMonth =
    (ticks *
      (a.dynamoWriteUnitsPerTarget * prices.dynamoWritePerMillion +
        a.dynamoReadUnitsPerTarget * prices.dynamoReadPerMillion)) /
    1e6;
  const gbSecond = (a.controllerMsPerTarget / 1000) * (a.controllerMemoryMb / MB_PER_GB) * prices.gbSecond;
  const lambdaUsdMonth = ticks * (prices.requestPerMillion / 1e6 / a.targetsPerController + gbSecond);
  return {
    getMetricDataUsdMonth,
    dynamoUsdMonth,
    lambdaUsdMonth,
    totalUsdMonth: getMetricDataUsdMonth + dynamoUsdMonth + lambdaUsdMonth,
  };
}

/** A fixed warmer's own scheduled function over a 30-day month: it reads no metrics and stores nothing. */
export function scheduledWarmerMonth(
  tickIntervalSeconds: number,
  prices: Prices,
  assumptions: ScheduledWarmerAssumptions = SCHEDULED_WARMER_ASSUMPTIONS,
): RunningCost {
  requireNumber('tickIntervalSeconds', tickIntervalSeconds, 'number', true);
  const ticks = SECONDS_PER_MONTH / tickIntervalSeconds;
  const perTick =
    prices.requestPerMillion / 1e6 +
    (assumptions.durationMsPerTick / 1000) * (assumptions.memoryMb / MB_PER_GB) * prices.gbSecond;
  const lambdaUsdMonth = ticks * perTick;
  return { getMetricDataUsdMonth: 0, dynamoUsdMonth: 0, lambdaUsdMonth, totalUsdMonth: lambdaUsdMonth };
}
