import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { parseConfig } from '@warmpool/core';
import { SimFunction } from '@warmpool/lab';
import { CloudWatchStandIn, type MetricRequest } from '@warmpool/local';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CloudWatchMetricsSource,
  createCloudWatchClient,
} from '../src/adapters/cloudwatch-metrics-source.js';
import { computeQueryWindow } from '../src/window/query-window.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const creds = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
Object.assign(process.env, creds);

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const MIN = 60_000;
let standIn: CloudWatchStandIn | undefined;
afterEach(async () => {
  await standIn?.stop();
  standIn = undefined;
});

/** A provider that records every query and answers ConcurrentExecutions = 2 at every minute. */
function recording(seen: MetricRequest[]) {
  return (req: MetricRequest) => {
    seen.push(req);
    const ts: number[] = [];
    for (let t = req.startMs; t < req.endMs; t += MIN) ts.push(t);
    return { timestampsMs: ts, values: ts.map(() => (req.metricName === 'ConcurrentExecutions' ? 2 : 1)) };
  };
}

describe('CloudWatchMetricsSource against the stand-in (real SDK client)', () => {
  it('reads every target in one GetMetricData call, per alias, with the cold-start dimensions resolved', async () => {
    const seen: MetricRequest[] = [];
    standIn = new CloudWatchStandIn({ provider: recording(seen), now: () => T0 });
    const endpoint = await standIn.start();
    const config = parseConfig({
      targets: [
        { functionName: 'api', qualifier: 'live' },
        { functionName: 'arn:aws:lambda:us-east-1:123456789012:function:jobs', qualifier: '$LATEST' },
      ],
    });
    const source = new CloudWatchMetricsSource(createCloudWatchClient({ endpoint }));
    const window = computeQueryWindow({ nowMs: T0, lagMs: MIN, lookbackPeriods: 5 });
    const out = await source.read({ targets: config.targets, window });
    // Concurrency and cold starts for each target; Throttles is not read (the fan-out knows its own).
    expect(standIn.requests).toEqual([{ operation: 'GetMetricData', queries: 4, nextToken: false }]);
    expect(out).toMatchObject({ calls: 1, queries: 4 });
    expect(out.byTarget.get('api:live')?.concurrency.values).toEqual([2, 2, 2, 2, 2]);
    expect(out.byTarget.get('jobs:$LATEST')?.coldStarts.values).toEqual([1, 1, 1, 1, 1]);
    const conc = seen.filter((s) => s.metricName === 'ConcurrentExecutions');
    expect(conc.map((c) => c.dimensions)).toEqual([
      { FunctionName: 'api', Resource: 'api:live' },
      { FunctionName: 'jobs' },
    ]);
    expect(conc[0]).toMatchObject({
      stat: 'Maximum',
      periodMs: MIN,
      startMs: window.startMs,
      endMs: window.endMs,
    });
    const cold = seen.find((s) => s.namespace === 'Warmpool');
    expect(cold).toMatchObject({
      metricName: 'UserColdStart',
      stat: 'Sum',
      dimensions: { service: 'api', function_name: 'api' },
    });
    expect(seen.find((s) => s.metricName === 'Throttles')).toBeUndefined();
  });

  it('splits past 500 queries and follows NextToken', async () => {
    standIn = new CloudWatchStandIn({ provider: recording([]), now: () => T0, maxDatapointsPerPage: 400 });
    const endpoint = await standIn.start();
    const targets = Array.from({ length: 260 }, (_, i) => ({ functionName: `fn${i}`, qualifier: 'live' }));
    const config = parseConfig({ targets });
    const source = new CloudWatchMetricsSource(createCloudWatchClient({ endpoint }));
    const window = computeQueryWindow({ nowMs: T0, lagMs: 0, lookbackPeriods: 3 });
    const out = await source.read({ targets: config.targets, window });
    // 520 queries → a call of 500 and a call of 20; 1,500 datapoints of the first need 4 pages of 400
    const first = standIn.requests.filter((r) => !r.nextToken).map((r) => r.queries);
    expect(first).toEqual([500, 20]);
    expect(standIn.requests.filter((r) => r.nextToken)).toHaveLength(3);
    expect(out.calls).toBe(5);
    expect(out.byTarget.size).toBe(260);
    for (const m of out.byTarget.values()) expect(m.concurrency.values).toEqual([2, 2, 2]);
  });

  it('leaves unreported and empty minutes null (the simulator with a reporting lag)', async () => {
    const sim = new SimFunction({ startMs: T0, metricLagMs: 90_000 });
    sim.invoke(T0 + 1000, 'real', 500);
    sim.invoke(T0 + 3 * MIN + 1000, 'real', 500);
    sim.advanceTo(T0 + 5 * MIN);
    const { simMetricProvider } = await import('@warmpool/local');
    standIn = new CloudWatchStandIn({
      provider: simMetricProvider({ lookup: () => sim.metrics }),
      now: () => T0 + 5 * MIN,
    });
    const endpoint = await standIn.start();
    const config = parseConfig({ targets: [{ functionName: 'api', qualifier: 'live' }] });
    const source = new CloudWatchMetricsSource(createCloudWatchClient({ endpoint }));
    // the controller assumes 1 min of lag, the world has 90 s: minute 3 ends at +4, visible at +5:30
    const window = computeQueryWindow({ nowMs: T0 + 5 * MIN, lagMs: MIN, lookbackPeriods: 4 });
    const out = await source.read({ targets: config.targets, window });
    expect(out.byTarget.get('api:live')?.concurrency.values).toEqual([1, null, null, null]);
    expect(out.byTarget.get('api:live')?.coldStarts.values).toEqual([1, null, null, null]);
  });

  it('rides out a Throttling answer (SDK retry) and fails on a non-retryable error', async () => {
    standIn = new CloudWatchStandIn({ provider: recording([]), now: () => T0 });
    const endpoint = await standIn.start();
    const config = parseConfig({ targets: [{ functionName: 'api', qualifier: 'live' }] });
    const source = new CloudWatchMetricsSource(createCloudWatchClient({ endpoint, maxAttempts: 3 }));
    const window = computeQueryWindow({ nowMs: T0, lagMs: 0, lookbackPeriods: 2 });
    standIn.failNext('throttling');
    const ok = await source.read({ targets: config.targets, window });
    expect(ok.byTarget.get('api:live')?.concurrency.values).toEqual([2, 2]);
    expect(standIn.requests).toHaveLength(2);
    standIn.failNext('invalid');
    await expect(source.read({ targets: config.targets, window })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
  });

  it('gives up when the tick aborts a hanging call', async () => {
    standIn = new CloudWatchStandIn({ provider: recording([]), now: () => T0 });
    const endpoint = await standIn.start();
    const config = parseConfig({ targets: [{ functionName: 'api', qualifier: 'live' }] });
    const source = new CloudWatchMetricsSource(createCloudWatchClient({ endpoint, maxAttempts: 1 }));
    standIn.failNext('hang');
    const window = computeQueryWindow({ nowMs: T0, lagMs: 0, lookbackPeriods: 2 });
    await expect(
      source.read({ targets: config.targets, window, signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
  });

  it('reads seasonal references in one extra call each, shifted back and extended forward', async () => {
    const seen: MetricRequest[] = [];
    standIn = new CloudWatchStandIn({ provider: recording(seen), now: () => T0 });
    const endpoint = await standIn.start();
    const config = parseConfig({
      targets: [
        { functionName: 'api', qualifier: 'live' },
        { functionName: 'jobs', qualifier: 'live' },
      ],
    });
    const source = new CloudWatchMetricsSource(createCloudWatchClient({ endpoint }), {
      seasonal: ['day', 'week'],
    });
    const window = computeQueryWindow({ nowMs: T0, lagMs: MIN, lookbackPeriods: 4 });
    const out = await source.read({ targets: config.targets, window, referenceExtendPeriods: 6 });
    expect(standIn.requests.map((r) => r.queries)).toEqual([4, 2, 2]);
    expect(out).toMatchObject({ calls: 3, queries: 8 });
    const api = out.byTarget.get('api:live');
    const DAY = 86_400_000;
    expect(api?.dayAgo).toEqual({ startMs: window.startMs - DAY, values: new Array(10).fill(2) });
    expect(api?.weekAgo?.startMs).toBe(window.startMs - 7 * DAY);
    const refs = seen.filter((q) => q.startMs < window.startMs);
    expect(refs.every((q) => q.metricName === 'ConcurrentExecutions')).toBe(true);
    expect(refs.find((q) => q.startMs === window.startMs - DAY)?.endMs).toBe(window.endMs - DAY + 6 * MIN);
  });

  it('a failed reference read leaves the reference out, not the tick', async () => {
    const window = computeQueryWindow({ nowMs: T0, lagMs: MIN, lookbackPeriods: 4 });
    const ok = recording([]);
    // the stand-in answers 500 for any query reaching before the window: the reference reads
    const provider = (req: MetricRequest) => {
      if (req.startMs < window.startMs) throw new Error('reference unavailable');
      return ok(req);
    };
    standIn = new CloudWatchStandIn({ provider, now: () => T0 });
    const endpoint = await standIn.start();
    const config = parseConfig({ targets: [{ functionName: 'api', qualifier: 'live' }] });
    const source = new CloudWatchMetricsSource(createCloudWatchClient({ endpoint, maxAttempts: 1 }), {
      seasonal: ['day'],
    });
    const out = await source.read({ targets: config.targets, window });
    expect(standIn.requests).toHaveLength(2);
    expect(out.byTarget.get('api:live')?.concurrency.values).toEqual([2, 2, 2, 2]);
    expect(out.byTarget.get('api:live')?.dayAgo).toBeUndefined();
    expect(out).toMatchObject({ calls: 1, queries: 2 });
  });

  it('the stand-in accepts PutMetricData from the real client, gzip-compressed past 10 KB', async () => {
    standIn = new CloudWatchStandIn({ provider: recording([]), now: () => T0 });
    const endpoint = await standIn.start();
    const client = createCloudWatchClient({ endpoint });
    const datum = (i: number) => ({
      MetricName: 'Decided',
      Dimensions: [{ Name: 'Target', Value: `fn-${i}:live` }],
      Value: i,
      Timestamp: new Date(T0),
    });
    await client.send(new PutMetricDataCommand({ Namespace: 'Warmpool', MetricData: [datum(1)] }));
    const many = Array.from({ length: 300 }, (_, i) => datum(i)); // well past the 10,240-byte threshold
    await client.send(new PutMetricDataCommand({ Namespace: 'Warmpool', MetricData: many }));
    expect(standIn.putMetricData).toHaveLength(301);
    expect(standIn.putMetricData[300]).toEqual({
      namespace: 'Warmpool',
      metricName: 'Decided',
      dimensions: { Target: 'fn-299:live' },
      values: [299],
      timestampMs: T0,
    });
    expect(standIn.gzipRequests).toBe(1);
  });

  it('with a rule, reads concurrency for all, then cold starts only where a decision needs them', async () => {
    const seen: MetricRequest[] = [];
    standIn = new CloudWatchStandIn({ provider: recording(seen), now: () => T0 });
    const endpoint = await standIn.start();
    const config = parseConfig({
      targets: ['a', 'b', 'c'].map((functionName) => ({ functionName, qualifier: 'live' })),
    });
    const source = new CloudWatchMetricsSource(createCloudWatchClient({ endpoint }));
    const window = computeQueryWindow({ nowMs: T0, lagMs: MIN, lookbackPeriods: 3 });
    const asked: [string, readonly (number | null)[]][] = [];
    const out = await source.read({
      targets: config.targets,
      window,
      coldStartsFor: (t, concurrency) => {
        asked.push([t.id, concurrency.values]);
        return t.id === 'b:live';
      },
    });
    // The rule sees each target's concurrency as read; one call for it, one for the single cold-start count.
    expect(asked).toEqual([
      ['a:live', [2, 2, 2]],
      ['b:live', [2, 2, 2]],
      ['c:live', [2, 2, 2]],
    ]);
    expect(standIn.requests.map((r) => r.queries)).toEqual([3, 1]);
    expect(out).toMatchObject({ calls: 2, queries: 4, coldStartsSkipped: 2 });
    expect(seen.filter((q) => q.namespace === 'Warmpool').map((q) => q.dimensions.service)).toEqual(['b']);
    expect(out.byTarget.get('b:live')).toMatchObject({ coldStarts: { values: [1, 1, 1] } });
    expect(out.byTarget.get('b:live')?.coldStartsRead).toBeUndefined();
    // Not read is said as such, and never passed off as a series of zeros.
    expect(out.byTarget.get('a:live')).toMatchObject({
      coldStartsRead: false,
      coldStarts: { values: [null, null, null] },
    });
  });

  it('with a rule that needs no cold starts, makes one call', async () => {
    standIn = new CloudWatchStandIn({ provider: recording([]), now: () => T0 });
    const endpoint = await standIn.start();
    const config = parseConfig({ targets: [{ functionName: 'a', qualifier: 'live' }] });
    const source = new CloudWatchMetricsSource(createCloudWatchClient({ endpoint }));
    const window = computeQueryWindow({ nowMs: T0, lagMs: MIN, lookbackPeriods: 3 });
    const out = await source.read({ targets: config.targets, window, coldStartsFor: () => false });
    expect(out).toMatchObject({ calls: 1, queries: 1, coldStartsSkipped: 1 });
  });
});
