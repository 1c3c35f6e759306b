import type { Prices } from '../config/types.js';
import { billedMs, MB_PER_GB, requireNumber } from './guard.js';
import { durationFactor } from './lambda.js';
import type { ControllerTickCost, ControllerTickInput } from './types.js';

/**
 * One controller tick: its own invocation (a request plus duration), GetMetricData at $0.01 per 1,000 metrics
 * requested, and DynamoDB on-demand request units. The EventBridge schedule and the Lambda control-plane reads
 * (GetFunctionConcurrency, GetAccountSettings) are free. The pings themselves are billed to the targets: see
 * `pingRoundCost`.
 */
export function controllerTickCost(input: ControllerTickInput, prices: Prices): ControllerTickCost {
  requireNumber('targets', input.targets, 'integer');
  requireNumber('metricsPerTarget', input.metricsPerTarget, 'integer');
  requireNumber('controllerMemoryMb', input.controllerMemoryMb, 'number', true);
  requireNumber('controllerDurationMs', input.controllerDurationMs, 'number');
  requireNumber('dynamoWrites', input.dynamoWrites, 'integer');
  requireNumber('dynamoReads', input.dynamoReads, 'integer');
  const factor = durationFactor(input.controllerArchitecture ?? 'x86_64', prices);
  const lambdaUsd =
    prices.requestPerMillion / 1e6 +
    (billedMs(input.controllerDurationMs) / 1000) *
      (input.controllerMemoryMb / MB_PER_GB) *
      prices.gbSecond *
      factor;
  const metricsRequested = input.targets * input.metricsPerTarget;
  const getMetricDataUsd = (metricsRequested / 1000) * prices.getMetricDataPer1000Metrics;
  const dynamoUsd =
    (input.dynamoWrites * prices.dynamoWritePerMillion + input.dynamoReads * prices.dynamoReadPerMillion) /
    1e6;
  return {
    lambdaUsd,
    metricsRequested,
    getMetricDataUsd,
    dynamoUsd,
    totalUsd: lambdaUsd + getMetricDataUsd + dynamoUsd,
  };
}
