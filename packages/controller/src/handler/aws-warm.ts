import type { WarmpoolConfig } from '@warmpool/core';
import { createLambdaClient, DEFAULT_MAX_SOCKETS } from '../adapters/lambda-client.js';
import { LambdaInvoker } from '../adapters/lambda-invoker.js';
import { InFlightSlots } from '../fanout/slots.js';
import { createWarmTarget } from '../fanout/warm-target.js';
import type { LineSink } from '../log/logger.js';
import type { Invoker } from '../ports/invoker.js';
import type { ReadAccount, ReadCapacity, TickDeps } from '../tick/types.js';
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

/** The account's unreserved concurrency for the tick's shared budget, when the Invoker can read it. */
export function accountReader(invoker: Invoker): ReadAccount | undefined {
  const read = invoker.readUnreservedConcurrency?.bind(invoker);
  return read ? (signal) => read({ signal }) : undefined;
}

/**
 * Every port of a tick over the real SDK clients: CloudWatch, DynamoDB and Lambda (Invoke fan-out). The
 * in-flight slots match the client's sockets, so no ping ever waits in the agent's queue.
 */
export function buildAwsTickDeps(request: TickDepsRequest): TickDeps {
  const maxSockets = DEFAULT_MAX_SOCKETS;
  const invoker = new LambdaInvoker(
    createLambdaClient({ region: request.region, endpoint: request.endpoints.lambda, maxSockets }),
  );
  const deps = awsTickDeps({
    table: request.table,
    region: request.region,
    endpoints: request.endpoints,
    sink: request.sink,
    warm: createWarmTarget(invoker, {
      sharedSecret: request.config.sharedSecret,
      slots: new InFlightSlots(maxSockets),
    }),
    capacity: capacityReader(invoker),
    account: accountReader(invoker),
  });
  return deps;
}
