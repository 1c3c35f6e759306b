import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { parseFunctionRef, resolveColdStartDimensions, type TargetConfig } from '@warmpool/core';

/**
 * The series a decision reads per target: concurrency every tick, the cold-start count when the decision needs
 * it (see `coldStartsNeeded`). `Throttles` is not read: no decision uses it, and the fan-out records the
 * throttles of its own pings by Reason.
 */
export const TARGET_METRICS = {
  concurrency: 'concurrency',
  coldStarts: 'coldStarts',
} as const;
export type TargetMetricKind = (typeof TARGET_METRICS)[keyof typeof TARGET_METRICS];

/** GetMetricData accepts at most 500 queries per call. */
export const MAX_QUERIES_PER_CALL = 500;

export interface PlannedQuery {
  readonly targetId: string;
  readonly kind: TargetMetricKind;
  readonly query: MetricDataQuery;
}

/**
 * Lambda's own dimensions for a target: per alias or version with `Resource` = `name:qualifier`, so the
 * controller reads the qualifier users call; `$LATEST` has no per-qualifier metrics of its own (unqualified
 * calls report under `FunctionName` only).
 */
export function lambdaDimensions(target: Pick<TargetConfig, 'functionName' | 'qualifier'>) {
  const name = parseFunctionRef(target.functionName)?.name ?? target.functionName;
  const dims = [{ Name: 'FunctionName', Value: name }];
  if (target.qualifier !== '$LATEST') dims.push({ Name: 'Resource', Value: `${name}:${target.qualifier}` });
  return dims;
}

const EVERY_KIND: readonly TargetMetricKind[] = Object.values(TARGET_METRICS);

/**
 * The queries of `kinds` for every target, with ids GetMetricData accepts (`^[a-z][a-zA-Z0-9_]*$`), unique per
 * target index and kind so the answers of several calls can be told apart.
 */
export function planQueries(
  targets: readonly TargetConfig[],
  periodSeconds: number,
  kinds: readonly TargetMetricKind[] = EVERY_KIND,
): PlannedQuery[] {
  const out: PlannedQuery[] = [];
  targets.forEach((t, i) => {
    const dims = lambdaDimensions(t);
    const stat = (
      kind: TargetMetricKind,
      namespace: string,
      metricName: string,
      dimensions: typeof dims,
      s: string,
    ) =>
      out.push({
        targetId: t.id,
        kind,
        query: {
          Id: `t${i}_${kind}`,
          MetricStat: {
            Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
            Period: periodSeconds,
            Stat: s,
          },
          ReturnData: true,
        },
      });
    if (kinds.includes(TARGET_METRICS.concurrency))
      stat(TARGET_METRICS.concurrency, 'AWS/Lambda', 'ConcurrentExecutions', dims, 'Maximum');
    if (kinds.includes(TARGET_METRICS.coldStarts)) {
      const cold = Object.entries(resolveColdStartDimensions(t)).map(([Name, Value]) => ({ Name, Value }));
      stat(TARGET_METRICS.coldStarts, t.coldStartMetric.namespace, t.coldStartMetric.name, cold, 'Sum');
    }
  });
  return out;
}

/** Splits into GetMetricData-sized batches. */
export function batches<T>(items: readonly T[], size = MAX_QUERIES_PER_CALL): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
