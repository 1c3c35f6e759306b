import { LambdaClient } from '@aws-sdk/client-lambda';

export interface LambdaClientOptions {
  readonly region?: string | undefined;
  /** A loopback stand-in or another endpoint (the CLI's `--endpoint-url`). */
  readonly endpoint?: string | undefined;
  /**
   * Sockets per origin. The SDK's default (50) queues a 1,000-ping round behind 50 connections and stretches
   * its dispatch spread from under a second to several; set it to at least the largest round.
   */
  readonly maxSockets?: number | undefined;
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
 * itself), and the request handler gets enough keep-alive sockets for a whole round at once.
 */
export function createLambdaClient(options: LambdaClientOptions = {}): LambdaClient {
  const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  const agent = { keepAlive: true, maxSockets };
  return new LambdaClient({
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
    maxAttempts: 1,
    requestHandler: { httpAgent: agent, httpsAgent: agent },
  });
}
