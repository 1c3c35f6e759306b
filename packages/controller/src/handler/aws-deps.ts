import { type Clock, systemClock } from '@warmpool/core';
import {
  CloudWatchMetricsSource,
  createCloudWatchClient,
  type SeasonalReference,
} from '../adapters/cloudwatch-metrics-source.js';
import { createDynamoDbDocumentClient } from '../adapters/dynamodb-client.js';
import { DynamoDbDecisionStore } from '../adapters/dynamodb-decision-store.js';
import { DynamoDbWakeStore } from '../adapters/dynamodb-wake-store.js';
import { emfEmitter } from '../emf/emf.js';
import { createLogger, type LineSink, stdoutSink } from '../log/logger.js';
import { CONTAINER_CACHE, type ContainerCache } from '../tick/container-cache.js';
import { DecisionOutbox } from '../tick/outbox.js';
import type { ReadAccount, ReadCapacity, TickDeps, WarmTarget } from '../tick/types.js';

/** Per-service endpoints (loopback stand-ins, DynamoDB Local); unset means the real AWS endpoint. */
export interface AwsEndpoints {
  readonly cloudwatch?: string | undefined;
  readonly dynamodb?: string | undefined;
  readonly lambda?: string | undefined;
}

export interface AwsDepsOptions {
  readonly table: string;
  readonly region?: string | undefined;
  readonly endpoints?: AwsEndpoints | undefined;
  /** The fan-out over Lambda Invoke, and the capacity read (built by the caller from the Lambda client). */
  readonly warm: WarmTarget;
  readonly capacity?: ReadCapacity | undefined;
  /** The account's unreserved concurrency, once per tick, for the shared budget. */
  readonly account?: ReadAccount | undefined;
  readonly clock?: Clock | undefined;
  /** Seasonal references to read (one more GetMetricData call per tick each); default none. */
  readonly seasonal?: readonly SeasonalReference[] | undefined;
  /** Where JSON logs and EMF lines go (stdout in Lambda). */
  readonly sink?: LineSink | undefined;
  /**
   * What the container remembers between ticks (past decisions, the last cold-start reads), keyed by table and
   * target. Default: the module-scope `CONTAINER_CACHE`, which lives as long as the Lambda container; `null`
   * reads everything every tick.
   */
  readonly cache?: ContainerCache | null | undefined;
}

/** The tick's ports over the real SDK clients: CloudWatch GetMetricData, DynamoDB (lib-dynamodb). */
export function awsTickDeps(options: AwsDepsOptions): TickDeps {
  const clock = options.clock ?? systemClock;
  const sink = options.sink ?? stdoutSink;
  const endpoints = options.endpoints ?? {};
  const documents = createDynamoDbDocumentClient({ region: options.region, endpoint: endpoints.dynamodb });
  return {
    metrics: new CloudWatchMetricsSource(
      createCloudWatchClient({ region: options.region, endpoint: endpoints.cloudwatch }),
      { seasonal: options.seasonal },
    ),
    store: new DynamoDbDecisionStore(documents, options.table),
    // The marks live in the decision table too: one item per target (sk `wake`).
    wakes: new DynamoDbWakeStore(documents, options.table),
    warm: options.warm,
    capacity: options.capacity,
    account: options.account,
    clock,
    log: createLogger(sink, { service: 'warmpool-controller' }, () => clock.now()),
    emf: emfEmitter(sink, () => clock.now()),
    // One outbox per deps instance: the handler keeps its deps for the container's life, so lost writes
    // are retried by the next tick on the same container.
    outbox: new DecisionOutbox(),
    ...(options.cache === null
      ? {}
      : { cache: { cache: options.cache ?? CONTAINER_CACHE, scope: options.table } }),
  };
}
