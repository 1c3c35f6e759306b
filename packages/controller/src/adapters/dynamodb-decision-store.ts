import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_TARGET, ValidationError } from '@warmpool/core';
import type {
  DecisionOutcome,
  DecisionPage,
  DecisionRecord,
  DecisionStore,
  ListDecisionsOptions,
  ObservedWindow,
  PutDecisionResult,
  RecordOutcomeOptions,
} from '../ports/decision-store.js';
import { parseWindowSortKey, windowSortKey } from '../window/tick-window.js';

/**
 * Plain JSON data: DynamoDB rejects NaN and Infinity, and a Decision is data, so a JSON round trip (non-finite
 * numbers become null, undefined fields drop) is the honest encoding.
 */
function toData<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The sort key of a window's outcome item: the window's own key and a suffix, so it sorts right after its
 * decision (right before it, newest first) and a `sk >= since` query returns both.
 */
const OUTCOME_SUFFIX = '#outcome';

function isOutcomeItem(item: Record<string, unknown>): boolean {
  return typeof item.sk === 'string' && item.sk.endsWith(OUTCOME_SUFFIX);
}

/** A window's items have an ISO 8601 key (a digit first); others (a target's wake mark) are not decisions. */
function isWindowItem(item: Record<string, unknown>): boolean {
  return typeof item.sk === 'string' && /^\d/.test(item.sk);
}

/**
 * The item of a decision record, without what its key already says. DynamoDB bills a write per started KB, and
 * a deferred tick's decision came to just over 1 KB with the target id written five times and the window twice:
 * the target, the window start and the decision's `target`, `qualifier` and `windowStartMs` are the key's, and
 * its `functionName` too where it is the id's name part (a function given by ARN keeps it). `toRecord` puts them
 * back; items written whole before this read the same.
 */
function toItem(record: DecisionRecord): Record<string, unknown> {
  const { target, windowStartMs, ...rest } = toData(record);
  const { target: ownTarget, qualifier, windowStartMs: ownWindow, functionName, ...decision } = rest.decision;
  const fromKey = nameAndQualifier(target);
  // Each is left out only where the key says the same, so nothing recorded is lost.
  return {
    pk: target,
    sk: windowSortKey(windowStartMs),
    ...rest,
    decision: {
      ...decision,
      ...(ownTarget === target ? {} : { target: ownTarget }),
      ...(ownWindow === windowStartMs ? {} : { windowStartMs: ownWindow }),
      ...(fromKey.qualifier === qualifier ? {} : { qualifier }),
      ...(fromKey.name === functionName ? {} : { functionName }),
    },
  };
}

/** `name:qualifier` split at its last colon (a qualifier holds none; a function name part holds none either). */
function nameAndQualifier(target: string): { name: string; qualifier: string } {
  const at = target.lastIndexOf(':');
  return at < 0
    ? { name: target, qualifier: '' }
    : { name: target.slice(0, at), qualifier: target.slice(at + 1) };
}

