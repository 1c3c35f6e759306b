import { MINUTE_MS, type MinuteMetricName, type MinuteMetrics } from '@warmpool/lab';
import type { MetricProvider, MetricRequest } from './cloudwatch-server.js';

/** Finds the simulated function behind a metric's dimensions; `qualifier` is undefined for unqualified metrics. */
export type SimMetricsLookup = (
  functionName: string,
  qualifier: string | undefined,
) => MinuteMetrics | undefined;

export interface SimMetricProviderOptions {
  readonly lookup: SimMetricsLookup;
  /** Where the handler-side helper writes cold starts (Warmpool's default: `Warmpool`/`ColdStart`). */
  readonly coldStartMetric?: { readonly namespace: string; readonly name: string };
}

const LAMBDA_METRICS: Readonly<Record<string, MinuteMetricName>> = {
  ConcurrentExecutions: 'concurrency',
  Invocations: 'invocations',
  Throttles: 'throttles',
};

/**
 * Serves CloudWatch queries from the simulator's per-minute metrics, with the simulator's reporting lag:
 * `AWS/Lambda` ConcurrentExecutions / Invocations / Throttles by `FunctionName` (+ `Resource` = `name:qualifier`),
 * and the cold-start metric by `function_name` or `FunctionName`. Minutes with no datapoint are left out, as
 * CloudWatch does; periods longer than a minute aggregate with the query's statistic (Maximum, Sum, Average,
 * Minimum, SampleCount).
 */
export function simMetricProvider(options: SimMetricProviderOptions): MetricProvider {
  const cold = options.coldStartMetric ?? { namespace: 'Warmpool', name: 'UserColdStart' };
  return (req: MetricRequest, nowMs: number) => {
    let name: MinuteMetricName | undefined;
    let fn: string | undefined;
    let qualifier: string | undefined;
    if (req.namespace === 'AWS/Lambda') {
      name = LAMBDA_METRICS[req.metricName];
      fn = req.dimensions.FunctionName;
      const resource = req.dimensions.Resource;
      if (resource?.includes(':')) qualifier = resource.slice(resource.lastIndexOf(':') + 1);
    } else if (req.namespace === cold.namespace && req.metricName === cold.name) {
      name = 'coldStarts';
      fn = req.dimensions.function_name ?? req.dimensions.FunctionName;
    }
    if (!name || !fn) return undefined;
    const metrics = options.lookup(fn, qualifier);
    if (!metrics) return undefined;
    const minutes = metrics.query(name, req.startMs, req.endMs, nowMs);
    return aggregate(minutes.startMs, minutes.values, req, name === 'concurrency' ? 'Maximum' : req.stat);
  };
}

function aggregate(startMs: number, values: readonly (number | null)[], req: MetricRequest, stat: string) {
  const periodMs = Math.max(MINUTE_MS, req.periodMs);
  const buckets = new Map<number, number[]>();
  values.forEach((v, i) => {
    if (v === null) return;
    const t = startMs + i * MINUTE_MS;
    if (t < req.startMs || t >= req.endMs) return;
    const bucket = req.startMs + Math.floor((t - req.startMs) / periodMs) * periodMs;
    const list = buckets.get(bucket) ?? [];
    list.push(v);
    buckets.set(bucket, list);
  });
  const timestampsMs: number[] = [];
  const out: number[] = [];
  for (const [t, vs] of [...buckets.entries()].sort((a, b) => a[0] - b[0])) {
    timestampsMs.push(t);
    out.push(statOf(stat, vs));
  }
  return { timestampsMs, values: out };
}

function statOf(stat: string, vs: number[]): number {
  switch (stat) {
    case 'Sum':
      return vs.reduce((a, b) => a + b, 0);
    case 'Minimum':
      return Math.min(...vs);
    case 'Average':
      return vs.reduce((a, b) => a + b, 0) / vs.length;
    case 'SampleCount':
      return vs.length;
    default:
      return Math.max(...vs);
  }
}
