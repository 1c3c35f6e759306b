import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '@warmpool/core';
import type {
  DecisionOutcome,
  DecisionPage,
  DecisionRecord,
  DecisionStore,
  ListDecisionsOptions,
  ObservedWindow,
  PutDecisionResult,
} from '../ports/decision-store.js';
import { windowSortKey } from '../window/tick-window.js';

/**
 * Plain JSON data: DynamoDB rejects NaN and Infinity, and a Decision is data, so a JSON round trip (non-finite
 * numbers become null, undefined fields drop) is the honest encoding.
 */
function toData<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function toRecord(item: Record<string, unknown>): DecisionRecord {
  return {
    target: item.target as string,
    windowStartMs: item.windowStartMs as number,
    tickId: item.tickId as string,
    recordedAtMs: item.recordedAtMs as number,
    expiresAt: item.expiresAt as number,
    decision: item.decision as DecisionRecord['decision'],
    degraded: (item.degraded as string[] | undefined) ?? [],
    outcome: (item.outcome as DecisionOutcome | null | undefined) ?? null,
    ...(item.observed ? { observed: item.observed as ObservedWindow } : {}),
  };
}

function encodeToken(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

function decodeToken(token: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (key && typeof key === 'object') return key as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ValidationError('pageToken', 'must be a token returned by a previous page');
}

/**
 * DecisionStore on one DynamoDB table: pk = target id (`name:qualifier`), sk = window start (ISO 8601, so it
 * sorts), TTL on `expiresAt`. The put is conditional on `attribute_not_exists(pk)`: a duplicated tick gets the
 * first run's record back (strongly consistent read) and must not warm again.
 */
export class DynamoDbDecisionStore implements DecisionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async putDecision(
    record: DecisionRecord,
    options: { signal?: AbortSignal } = {},
  ): Promise<PutDecisionResult> {
    const key = { pk: record.target, sk: windowSortKey(record.windowStartMs) };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, ...toData(record) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
        { abortSignal: options.signal },
      );
      return { created: true };
    } catch (e) {
      if (
        !(
          e instanceof ConditionalCheckFailedException ||
          (e as Error).name === 'ConditionalCheckFailedException'
        )
      )
        throw e;
    }
    const got = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      {
        abortSignal: options.signal,
      },
    );
    if (!got.Item)
      throw new Error(`decision ${record.target} ${key.sk} vanished after a conditional check failed`);
    return { created: false, existing: toRecord(got.Item) };
  }

  async recordOutcome(
    target: string,
    windowStartMs: number,
    outcome: DecisionOutcome,
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: target, sk: windowSortKey(windowStartMs) },
        UpdateExpression: 'SET outcome = :o',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':o': toData(outcome) },
      }),
      { abortSignal: options.signal },
    );
  }

  async listDecisions(target: string, options: ListDecisionsOptions = {}): Promise<DecisionPage> {
    const limit = options.limit ?? 50;
    if (!(Number.isInteger(limit) && limit > 0)) throw new ValidationError('limit', 'must be an integer > 0');
    const since = options.sinceMs === undefined ? undefined : windowSortKey(options.sinceMs);
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: since === undefined ? 'pk = :pk' : 'pk = :pk AND sk >= :since',
        ExpressionAttributeValues:
          since === undefined ? { ':pk': target } : { ':pk': target, ':since': since },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: options.pageToken ? decodeToken(options.pageToken) : undefined,
      }),
      { abortSignal: options.signal },
    );
    return {
      items: (out.Items ?? []).map((i) => toRecord(i)),
      nextPageToken: encodeToken(out.LastEvaluatedKey),
    };
  }
}
