// Public API of @warmpool/controller. Export by name; never `export *`.
export type { FanOutResult } from './fanout/types.js';
export const VERSION = '0.1.0' as const;

// --- Invoker port, Lambda adapter, fan-out (helper: warming) ---

// --- MetricsSource, DecisionStore, CloudWatch/DynamoDB adapters, window maths, tick handler (helper: controller) ---
export type { CloudWatchClientOptions } from './adapters/cloudwatch-metrics-source.js';
export { CloudWatchMetricsSource, createCloudWatchClient } from './adapters/cloudwatch-metrics-source.js';
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
export { createDecisionTable, DECISION_TABLE_SCHEMA } from './adapters/dynamodb-table.js';
export type {
  DecisionOutcome,
  DecisionPage,
  DecisionRecord,
  DecisionStore,
  ListDecisionsOptions,
  OutcomeStatus,
  PutDecisionResult,
} from './ports/decision-store.js';
export { OUTCOME_STATUSES } from './ports/decision-store.js';
export type { FakeStoreCall } from './ports/decision-store-fake.js';
export { FakeDecisionStore } from './ports/decision-store-fake.js';
export type {
  MetricsReadResult,
  MetricsRequest,
  MetricsSource,
  TargetMetrics,
} from './ports/metrics-source.js';
export type { FakeTargetData } from './ports/metrics-source-fake.js';
export { FakeMetricsSource } from './ports/metrics-source-fake.js';
export type { MergeRule } from './window/dense-series.js';
export { emptySeries, MERGE_RULES, toDenseSeries } from './window/dense-series.js';
export type { QueryWindow, QueryWindowInput } from './window/query-window.js';
export { computeQueryWindow, PERIOD_MS, shiftWindow } from './window/query-window.js';
export { parseWindowSortKey, tickWindowStart, windowSortKey } from './window/tick-window.js';
