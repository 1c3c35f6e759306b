import { gzipSync } from 'node:zlib';
import { SimFunction } from '@warmpool/lab';
import { afterEach, describe, expect, it } from 'vitest';
import { simMetricProvider } from '../src/cloudwatch-provider.js';
import { CloudWatchStandIn, type MetricProvider } from '../src/cloudwatch-server.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const MIN = 60_000;
let standIn: CloudWatchStandIn | undefined;

afterEach(async () => {
  await standIn?.stop();
  standIn = undefined;
});

/** The parts of GetMetricData's JSON answer these tests read. */
interface WireJson {
  MetricDataResults: { Id: string; Timestamps: number[]; Values: number[]; StatusCode: string }[];
  NextToken?: string;
  __type?: string;
  message?: string;
}

async function call(endpoint: string, op: string, body: unknown, gzip = false) {
  const raw = Buffer.from(JSON.stringify(body));
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `GraniteServiceVersion20100801.${op}`,
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
    body: gzip ? gzipSync(raw) : raw,
  });
  return {
    status: res.status,
    headers: res.headers,
    json: (await res.json()) as WireJson,
  };
}

const query = (id: string, fn: string, metric = 'ConcurrentExecutions', stat = 'Maximum', extra = {}) => ({
  Id: id,
  MetricStat: {
    Metric: {
      Namespace: 'AWS/Lambda',
      MetricName: metric,
      Dimensions: [{ Name: 'FunctionName', Value: fn }, ...Object.values(extra)],
    },
    Period: 60,
    Stat: stat,
  },
});

function world() {
  const sim = new SimFunction({ startMs: T0, metricLagMs: MIN, initMs: 100 });
  // minute 0: 3 overlapping requests; minute 1: nothing; minute 2: 1 request; a throttle-free run
  for (let i = 0; i < 3; i++) sim.invoke(T0 + 1000, 'real', 30_000);
  sim.invoke(T0 + 2 * MIN + 5000, 'real', 1000);
  sim.advanceTo(T0 + 4 * MIN);
  return sim;
}

