import { LambdaClient } from '@aws-sdk/client-lambda';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { DispatchTracker, trackedAgents } from './dispatch-tracker.js';

const trackers = new WeakMap<LambdaClient, DispatchTracker>();

/** The tracker of a client made by `createLambdaClient` over HTTP/1.1 (undefined otherwise). */
export function dispatchTrackerOf(client: LambdaClient): DispatchTracker | undefined {
  return trackers.get(client);
}

export interface LambdaClientOptions {
  readonly region?: string | undefined;
  /** A loopback stand-in or another endpoint (the CLI's `--endpoint-url`). */
  readonly endpoint?: string | undefined;
  /**
   * Sockets per origin. The SDK's default (50) queues a 1,000-ping round behind 50 connections and stretches
   * its dispatch spread from under a second to several; set it to at least the largest round.
   */
  readonly maxSockets?: number | undefined;
  /**
   * Send the Invokes over HTTP/2 (one TLS connection carries up to `maxConcurrentStreams` pings) instead of one
   * HTTP/1.1 connection per ping in flight. Off by default: the Lambda API negotiates h2, but this SDK's h2
   * handler against it is unverified here (see docs/benchmarks.md for what it saves on the stand-in).
   */
  readonly http2?: boolean | undefined;
  /** Streams per HTTP/2 connection before another is opened (default 100). */
  readonly maxConcurrentStreams?: number | undefined;
  /** Static credentials (the stand-in accepts any); default: the SDK's provider chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
}

/**
 * Sockets, and so pings in flight at once (the fan-out's slots match it): enough for a 3,000-container ramp,
 * whose waves all hold until its end. Memory follows the pings in flight (see docs/benchmarks.md).
 */
export const DEFAULT_MAX_SOCKETS = 3_000;

/**
 * A Lambda client for warming: `maxAttempts: 1` takes retries out of the SDK's hands (its standard mode
 * would retry throttles from a shared 500-token budget and stall the round; the fan-out retries by `Reason`
 * itself), and the request handler gets enough keep-alive sockets for a whole round at once, on agents that
 * report when each Invoke has left the process (`dispatchTrackerOf`).
 */
export function createLambdaClient(options: LambdaClientOptions = {}): LambdaClient {
  const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  const tracker = options.http2 ? undefined : new DispatchTracker();
  const client = new LambdaClient({
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
    maxAttempts: 1,
    requestHandler: tracker
      ? trackedAgents({ keepAlive: true, maxSockets }, tracker)
      : new NodeHttp2Handler({ maxConcurrentStreams: options.maxConcurrentStreams ?? 100 }),
  });
  if (tracker) trackers.set(client, tracker);
  return client;
}
