import type { WarmpoolConfig } from '@warmpool/core';
import { createLambdaClient } from '../adapters/lambda-client.js';
import { LambdaInvoker } from '../adapters/lambda-invoker.js';
import { createWarmTarget } from '../fanout/warm-target.js';
import type { LineSink } from '../log/logger.js';
import type { Invoker } from '../ports/invoker.js';
import type { ReadCapacity, TickDeps } from '../tick/types.js';
import { type AwsEndpoints, awsTickDeps } from './aws-deps.js';

/** What it takes to build a tick's ports against AWS (or stand-ins at `endpoints`). */
export interface TickDepsRequest {
  readonly config: WarmpoolConfig;
  readonly table: string;
  readonly region: string | undefined;
  readonly endpoints: AwsEndpoints;
  readonly sink: LineSink;
}

/**
 * The capacity read for decide()'s budget: the function's reserved concurrency, and the account's unreserved
 * concurrency only where the target budgets against it (one API call less per target otherwise).
 */
export function capacityReader(invoker: Invoker): ReadCapacity {
  return (target, signal) =>
    invoker.readCapacity(target.functionName, { account: target.budget.source === 'unreserved', signal });
}

/** Every port of a tick over the real SDK clients: CloudWatch, DynamoDB and Lambda (Invoke fan-out). */
export function buildAwsTickDeps(request: TickDepsRequest): TickDeps {
  const invoker = new LambdaInvoker(
    createLambdaClient({ region: request.region, endpoint: request.endpoints.lambda }),
  );
  const deps = awsTickDeps({
    table: request.table,
    region: request.region,
    endpoints: request.endpoints,
    sink: request.sink,
    warm: createWarmTarget(invoker, { sharedSecret: request.config.sharedSecret }),
    capacity: capacityReader(invoker),
  });
  return deps;
}
