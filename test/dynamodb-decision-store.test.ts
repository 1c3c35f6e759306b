import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  createDecisionTable,
  createDynamoDbClient,
  createDynamoDbDocumentClient,
  type DecisionRecord,
  DynamoDbDecisionStore,
} from '@warmpool/controller';
import { decide, parseConfig } from '@warmpool/core';
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

/** A store whose every request reports the capacity DynamoDB Local says it consumed. */
async function measuredStore() {
  const table = uniqueTableName();
  await createDecisionTable(createDynamoDbClient({ endpoint }), table);
  const doc = createDynamoDbDocumentClient({ endpoint });
  const units: { op: string; units: number }[] = [];
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
      units.push({ op: context.commandName ?? '?', units: consumed?.CapacityUnits ?? 0 });
      return out;
    },
    { step: 'initialize', name: 'consumedCapacity' },
  );
  return { store: new DynamoDbDecisionStore(doc, table), units, doc, table };
}

function fanOut(n: number) {
  return {
    target: 'api:live',
    qualifier: 'live',
    requested: n,
    sent: n,
    succeeded: n,
    throttled: 0,
    throttleReasons: {},
    failed: 0,
    failures: {},
    distinctContainers: n,
    newContainers: 1,
    unrecognised: 0,
    stoppedEarly: null,
    holdMs: 150,
    wallMs: 170,
    dispatchSpreadMs: 12,
  };
}

