import {
  createDecisionTable,
  createDynamoDbClient,
  createDynamoDbDocumentClient,
  type DecisionRecord,
  DynamoDbDecisionStore,
} from '@warmpool/controller';
import { describe, expect, inject, it } from 'vitest';
import { sampleDecision, uniqueTableName } from './harness/fixtures.js';

const endpoint = inject('dynamodbEndpoint');
// Near real time: DynamoDB Local enforces TTL, and items of long-past windows would be deleted mid-test.
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000;
const W = 300_000;

function record(target: string, windowStartMs: number, count: number, tickId = 'tick-1'): DecisionRecord {
  return {
    target,
    windowStartMs,
    tickId,
    recordedAtMs: windowStartMs + 1_000,
    expiresAt: Math.floor(windowStartMs / 1000) + 14 * 86_400,
    decision: sampleDecision(target, windowStartMs, count),
    degraded: [],
    outcome: null,
  };
}

async function freshStore() {
  const table = uniqueTableName();
  await createDecisionTable(createDynamoDbClient({ endpoint }), table);
  return new DynamoDbDecisionStore(createDynamoDbDocumentClient({ endpoint }), table);
}

describe('DynamoDbDecisionStore on DynamoDB Local', () => {
  it('writes once per window: a second put returns the first record and changes nothing', async () => {
    const store = await freshStore();
    expect(await store.putDecision(record('api:live', T0, 4))).toEqual({ created: true });
    const again = await store.putDecision(record('api:live', T0, 9, 'tick-2'));
    expect(again.created).toBe(false);
    if (!again.created) {
      expect(again.existing.tickId).toBe('tick-1');
      expect(again.existing.decision.count).toBe(4);
    }
    const page = await store.listDecisions('api:live');
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.decision).toEqual(sampleDecision('api:live', T0, 4));
  });

  it('writes the outcome back onto the same item', async () => {
    const store = await freshStore();
    await store.putDecision(record('api:live', T0, 3));
    const fanOut = {
      target: 'api:live',
      qualifier: 'live',
      requested: 3,
      sent: 3,
      succeeded: 3,
      throttled: 0,
      throttleReasons: {},
      failed: 0,
      failures: {},
      distinctContainers: 3,
      newContainers: 1,
      unrecognised: 0,
      stoppedEarly: null,
      holdMs: 150,
      wallMs: 170,
    };
    await store.recordOutcome('api:live', T0, { status: 'warmed', fanOut, completedAtMs: T0 + 2_000 });
    const [item] = (await store.listDecisions('api:live')).items;
    expect(item?.outcome).toEqual({ status: 'warmed', fanOut, completedAtMs: T0 + 2_000 });
    await expect(
      store.recordOutcome('api:live', T0 + W, { status: 'warmed', fanOut, completedAtMs: T0 }),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('lists newest first, paged, since a time, per target', async () => {
    const store = await freshStore();
    for (let i = 0; i < 7; i++) await store.putDecision(record('api:live', T0 + i * W, i));
    await store.putDecision(record('jobs:live', T0, 1));
    const first = await store.listDecisions('api:live', { limit: 3 });
    expect(first.items.map((r) => r.decision.count)).toEqual([6, 5, 4]);
    const second = await store.listDecisions('api:live', { limit: 3, pageToken: first.nextPageToken });
    expect(second.items.map((r) => r.decision.count)).toEqual([3, 2, 1]);
    const since = await store.listDecisions('api:live', { sinceMs: T0 + 5 * W });
    expect(since.items.map((r) => r.windowStartMs)).toEqual([T0 + 6 * W, T0 + 5 * W]);
    expect(since.nextPageToken).toBeUndefined();
    await expect(store.listDecisions('api:live', { pageToken: 'garbage' })).rejects.toThrow(/pageToken/);
  });

  it('stores non-finite numbers as null rather than failing the write', async () => {
    const store = await freshStore();
    const r = record('api:live', T0, 2);
    const odd = {
      ...r,
      decision: { ...r.decision, forecast: { ...r.decision.forecast, score: Number.NaN } },
    };
    await store.putDecision(odd);
    const [item] = (await store.listDecisions('api:live')).items;
    expect(item?.decision.forecast.score).toBeNull();
  });

  it('createDecisionTable is idempotent', async () => {
    const table = uniqueTableName();
    const client = createDynamoDbClient({ endpoint });
    await createDecisionTable(client, table);
    await expect(createDecisionTable(client, table)).resolves.toBeUndefined();
  });
});
