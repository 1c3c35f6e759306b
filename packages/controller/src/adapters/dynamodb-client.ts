import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoDbClientOptions {
  readonly region?: string | undefined;
  /** DynamoDB Local or another endpoint (the CLI's `--endpoint-url`). */
  readonly endpoint?: string | undefined;
  /** SDK attempts per call (default 3): a blip is retried, an outage fails fast enough to warm anyway. */
  readonly maxAttempts?: number | undefined;
  /** Per-request socket timeout in ms (default 3,000), so a stalled connection cannot eat the tick. */
  readonly requestTimeoutMs?: number | undefined;
}

/**
 * A document client that drops `undefined` attributes (optional fields of a Decision) rather than failing,
 * with short timeouts: the decision store must never be the reason a tick overruns.
 */
export function createDynamoDbDocumentClient(
  options: DynamoDbClientOptions | DynamoDBClient = {},
): DynamoDBDocumentClient {
  const client = options instanceof DynamoDBClient ? options : createDynamoDbClient(options);
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
}

/** The low-level client (table admin: `createDecisionTable`), with the same timeouts. */
export function createDynamoDbClient(options: DynamoDbClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient({
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    // @smithy/node-http-handler 4.x only warns when requestTimeout passes unless told to throw; the tick also
    // bounds each call with an abort signal (boundedStore), which covers the retries too.
    requestHandler: {
      connectionTimeout: 1_000,
      requestTimeout: options.requestTimeoutMs ?? 3_000,
      throwOnRequestTimeout: true,
    },
  });
}
