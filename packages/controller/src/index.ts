// Public API of @warmpool/controller: the scheduled handler, the tick, the fan-out, the ports and their AWS
// adapters. Export by name; never `export *`.
export const VERSION = '0.1.0' as const;

export type {
  CloudWatchClientOptions,
  CloudWatchMetricsSourceOptions,
  SeasonalReference,
} from './adapters/cloudwatch-metrics-source.js';
export {
  CloudWatchMetricsSource,
  createCloudWatchClient,
  SEASONAL_REFERENCES,
} from './adapters/cloudwatch-metrics-source.js';
export type { PlannedQuery, TargetMetricKind } from './adapters/cloudwatch-queries.js';
export {
  lambdaDimensions,
  MAX_QUERIES_PER_CALL,
  planQueries,
  TARGET_METRICS,
} from './adapters/cloudwatch-queries.js';
export type { DynamoDbClientOptions } from './adapters/dynamodb-client.js';
export { createDynamoDbClient, createDynamoDbDocumentClient } from './adapters/dynamodb-client.js';
export { DynamoDbDecisionStore } from './adapters/dynamodb-decision-store.js';
export { createDecisionTable } from './adapters/dynamodb-table.js';
export type { LambdaClientOptions } from './adapters/lambda-client.js';
export { createLambdaClient, DEFAULT_MAX_SOCKETS } from './adapters/lambda-client.js';
export { classifyInvokeError, LambdaInvoker } from './adapters/lambda-invoker.js';
export type { MetricsEmitter } from './emf/emf.js';
export { emfEmitter, emfLine, memoryEmitter } from './emf/emf.js';
export type { FanOutInput } from './fanout/fan-out.js';
export { fanOut } from './fanout/fan-out.js';
export type { HoldChoice, HoldOptions } from './fanout/hold.js';
export { HOLD_DEFAULTS, measuredDispatchRate, pickHold, pickHoldMs } from './fanout/hold.js';
export type { ThrottleAction } from './fanout/throttle.js';
export {
  backoffMs,
  RETRY_REASONS,
  STOP_REASONS,
  THROTTLE_ACTIONS,
  throttleAction,
} from './fanout/throttle.js';
export type { FanOutResult } from './fanout/types.js';
export type { WarmTargetOptions } from './fanout/warm-target.js';
export { createWarmTarget } from './fanout/warm-target.js';
export type { AwsDepsOptions, AwsEndpoints } from './handler/aws-deps.js';
export { awsTickDeps } from './handler/aws-deps.js';
export type { TickDepsRequest } from './handler/aws-warm.js';
export { buildAwsTickDeps, capacityReader } from './handler/aws-warm.js';
export { configFromEnv, tableFromEnv } from './handler/config-from-env.js';
export type { HandlerContext, HandlerOptions, ScheduledEvent } from './handler/create-handler.js';
export { createHandler, HANDLER_TIMEOUT_MARGIN_MS } from './handler/create-handler.js';
export type { LineSink, LogFields, Logger, LogLevel } from './log/logger.js';
export { createLogger, LOG_LEVELS, memoryLogger, stdoutSink } from './log/logger.js';
export type {
  DecisionOutcome,
  DecisionPage,
  DecisionRecord,
  DecisionStore,
  ListDecisionsOptions,
  ObservedWindow,
  OutcomeStatus,
  PutDecisionResult,
} from './ports/decision-store.js';
export { OUTCOME_STATUSES } from './ports/decision-store.js';
export type { InvokeRequest, InvokeResult, InvokeResultKind, Invoker } from './ports/invoker.js';
export { INVOKE_RESULT_KINDS } from './ports/invoker.js';
export type {
  MetricsReadResult,
  MetricsRequest,
  MetricsSource,
  TargetMetrics,
} from './ports/metrics-source.js';
export { DeadlineError } from './tick/deadline.js';
export { DecisionOutbox, OUTBOX_CAPACITY } from './tick/outbox.js';
export { latestState, toPastDecisions } from './tick/past-decisions.js';
export { DEFAULT_METRIC_LAG_MS, DEFAULT_TIME_BUDGET_MS, runTick } from './tick/run-tick.js';
export type {
  ReadCapacity,
  TargetStatus,
  TargetTickResult,
  TickDeps,
  TickOptions,
  TickResult,
  WarmTarget,
  WriteStatus,
} from './tick/types.js';
export { TARGET_STATUSES, WRITE_STATUSES } from './tick/types.js';
export type { MergeRule } from './window/dense-series.js';
export { emptySeries, MERGE_RULES, toDenseSeries } from './window/dense-series.js';
export type { QueryWindow, QueryWindowInput } from './window/query-window.js';
export { computeQueryWindow, PERIOD_MS, shiftWindow } from './window/query-window.js';
export { parseWindowSortKey, tickWindowStart, windowSortKey } from './window/tick-window.js';