describe('CloudWatch stand-in (wire level)', () => {
  it('answers GetMetricData from the simulator with the reporting lag and no datapoint for idle minutes', async () => {
    const sim = world();
    let now = T0 + 3 * MIN; // minute 2 ends at +3 min and is visible only from +4 min
    standIn = new CloudWatchStandIn({
      provider: simMetricProvider({ lookup: (fn) => (fn === 'api' ? sim.metrics : undefined) }),
      now: () => now,
    });
    const endpoint = await standIn.start();
    const body = {
      MetricDataQueries: [query('c', 'api'), query('cs', 'api', 'UserColdStart', 'Sum'), query('x', 'nope')],
      StartTime: T0 / 1000,
      EndTime: (T0 + 4 * MIN) / 1000,
      ScanBy: 'TimestampAscending',
    };
    body.MetricDataQueries[1] = {
      Id: 'cs',
      MetricStat: {
        Metric: {
          Namespace: 'Warmpool',
          MetricName: 'UserColdStart',
          Dimensions: [{ Name: 'function_name', Value: 'api' }],
        },
        Period: 60,
        Stat: 'Sum',
      },
    };
    let r = await call(endpoint, 'GetMetricData', body);
    expect(r.status).toBe(200);
    const byId = (id: string) => r.json.MetricDataResults.find((x: { Id: string }) => x.Id === id);
    expect(byId('c')).toMatchObject({ Timestamps: [T0 / 1000], Values: [3], StatusCode: 'Complete' });
    expect(byId('cs')).toMatchObject({ Timestamps: [T0 / 1000], Values: [3] });
    expect(byId('x')).toMatchObject({ Timestamps: [], Values: [] });
    now = T0 + 4 * MIN;
    r = await call(endpoint, 'GetMetricData', body);
    expect(byId('c')).toMatchObject({ Timestamps: [T0 / 1000, (T0 + 2 * MIN) / 1000], Values: [3, 1] });
  });

  it('pages datapoints behind NextToken', async () => {
    const sim = world();
    standIn = new CloudWatchStandIn({
      provider: simMetricProvider({ lookup: () => sim.metrics }),
      now: () => T0 + 10 * MIN,
      maxDatapointsPerPage: 1,
    });
    const endpoint = await standIn.start();
    const body = {
      MetricDataQueries: [query('c', 'api')],
      StartTime: T0 / 1000,
      EndTime: (T0 + 4 * MIN) / 1000,
    };
    const first = await call(endpoint, 'GetMetricData', body);
    expect(first.json.MetricDataResults[0]).toMatchObject({ Values: [1], StatusCode: 'PartialData' }); // newest first
    expect(first.json.NextToken).toBeTypeOf('string');
    const second = await call(endpoint, 'GetMetricData', { ...body, NextToken: first.json.NextToken });
    expect(second.json.MetricDataResults[0]).toMatchObject({ Values: [3], StatusCode: 'Complete' });
    expect(second.json.NextToken).toBeUndefined();
  });

  it('rejects more than 500 queries like CloudWatch', async () => {
    const provider: MetricProvider = () => undefined;
    standIn = new CloudWatchStandIn({ provider, now: () => T0 });
    const endpoint = await standIn.start();
    const qs = Array.from({ length: 501 }, (_, i) => query(`q${i}`, 'f'));
    const r = await call(endpoint, 'GetMetricData', { MetricDataQueries: qs, StartTime: 0, EndTime: 60 });
    expect(r.status).toBe(400);
    expect(r.json.__type).toBe('InvalidParameterValueException');
    expect(r.json.message).toMatch(/MetricDataQueries/);
  });

  it('injects faults in order: throttling, then invalid, then serves again', async () => {
    standIn = new CloudWatchStandIn({ provider: () => undefined, now: () => T0 });
    const endpoint = await standIn.start();
    standIn.failNext('throttling');
    standIn.failNext('invalid');
    const body = { MetricDataQueries: [query('c', 'f')], StartTime: 0, EndTime: 60 };
    const a = await call(endpoint, 'GetMetricData', body);
    expect(a.status).toBe(400);
    expect(a.headers.get('x-amzn-query-error')).toBe('Throttling;Sender');
    const b = await call(endpoint, 'GetMetricData', body);
    expect(b.json.__type).toBe('InvalidParameterValueException');
    expect((await call(endpoint, 'GetMetricData', body)).status).toBe(200);
    expect(standIn.requests.map((r) => r.operation)).toEqual([
      'GetMetricData',
      'GetMetricData',
      'GetMetricData',
    ]);
  });

  it('accepts PutMetricData, gzip-encoded or not', async () => {
    standIn = new CloudWatchStandIn({ provider: () => undefined, now: () => T0 });
    const endpoint = await standIn.start();
    const datum = {
      MetricName: 'Decided',
      Dimensions: [{ Name: 'Target', Value: 'api:live' }],
      Value: 4,
      Timestamp: T0 / 1000,
    };
    expect(
      (await call(endpoint, 'PutMetricData', { Namespace: 'Warmpool', MetricData: [datum] })).status,
    ).toBe(200);
    const many = Array.from({ length: 200 }, () => datum);
    expect(
      (await call(endpoint, 'PutMetricData', { Namespace: 'Warmpool', MetricData: many }, true)).status,
    ).toBe(200);
    expect(standIn.putMetricData).toHaveLength(201);
    expect(standIn.putMetricData[0]).toEqual({
      namespace: 'Warmpool',
      metricName: 'Decided',
      dimensions: { Target: 'api:live' },
      values: [4],
      timestampMs: T0,
    });
  });

  it('aggregates 5-minute periods with the statistic asked for', async () => {
    const sim = world();
    standIn = new CloudWatchStandIn({
      provider: simMetricProvider({ lookup: () => sim.metrics }),
      now: () => T0 + 60 * MIN,
    });
    const endpoint = await standIn.start();
    const q = query('i', 'api', 'Invocations', 'Sum');
    q.MetricStat.Period = 300;
    const r = await call(endpoint, 'GetMetricData', {
      MetricDataQueries: [q],
      StartTime: T0 / 1000,
      EndTime: (T0 + 5 * MIN) / 1000,
    });
    expect(r.json.MetricDataResults[0]).toMatchObject({ Timestamps: [T0 / 1000], Values: [4] });
  });
});
