import { gzipSync } from 'node:zlib';
import { FakeClock } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { decodeLogsData } from '../src/handler/cold-start-logs.js';
import { createHandler } from '../src/handler/create-handler.js';
import { createWakeHandler } from '../src/handler/wake-handler.js';
import { FakeDecisionStore } from './fakes/decision-store-fake.js';
import { FakeMetricsSource } from './fakes/metrics-source-fake.js';
import { FakeWakeStore } from './fakes/wake-store-fake.js';
import { fakeTickDeps, T0 } from './fixtures.js';

const CONFIG = JSON.stringify({
  targets: [
    { functionName: 'api', qualifier: 'live' },
    { functionName: 'api', qualifier: 'canary' },
    { functionName: 'jobs', qualifier: 'live', coldStartMetric: { name: 'JobsColdStart' } },
    { functionName: 'quiet', qualifier: 'live', wakeAfterColdStarts: 0 },
    { functionName: 'custom', qualifier: 'live', logGroupName: '/custom/group' },
  ],
});

/** A subscription delivery as Lambda receives it: gzipped JSON in base64. */
function delivery(logGroup: string, messages: readonly string[], messageType = 'DATA_MESSAGE') {
  const payload = {
    messageType,
    owner: '123456789012',
    logGroup,
    logStream: '2026/12/06/[7]abcdef',
    subscriptionFilters: ['warmpool-wake'],
    logEvents: messages.map((message, i) => ({ id: String(i), timestamp: T0 + i * 1_000, message })),
  };
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } };
}

const emf = (name: string) =>
  JSON.stringify({
    _aws: { Timestamp: T0, CloudWatchMetrics: [{ Namespace: 'Warmpool', Dimensions: [[]], Metrics: [] }] },
    [name]: 1,
  });

function setup() {
  const wakes = new FakeWakeStore();
  const metrics = new FakeMetricsSource();
  const store = new FakeDecisionStore();
  const d = fakeTickDeps({ metrics, store, wakes, clock: new FakeClock(T0) });
  const handler = createHandler({ deps: () => d, env: { WARMPOOL_CONFIG: CONFIG } });
  const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 };
  return { wakes, metrics, store, handler, context };
}

describe('the handler on a cold-start delivery (the log subscription)', () => {
  it('counts the cold-start lines on every wakeable target writing to that log group, and runs no tick', async () => {
    const s = setup();
    const r = await s.handler(
      delivery('/aws/lambda/api', [emf('UserColdStart'), emf('UserColdStart'), 'START RequestId: x']),
      s.context,
    );
    expect(r).toEqual({
      kind: 'wake',
      logGroup: '/aws/lambda/api',
      woken: [
        { target: 'api:live', coldStarts: 2 },
        { target: 'api:canary', coldStarts: 2 },
      ],
    });
    const marks = await s.wakes.readWakes(['api:live', 'api:canary']);
    expect(marks.get('api:live')).toEqual({ target: 'api:live', coldStarts: 2, lastAtMs: T0 + 1_000 });
    expect(s.metrics.calls).toEqual([]); // no tick: nothing read, nothing decided
    expect(s.store.calls).toEqual([]);
  });

  it("counts the target's own cold-start metric name, and its custom log group", async () => {
    const s = setup();
    const jobs = await s.handler(
      delivery('/aws/lambda/jobs', [emf('UserColdStart'), emf('JobsColdStart')]),
      s.context,
    );
    expect(jobs.woken).toEqual([{ target: 'jobs:live', coldStarts: 1 }]);
    const custom = await s.handler(delivery('/custom/group', [emf('UserColdStart')]), s.context);
    expect(custom.woken).toEqual([{ target: 'custom:live', coldStarts: 1 }]);
    const byDefault = await s.handler(delivery('/aws/lambda/custom', [emf('UserColdStart')]), s.context);
    expect(byDefault.woken).toEqual([]);
  });

  it('ignores, and says why: a control message, an unknown log group, a target that is never woken', async () => {
    const s = setup();
    const control = await s.handler(delivery('', [], 'CONTROL_MESSAGE'), s.context);
    expect(control.ignored).toMatch(/CONTROL_MESSAGE/);
    const unknown = await s.handler(delivery('/aws/lambda/other', [emf('UserColdStart')]), s.context);
    expect(unknown.ignored).toMatch(/no target/);
    const quiet = await s.handler(delivery('/aws/lambda/quiet', [emf('UserColdStart')]), s.context);
    expect(quiet.ignored).toMatch(/no target with wakeAfterColdStarts > 0/);
    const noLine = await s.handler(
      delivery('/aws/lambda/api', ['not json', '{"UserColdStart":2}']),
      s.context,
    );
    expect(noLine.ignored).toMatch(/no cold-start line/);
    expect(s.wakes.calls).toEqual([]);
  });

  it('throws when the mark cannot be written, so Lambda retries the delivery', async () => {
    const s = setup();
    s.wakes.failNext('addColdStarts');
    await expect(s.handler(delivery('/aws/lambda/jobs', [emf('JobsColdStart')]), s.context)).rejects.toThrow(
      /fake wake store failure/,
    );
  });

  it('rejects a payload that is not gzipped JSON, naming the field', () => {
    expect(() => decodeLogsData('bm90IGd6aXA=')).toThrow(/awslogs\.data: must be base64 of gzipped JSON/);
    const noGroup = gzipSync(Buffer.from(JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: [] })));
    expect(() => decodeLogsData(noGroup.toString('base64'))).toThrow(
      /awslogs\.data\.logGroup: must be a non-empty string/,
    );
  });
});

describe('createWakeHandler: the subscription’s own function', () => {
  it('counts a delivery on the marks, and refuses anything else', async () => {
    const wakes = new FakeWakeStore();
    const lines: string[] = [];
    const handler = createWakeHandler({
      wakes: () => wakes,
      env: { WARMPOOL_CONFIG: CONFIG, WARMPOOL_TABLE: 't' },
      sink: (l) => lines.push(l),
    });
    const r = await handler(delivery('/aws/lambda/jobs', [emf('JobsColdStart'), emf('JobsColdStart')]));
    expect(r.woken).toEqual([{ target: 'jobs:live', coldStarts: 2 }]);
    expect(lines.some((l) => JSON.parse(l).service === 'warmpool-wake')).toBe(true);
    await expect(handler({ time: new Date(T0).toISOString() } as never)).rejects.toThrow(
      /CloudWatch Logs subscription events only/,
    );
  });
});