/** A record the size the controller writes: decide()'s reasons and forecast explanation are most of it. */
function realisticRecord(target: string, windowStartMs: number, count: number): DecisionRecord {
  const r = record(target, windowStartMs, count);
  const why =
    'auto: lowest asymmetric loss (under-forecast x4, over-forecast x1) over 24 windows of 5 min: peak-quantile 2.517, holt 2.827, seasonal-naive 0.667 (seasonal reference: every 60 min, detected)';
  return {
    ...r,
    decision: {
      ...r.decision,
      forecast: {
        ...r.decision.forecast,
        why,
        candidates: [
          { model: 'peak-quantile', score: 2.5166666666666666 },
          { model: 'holt', score: 2.8272458189968774 },
          { model: 'seasonal-naive', score: 0.6666666666666666 },
        ],
      },
      reasons: [
        { code: 'model-chosen', message: why },
        {
          code: 'budget-unknown',
          message: 'reserved concurrency unknown: no budget cap applied, max bounds',
        },
        {
          code: 'traffic-keeps-pool',
          message:
            'about 2 container(s) are busy with traffic when the round lands, out of its reach: round of 4 for a pool of 6',
        },
      ],
    },
  };
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

  it('records the outcome beside its decision and reads them back as one record', async () => {
    const store = await freshStore();
    await store.putDecision(record('api:live', T0, 3));
    const outcome = { status: 'warmed' as const, fanOut: fanOut(3), completedAtMs: T0 + 2_000 };
    await store.recordOutcome('api:live', T0, outcome, { expiresAt: T0 / 1000 + 86_400 });
    const page = await store.listDecisions('api:live');
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.outcome).toEqual(outcome);
    expect(page.items[0]?.decision.count).toBe(3);
    // a duplicated tick finds the first run's record with its outcome
    const again = await store.putDecision(record('api:live', T0, 9, 'tick-2'));
    expect(again.created).toBe(false);
    if (!again.created) expect(again.existing.outcome).toEqual(outcome);
    // a record written with its outcome in one put (a count of 0) reads the same way
    await store.putDecision({
      ...record('api:live', T0 + W, 0),
      outcome: { ...outcome, status: 'nothing-to-warm' },
    });
    const [newest] = (await store.listDecisions('api:live')).items;
    expect(newest?.outcome?.status).toBe('nothing-to-warm');
  });

  it('bills the outcome one write unit, where writing it onto the decision item billed two', async () => {
    const { store, units, doc, table } = await measuredStore();
    const big = realisticRecord('api:live', T0, 12);
    await store.putDecision(big);
    expect(units.splice(0)).toEqual([{ op: 'PutItemCommand', units: 2 }]); // a real decision item is over 1 KB
    await store.recordOutcome('api:live', T0, {
      status: 'warmed',
      fanOut: fanOut(12),
      completedAtMs: T0 + 900,
    });
    expect(units.splice(0)).toEqual([{ op: 'PutItemCommand', units: 1 }]);
    // the way it was written before: the same outcome set onto the decision item is billed on the whole item
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: 'api:live', sk: new Date(T0).toISOString() },
        UpdateExpression: 'SET outcome = :o',
        ExpressionAttributeValues: {
          ':o': { status: 'warmed', fanOut: fanOut(12), completedAtMs: T0 + 900 },
        },
      }),
    );
    expect(units.splice(0)).toEqual([{ op: 'UpdateItemCommand', units: 2 }]);
  });

  it('pages whole windows, outcomes joined, across page boundaries', async () => {
    const store = await freshStore();
    for (let i = 0; i < 7; i++) {
      await store.putDecision(record('api:live', T0 + i * W, i));
      // every other window has a round's outcome in its own item
      if (i % 2 === 0)
        await store.recordOutcome('api:live', T0 + i * W, {
          status: 'warmed',
          fanOut: fanOut(i),
          completedAtMs: T0 + i * W + 1_000,
        });
    }
    const seen: { count: number; outcome: boolean }[] = [];
    for (const limit of [1, 2, 3, 50]) {
      seen.length = 0;
      let token: string | undefined;
      do {
        const page = await store.listDecisions('api:live', { limit, pageToken: token });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        for (const r of page.items) seen.push({ count: r.decision.count, outcome: r.outcome !== null });
        token = page.nextPageToken;
      } while (token);
      expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((c) => ({ count: c, outcome: c % 2 === 0 })));
    }
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

  it('stores what the key says once, and reads every record back whole', async () => {
    const { store, doc, table } = await measuredStore();
    const plain = record('orders-api:live', T0, 3);
    await store.putDecision(plain);
    const { Item: item } = await doc.send(
      new GetCommand({ TableName: table, Key: { pk: 'orders-api:live', sk: new Date(T0).toISOString() } }),
    );
    // the target id and the window are the key's: not repeated in the item or its decision
    expect(item).not.toHaveProperty('target');
    expect(item).not.toHaveProperty('windowStartMs');
    for (const field of ['target', 'functionName', 'qualifier', 'windowStartMs'])
      expect(item?.decision).not.toHaveProperty(field);
    expect((await store.listDecisions('orders-api:live')).items[0]).toEqual(plain);
    // a function given by ARN keeps its functionName; what differs from the key is kept too
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:orders-api';
    const byArn = record('orders-api:live', T0 + W, 2);
    const odd = {
      ...byArn,
      decision: { ...byArn.decision, functionName: arn, windowStartMs: T0 + W + 1 },
    };
    await store.putDecision(odd);
    const [newest] = (await store.listDecisions('orders-api:live')).items;
    expect(newest).toEqual(odd);
    // an item written whole (before this encoding) reads the same
    const whole = record('jobs:$LATEST', T0, 1);
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: { pk: whole.target, sk: new Date(T0).toISOString(), ...whole },
      }),
    );
    expect((await store.listDecisions('jobs:$LATEST')).items[0]).toEqual(whole);
  });

  it("bills a kept decision (a steady target's deferred read) one write unit, with a long function name", async () => {
    const { store, units } = await measuredStore();
    const functionName = 'orders-service-production-api-handler-eu';
    const config = parseConfig({
      tickIntervalSeconds: 300,
      targets: [{ functionName, qualifier: 'live', max: 40 }],
    });
    const target = config.targets[0];
    if (!target) throw new Error('no target');
    const empty = { startMs: T0, values: [] };
    // what the controller decides on a tick that does not read a steady target: the last count kept
    const d = decide(
      { target, tickIntervalSeconds: 300 },
      {
        concurrency: empty,
        coldStarts: empty,
        concurrencyReadAtMs: T0 - 2 * W,
        pastDecisions: [{ windowStartMs: T0 - W, warmedAtMs: T0 - W, count: 0, reached: 0 }],
        capacity: { reservedConcurrency: null, unreservedConcurrency: null },
      },
      { version: 1, headroom: 1.2, updatedForWindowMs: T0 - W, quietWindows: 3, lastCount: 0 },
      T0,
    );
    expect(d.reasons.map((r) => r.code)).toContain('read-deferred');
    await store.putDecision({
      target: target.id,
      windowStartMs: d.windowStartMs,
      tickId: 'e2b1c0de-5f7a-4c3b-9a6e-0d1f2a3b4c5d',
      recordedAtMs: T0 + 130.5,
      expiresAt: Math.floor(T0 / 1000) + 14 * 86_400,
      decision: d,
      degraded: [],
      outcome: { status: 'nothing-to-warm', fanOut: null, completedAtMs: T0 + 130.5 },
    });
    expect(units.splice(0)).toEqual([{ op: 'PutItemCommand', units: 1 }]);
  });

  it('createDecisionTable is idempotent', async () => {
    const table = uniqueTableName();
    const client = createDynamoDbClient({ endpoint });
    await createDecisionTable(client, table);
    await expect(createDecisionTable(client, table)).resolves.toBeUndefined();
  });
});
