import { ARCHITECTURES, type Architecture, type Prices } from '../config/types.js';
import { ValidationError } from '../errors.js';
import { MB_PER_GB, requireNumber } from './guard.js';
import { durationFactor } from './lambda.js';
import { SECONDS_PER_MONTH } from './month.js';

/**
 * What the controller spends per target besides GetMetricData, measured on this code with
 * `scripts/measure/controller-units.mjs`: the real controller through its Lambda handler, with the real SDK
 * clients, against the Lambda and CloudWatch stand-ins and DynamoDB Local (which reports ConsumedCapacity); 10
 * targets of the bundled Azure 2019 trace, holds `auto`, every answer held back as an AWS hop would be
 * (DynamoDB 8 ms, CloudWatch 120 ms, Lambda 25 ms), a new controller container every 24 ticks (2 h, the
 * container lifetime the simulator assumes; Lambda gives no figure), hours 6 to 30 (the lookback full):
 * - `dynamoWriteUnitsReadDecision: 2`: a tick that read the target puts its decision conditionally: a `decide()`
 *   result with its reasons and forecast candidates, 1.2 to 2.2 KB, so 2 write units (a few 3). A tick that warms
 *   nothing (a count of 0, a dry run) knows its outcome when it decides and records it in that same put.
 * - `dynamoWriteUnitsKeptDecision: 1`: a tick that kept a steady target's last decision without reading
 *   (`read-deferred`) puts a decision of 780 to 860 bytes: 1 unit. The store leaves out what the item's key says
 *   (the target id, five times over, and the window): with them it was 990 to 1,050 bytes, and 2 units once a
 *   function's name was longer than a few characters. A 40-character name still fits (a test pins it).
 * - `dynamoWriteUnitsOutcome: 1`: a tick that fires a round then puts the round's outcome as an item of its own
 *   (about 430 bytes). (Setting the outcome onto the decision item was billed on the whole item: 2.)
 *   Measured: 1.83 units a target a tick (1.53 puts), where every decision item was 2 units before (2.21).
 * - `dynamoReadUnitsPerTarget: 0.99`: a warm container keeps each target's past decisions and queries only the
 *   newest windows (with their outcome items); a new one queries the whole 6-hour lookback (72 windows, about
 *   13 units). Measured: 0.98 (1.16 with the larger kept decisions). Before the cache: 15.4 every tick.
 * - `controllerMemoryMb: 512`, `controllerMsPerTarget: 70`: the construct's controller size, and a tick's real
 *   time shared by its targets: 38 ms measured (mostly waiting on the metrics read and the pings' holds), of
 *   which 9 ms CPU on a 2-core machine; a 512 MB Lambda has about 0.3 of a vCPU, so that CPU is counted 3.5
 *   times (32 ms), plus about 2 ms for the INIT of a new container every 2 h (some 400 ms over 10 targets and
 *   24 ticks): 63 ms, rounded up. Before: 200 ms, an estimate (84 ms measured the same way without the cache).
 * - `controllerArchitecture: 'arm64'`: the construct's default (`controllerArchitecture` overrides it).
 * - `wakeMemoryMb: 128`, `wakeMsPerDelivery: 40`, `dynamoWriteUnitsWake: 1`: each user-felt cold start is a log
 *   line the construct's subscription delivers to a small wake function beside the controller
 *   (`wakeOnColdStarts`), at most one invocation per line (each new container writes its own log stream, and a
 *   delivery holds one stream's lines): it decodes the batch and adds the count to the target's wake mark (an
 *   update of a small item: 1 unit). 40 ms is the decode and one DynamoDB round trip, rounded up.
 * - `dynamoReadUnitsWakeMark: 0.5`: every tick reads each target's wake mark in one BatchGetItem, eventually
 *   consistent: half a unit per mark, charged here for a mark that does not exist too (DynamoDB Local reports 0
 *   for those; the figure is the conservative one).
 */