/** A decision item as a record, with the outcome kept in its own item where there is one (else its own). */
function toRecord(item: Record<string, unknown>, outcomeItem?: Record<string, unknown>): DecisionRecord {
  const outcome = outcomeItem?.outcome ?? item.outcome;
  const target = (item.target as string | undefined) ?? (item.pk as string);
  const windowStartMs = (item.windowStartMs as number | undefined) ?? parseWindowSortKey(item.sk as string);
  const fromKey = nameAndQualifier(target);
  const stored = item.decision as Partial<DecisionRecord['decision']>;
  return {
    target,
    windowStartMs,
    tickId: item.tickId as string,
    recordedAtMs: item.recordedAtMs as number,
    expiresAt: item.expiresAt as number,
    decision: {
      ...stored,
      target: stored.target ?? target,
      functionName: stored.functionName ?? fromKey.name,
      qualifier: stored.qualifier ?? fromKey.qualifier,
      windowStartMs: stored.windowStartMs ?? windowStartMs,
    } as DecisionRecord['decision'],
    degraded: (item.degraded as string[] | undefined) ?? [],
    outcome: (outcome as DecisionOutcome | null | undefined) ?? null,
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
 *
 * A round's outcome is its own small item beside the decision (sk = the window's key + `#outcome`), not an update
 * of the decision item: DynamoDB bills an update on the larger of the item before and after, and a decision item
 * is about 1.6 KB (2 write units), so writing the outcome onto it cost 2 more units where its own item (about
 * 300 bytes) costs 1. A tick that knows its outcome when it decides (a count of 0, a dry run) still puts both in
 * one item. Every read joins them: a record's `outcome` is the outcome item's where there is one.
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
          Item: toItem(record),
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
    // The window's decision and its outcome item, if any (both begin with the window's key).
    const got = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': key.pk, ':sk': key.sk },
        ConsistentRead: true,
      }),
      { abortSignal: options.signal },
    );
    const items = got.Items ?? [];
    const decision = items.find((i) => i.sk === key.sk);
    if (!decision)
      throw new Error(`decision ${record.target} ${key.sk} vanished after a conditional check failed`);
    return {
      created: false,
      existing: toRecord(
        decision,
        items.find((i) => isOutcomeItem(i)),
      ),
    };
  }

  async recordOutcome(
    target: string,
    windowStartMs: number,
    outcome: DecisionOutcome,
    options: RecordOutcomeOptions = {},
  ): Promise<void> {
    const expiresAt =
      options.expiresAt ?? Math.floor(windowStartMs / 1000) + DEFAULT_TARGET.decisionTtlDays * 86_400;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: target,
          sk: `${windowSortKey(windowStartMs)}${OUTCOME_SUFFIX}`,
          outcome: toData(outcome),
          expiresAt,
        },
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
        // A window is up to two items (its decision, then its outcome): room for `limit` whole windows.
        Limit: limit * 2,
        ExclusiveStartKey: options.pageToken ? decodeToken(options.pageToken) : undefined,
      }),
      { abortSignal: options.signal },
    );
    return joinPage(out.Items ?? [], limit, out.LastEvaluatedKey);
  }
}

/**
 * Up to `limit` records from one query page, newest first, each decision joined with its outcome item (which
 * comes just before it, newest first). The next token resumes after the last record returned, so an outcome item
 * at the page's end, whose decision is on the next page, is read again there; an outcome without a decision
 * (its decision's write was lost) is skipped.
 */
function joinPage(
  items: readonly Record<string, unknown>[],
  limit: number,
  lastEvaluatedKey: Record<string, unknown> | undefined,
): DecisionPage {
  const records: DecisionRecord[] = [];
  let outcome: Record<string, unknown> | undefined;
  let lastKey: Record<string, unknown> | undefined;
  let i = 0;
  for (; i < items.length && records.length < limit; i++) {
    const item = items[i] as Record<string, unknown>;
    if (!isWindowItem(item)) continue;
    if (isOutcomeItem(item)) {
      outcome = item;
      continue;
    }
    const joined = outcome?.sk === `${item.sk as string}${OUTCOME_SUFFIX}` ? outcome : undefined;
    records.push(toRecord(item, joined));
    outcome = undefined;
    lastKey = { pk: item.pk, sk: item.sk };
  }
  let resume: Record<string, unknown> | undefined;
  if (i < items.length)
    resume = lastKey; // the page holds more than `limit` records
  else if (outcome !== undefined && lastEvaluatedKey !== undefined) {
    // The page ends on an outcome whose decision is on the next page: resume just before that outcome.
    const before = items[items.length - 2];
    resume = before ? { pk: before.pk, sk: before.sk } : lastEvaluatedKey;
  } else resume = lastEvaluatedKey;
  return { items: records, nextPageToken: encodeToken(resume) };
}
