import { BatchGetCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_TARGET, ValidationError } from '@warmpool/core';
import type { WakeMark, WakeStore } from '../ports/wake-store.js';

/**
 * The sort key of a target's wake mark, in the decision table beside its windows. A window's key is an ISO 8601
 * time (it starts with a digit), so no window is ever read as the mark, and readers of windows skip it.
 */
export const WAKE_SORT_KEY = 'wake';

/** Keys per BatchGetItem request (DynamoDB's limit). */
const BATCH_GET_MAX_KEYS = 100;
/** Rounds of retrying the keys DynamoDB left unprocessed (throttling) before giving up on them. */
const UNPROCESSED_ROUNDS = 3;

/**
 * WakeStore on the decision table: one small item per target (pk = target id, sk = `wake`), updated in place
 * with `ADD` (atomic, so concurrent deliveries never lose a count), expiring with the decisions' default TTL
 * when deliveries stop. A tick reads every mark in one BatchGetItem (eventually consistent: half a read unit
 * per mark).
 */
export class DynamoDbWakeStore implements WakeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
    private readonly ttlDays: number = DEFAULT_TARGET.decisionTtlDays,
  ) {}

  async addColdStarts(
    target: string,
    coldStarts: number,
    atMs: number,
    options: { signal?: AbortSignal | undefined } = {},
  ): Promise<void> {
    if (!(Number.isInteger(coldStarts) && coldStarts > 0))
      throw new ValidationError('coldStarts', 'must be an integer > 0');
    if (!Number.isFinite(atMs)) throw new ValidationError('atMs', 'must be a finite epoch ms');
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: target, sk: WAKE_SORT_KEY },
        // One update, one write unit: the count is what wakes a target; lastAtMs is the latest delivery's time.
        UpdateExpression: 'ADD coldStarts :n SET lastAtMs = :at, expiresAt = :exp',
        ExpressionAttributeValues: {
          ':n': coldStarts,
          ':at': atMs,
          ':exp': Math.floor(atMs / 1000) + this.ttlDays * 86_400,
        },
      }),
      { abortSignal: options.signal },
    );
  }

  async readWakes(
    targets: readonly string[],
    options: { signal?: AbortSignal | undefined } = {},
  ): Promise<ReadonlyMap<string, WakeMark>> {
    const out = new Map<string, WakeMark>();
    const unique = [...new Set(targets)];
    for (let i = 0; i < unique.length; i += BATCH_GET_MAX_KEYS) {
      let keys: Record<string, unknown>[] = unique
        .slice(i, i + BATCH_GET_MAX_KEYS)
        .map((pk) => ({ pk, sk: WAKE_SORT_KEY }));
      for (let round = 0; keys.length > 0; round++) {
        if (round > UNPROCESSED_ROUNDS)
          throw new Error(`wake marks of ${keys.length} target(s) left unprocessed by DynamoDB`);
        const got = await this.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: { Keys: keys, ProjectionExpression: 'pk, coldStarts, lastAtMs' },
            },
          }),
          { abortSignal: options.signal },
        );
        for (const item of got.Responses?.[this.tableName] ?? []) {
          const mark = toMark(item);
          if (mark) out.set(mark.target, mark);
        }
        keys = (got.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return out;
  }
}

function toMark(item: Record<string, unknown>): WakeMark | null {
  const { pk, coldStarts, lastAtMs } = item;
  if (typeof pk !== 'string' || typeof coldStarts !== 'number' || !Number.isFinite(coldStarts)) return null;
  return { target: pk, coldStarts, lastAtMs: typeof lastAtMs === 'number' ? lastAtMs : 0 };
}
