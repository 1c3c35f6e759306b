// Public API of @warmpool/controller: the scheduled handler, the tick, the fan-out, the ports and their AWS
// adapters. What the CLI and users running the controller their own way call; api/controller.api.md lists it.
// The Lambda entry point is `@warmpool/controller/handler`. Export by name; never `export *`.

// AWS adapters behind the ports
export type { CloudWatchClientOptions } from './adapters/cloudwatch-metrics-source.js';
export { CloudWatchMetricsSource, createCloudWatchClient } from './adapters/cloudwatch-metrics-source.js';
export type { DynamoDbClientOptions } from './adapters/dynamodb-client.js';
export { createDynamoDbClient, createDynamoDbDocumentClient } from './adapters/dynamodb-client.js';
export { DynamoDbDecisionStore } from './adapters/dynamodb-decision-store.js';
export { createDecisionTable } from './adapters/dynamodb-table.js';
export { DynamoDbWakeStore, WAKE_SORT_KEY } from './adapters/dynamodb-wake-store.js';
export type { LambdaClientOptions } from './adapters/lambda-client.js';
export { createLambdaClient } from './adapters/lambda-client.js';
export { LambdaInvoker } from './adapters/lambda-invoker.js';
// Metrics and logs
export type { MetricsEmitter } from './emf/emf.js';
export { emfEmitter, memoryEmitter } from './emf/emf.js';
// The fan-out
export type { FanOutInput } from './fanout/fan-out.js';
export { fanOut } from './fanout/fan-out.js';
export type { HoldChoice, HoldOptions } from './fanout/hold.js';
export { measuredDispatchRate, pickHold } from './fanout/hold.js';
export type { RampOptions, RampRecord, RampWave, ScalingRate } from './fanout/ramp.js';
export { LAMBDA_SCALING_RATE, planRamp } from './fanout/ramp.js';
export type { BudgetCut, BudgetGrant } from './fanout/shared-budget.js';
export { SharedBudget } from './fanout/shared-budget.js';
export type { Shortfall, ShortReason } from './fanout/shortfall.js';
export { describeShortfall, SHORT_REASONS, shortfallOf } from './fanout/shortfall.js';
export { InFlightSlots } from './fanout/slots.js';
export type { FanOutResult } from './fanout/types.js';
export type { WarmTargetOptions } from './fanout/warm-target.js';
export { createWarmTarget } from './fanout/warm-target.js';
// The handler and its wiring to AWS
export type { AwsEndpoints } from './handler/aws-deps.js';
export { awsTickDeps } from './handler/aws-deps.js';
export type { TickDepsRequest } from './handler/aws-warm.js';
export { accountReader, buildAwsTickDeps, capacityReader } from './handler/aws-warm.js';
export type { CloudWatchLogsEvent, LogsPayload, WakeResult } from './handler/cold-start-logs.js';
export {
  countColdStartLines,
  decodeLogsData,
  handleColdStartDelivery,
  isCloudWatchLogsEvent,
} from './handler/cold-start-logs.js';
export { configFromEnv, tableFromEnv } from './handler/config-from-env.js';
export type {
  ControllerHandler,
  HandlerContext,
  HandlerOptions,
  ScheduledEvent,
} from './handler/create-handler.js';
export { createHandler } from './handler/create-handler.js';
export type { WakeHandlerOptions } from './handler/wake-handler.js';
export { createWakeHandler } from './handler/wake-handler.js';
export type { LineSink, Logger } from './log/logger.js';
export { createLogger, stdoutSink } from './log/logger.js';
// Ports
export type {
  DecisionOutcome,
  DecisionPage,
  DecisionRecord,
  DecisionStore,
  ListDecisionsOptions,
  ObservedWindow,
  OutcomeStatus,
  PutDecisionResult,
  RecordOutcomeOptions,
} from './ports/decision-store.js';
export type { InvokeRequest, InvokeResult, Invoker } from './ports/invoker.js';
export type {
  MetricsReadResult,
  MetricsRequest,
  MetricsSource,
  TargetMetrics,
} from './ports/metrics-source.js';
export type { WakeMark, WakeStore } from './ports/wake-store.js';
// The tick
export type { CachedColdStarts, CachedPast } from './tick/container-cache.js';
export { CONTAINER_CACHE, ContainerCache } from './tick/container-cache.js';
export { runTick } from './tick/run-tick.js';
export type {
  ReadAccount,
  TargetStatus,
  TargetTickResult,
  TickDeps,
  TickOptions,
  TickResult,
  WarmTarget,
  WriteStatus,
} from './tick/types.js';
