import { gzipSync } from 'node:zlib';
import {
  createDecisionTable,
  createDynamoDbClient,
  createDynamoDbDocumentClient,
  createHandler,
  DynamoDbDecisionStore,
  DynamoDbWakeStore,
  memoryEmitter,
} from '@warmpool/controller';
import { FakeClock } from '@warmpool/core';
import { describe, expect, inject, it } from 'vitest';
import { sampleDecision, uniqueTableName } from './harness/fixtures.js';

const endpoint = inject('dynamodbEndpoint');
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000;

async function table() {
  const name = uniqueTableName();
  await createDecisionTable(createDynamoDbClient({ endpoint }), name);
  const doc = createDynamoDbDocumentClient({ endpoint });
  const units: number[] = [];
  doc.middlewareStack.add(
    (next) => async (args) => {
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      const c = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
      if (c?.CapacityUnits !== undefined) units.push(c.CapacityUnits);
      return out;
    },
    { step: 'initialize', name: 'consumedCapacity' },
  );
  return { name, doc, units };
}

describe('DynamoDbWakeStore on DynamoDB Local', () => {
  it('adds deliveries up atomically, one write unit each, and reads every mark in batches', async () => {
    const t = await table();
    const wakes = new DynamoDbWakeStore(t.doc, t.name);
    await wakes.addColdStarts('api:live', 2, T0 + 1_000);
    expect(t.units.splice(0)).toEqual([1]);
    // concurrent deliveries of one burst never lose a count
    await Promise.all(Array.from({ length: 10 }, (_, i) => wakes.addColdStarts('api:live', 1, T0 + i)));
    const ids = ['api:live', ...Array.from({ length: 150 }, (_, i) => `fn${i}:live`)];
    const marks = await wakes.readWakes(ids);
    expect(marks.size).toBe(1);
    expect(marks.get('api:live')?.coldStarts).toBe(12);
    await expect(wakes.addColdStarts('api:live', 0, T0)).rejects.toThrow(
      /coldStarts: must be an integer > 0/,
    );
  });

  it('lives beside the decisions without being read as one', async () => {
    const t = await table();
    const store = new DynamoDbDecisionStore(t.doc, t.name);
    const wakes = new DynamoDbWakeStore(t.doc, t.name);
    for (let i = 0; i < 3; i++)
      await store.putDecision({
        target: 'api:live',
        windowStartMs: T0 + i * 300_000,
        tickId: `tick-${i}`,
        recordedAtMs: T0 + i * 300_000 + 1_000,
        expiresAt: Math.floor(T0 / 1000) + 86_400,
        decision: sampleDecision('api:live', T0 + i * 300_000, i),
        degraded: [],
        outcome: null,
      });
    await wakes.addColdStarts('api:live', 4, T0);
    const all = await store.listDecisions('api:live');
    expect(all.items.map((r) => r.decision.count)).toEqual([2, 1, 0]);
    const since = await store.listDecisions('api:live', { sinceMs: T0 + 300_000 });
    expect(since.items.map((r) => r.decision.count)).toEqual([2, 1]);
    const paged = await store.listDecisions('api:live', { limit: 1 });
    expect(paged.items.map((r) => r.decision.count)).toEqual([2]);
    const next = await store.listDecisions('api:live', { limit: 2, pageToken: paged.nextPageToken });
    expect(next.items.map((r) => r.decision.count)).toEqual([1, 0]);
  });

  it('the real handler counts a log subscription delivery on the mark', async () => {
    const t = await table();
    const wakes = new DynamoDbWakeStore(t.doc, t.name);
    const store = new DynamoDbDecisionStore(t.doc, t.name);
    const lines: string[] = [];
    const handler = createHandler({
      deps: () => ({
        metrics: { read: async () => ({ byTarget: new Map(), calls: 0, queries: 0 }) },
        store,
        wakes,
        warm: async () => {
          throw new Error('a delivery must not warm');
        },
        clock: new FakeClock(T0),
        log: {
          debug: () => {},
          info: (m) => lines.push(m),
          warn: (m) => lines.push(m),
          error: (m) => lines.push(m),
          child() {
            return this;
          },
        },
        emf: memoryEmitter(),
      }),
      env: {
        WARMPOOL_CONFIG: JSON.stringify({ targets: [{ functionName: 'api', qualifier: 'live' }] }),
        WARMPOOL_TABLE: t.name,
      },
    });
    const line = JSON.stringify({ _aws: { Timestamp: T0 }, service: 'api', UserColdStart: 1 });
    const payload = {
      messageType: 'DATA_MESSAGE',
      logGroup: '/aws/lambda/api',
      logStream: 's',
      subscriptionFilters: ['warmpool-wake'],
      logEvents: [
        { id: '1', timestamp: T0 + 5, message: line },
        { id: '2', timestamp: T0 + 9, message: line },
      ],
    };
    const r = await handler(
      { awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') } },
      { awsRequestId: 'r', getRemainingTimeInMillis: () => 10_000 },
    );
    expect(r.woken).toEqual([{ target: 'api:live', coldStarts: 2 }]);
    expect((await wakes.readWakes(['api:live'])).get('api:live')).toEqual({
      target: 'api:live',
      coldStarts: 2,
      lastAtMs: T0 + 9,
    });
    expect(lines).toContain('cold starts delivered');
  });
});