export const CONTROLLER_RUN_ASSUMPTIONS = {
  dynamoWriteUnitsReadDecision: 2,
  dynamoWriteUnitsKeptDecision: 1,
  dynamoWriteUnitsOutcome: 1,
  dynamoReadUnitsPerTarget: 0.98,
  controllerMemoryMb: 512,
  controllerMsPerTarget: 70,
  /** Targets sharing one controller invocation (its request is split between them). */
  targetsPerController: 10,
  controllerArchitecture: ARCHITECTURES.arm64,
  wakeMemoryMb: 128,
  wakeMsPerDelivery: 40,
  dynamoWriteUnitsWake: 1,
  dynamoReadUnitsWakeMark: 0.5,
} as const;
export type ControllerRunAssumptions = {
  readonly [K in Exclude<keyof typeof CONTROLLER_RUN_ASSUMPTIONS, 'controllerArchitecture'>]: number;
} & { readonly controllerArchitecture: Architecture };

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
  /**
   * Share of ticks that fire a round, in [0, 1] (a round writes its outcome in a second write; a tick that
   * warms nothing does not). Default 1: every tick warms, the most it can cost.
   */
  readonly warmTickShare?: number | undefined;
  /**
   * Share of ticks that kept a steady target's last decision without reading it (`read-deferred`), in [0, 1]:
   * their decision item is smaller. Default 0: every tick reads, the most it can cost.
   */
  readonly keptTickShare?: number | undefined;
  /**
   * Cold-start deliveries that wake the controller, per tick on average (`wakeOnColdStarts`): each an
   * invocation and a write. Default 0.
   */
  readonly wakeDeliveriesPerTick?: number | undefined;
  /** Whether each tick reads the target's wake mark (a controller woken by cold starts). Default false. */
  readonly readsWakeMark?: boolean | undefined;
  /** The controller's architecture (default the assumptions', arm64 as the construct deploys it). */
  readonly controllerArchitecture?: Architecture | undefined;
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
  const share = input.warmTickShare ?? 1;
  requireNumber('warmTickShare', share, 'number');
  if (share > 1) throw new ValidationError('warmTickShare', 'must be a number in [0, 1]');
  const kept = input.keptTickShare ?? 0;
  requireNumber('keptTickShare', kept, 'number');
  if (kept > 1) throw new ValidationError('keptTickShare', 'must be a number in [0, 1]');
  const wakes = input.wakeDeliveriesPerTick ?? 0;
  requireNumber('wakeDeliveriesPerTick', wakes, 'number');
  const ticks = SECONDS_PER_MONTH / input.tickIntervalSeconds;
  const a = assumptions;
  const getMetricDataUsdMonth =
    ((ticks * input.metricsPerTargetTick) / 1000) * prices.getMetricDataPer1000Metrics;
  const writeUnits =
    kept * a.dynamoWriteUnitsKeptDecision +
    (1 - kept) * a.dynamoWriteUnitsReadDecision +
    share * a.dynamoWriteUnitsOutcome;
  const dynamoUsdMonth =
    (ticks *
      ((writeUnits + wakes * a.dynamoWriteUnitsWake) * prices.dynamoWritePerMillion +
        (a.dynamoReadUnitsPerTarget + (input.readsWakeMark ? a.dynamoReadUnitsWakeMark : 0)) *
          prices.dynamoReadPerMillion)) /
    1e6;
  const gbSecondPerMsPerGb =
    (prices.gbSecond / 1000) *
    durationFactor(input.controllerArchitecture ?? a.controllerArchitecture, prices);
  const gbSecondPerMs = (a.controllerMemoryMb / MB_PER_GB) * gbSecondPerMsPerGb;
  const perWake =
    prices.requestPerMillion / 1e6 + a.wakeMsPerDelivery * (a.wakeMemoryMb / MB_PER_GB) * gbSecondPerMsPerGb;
  const lambdaUsdMonth =
    ticks *
    (prices.requestPerMillion / 1e6 / a.targetsPerController +
      a.controllerMsPerTarget * gbSecondPerMs +
      wakes * perWake);
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
