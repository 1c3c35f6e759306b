import { CloudWatchClient, GetMetricDataCommand, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { MinuteSeries } from '@warmpool/core';
import type {
  MetricsReadResult,
  MetricsRequest,
  MetricsSource,
  TargetMetrics,
} from '../ports/metrics-source.js';
import { emptySeries, MERGE_RULES, toDenseSeries } from '../window/dense-series.js';
import { batches, type PlannedQuery, planQueries, TARGET_METRICS } from './cloudwatch-queries.js';

export interface CloudWatchClientOptions {
  readonly region?: string | undefined;
  /** A loopback stand-in or another endpoint (the CLI's `--endpoint-url`). */
  readonly endpoint?: string | undefined;
  /**
   * SDK attempts per call (default 3). The standard retry mode retries `Throttling` with backoff; a tick reads
   * metrics once, so a few attempts are cheap and the tick's deadline bounds them anyway.
   */
  readonly maxAttempts?: number | undefined;
}

export function createCloudWatchClient(options: CloudWatchClientOptions = {}): CloudWatchClient {
  return new CloudWatchClient({
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: options.maxAttempts ?? 3,
  });
}

/**
 * MetricsSource over CloudWatch GetMetricData: one call for every target (three queries each), more only past
 * 500 queries or when CloudWatch pages the datapoints (NextToken). A result with status `PartialData` is
 * completed by the following pages; what never arrives stays `null`, i.e. missing rather than zero.
 */
export class CloudWatchMetricsSource implements MetricsSource {
  constructor(private readonly client: CloudWatchClient) {}

  async read(request: MetricsRequest): Promise<MetricsReadResult> {
    const { window } = request;
    const planned = planQueries(request.targets, window.periodMs / 1000);
    const points = new Map<string, { ts: number[]; vs: number[] }>();
    let calls = 0;
    for (const batch of batches(planned)) {
      let nextToken: string | undefined;
      do {
        const out = await this.client.send(
          new GetMetricDataCommand({
            MetricDataQueries: batch.map((p) => p.query),
            StartTime: new Date(window.startMs),
            EndTime: new Date(window.endMs),
            ScanBy: 'TimestampAscending',
            NextToken: nextToken,
          }),
          { abortSignal: request.signal },
        );
        calls++;
        for (const r of out.MetricDataResults ?? []) collect(points, r);
        nextToken = out.NextToken;
      } while (nextToken);
    }
    const byTarget = new Map<string, TargetMetrics>();
    const series = (p: PlannedQuery | undefined): MinuteSeries => {
      const got = p?.query.Id ? points.get(p.query.Id) : undefined;
      if (!p || !got) return emptySeries(window);
      const rule = p.kind === TARGET_METRICS.concurrency ? MERGE_RULES.max : MERGE_RULES.sum;
      return toDenseSeries(window, got.ts, got.vs, rule);
    };
    for (const t of request.targets) {
      const mine = planned.filter((p) => p.targetId === t.id);
      byTarget.set(t.id, {
        concurrency: series(mine.find((p) => p.kind === TARGET_METRICS.concurrency)),
        coldStarts: series(mine.find((p) => p.kind === TARGET_METRICS.coldStarts)),
        throttles: series(mine.find((p) => p.kind === TARGET_METRICS.throttles)),
      });
    }
    return { byTarget, calls, queries: planned.length };
  }
}

function collect(points: Map<string, { ts: number[]; vs: number[] }>, r: MetricDataResult): void {
  if (!r.Id) return;
  const acc = points.get(r.Id) ?? { ts: [], vs: [] };
  points.set(r.Id, acc);
  const ts = r.Timestamps ?? [];
  const vs = r.Values ?? [];
  for (let i = 0; i < Math.min(ts.length, vs.length); i++) {
    acc.ts.push((ts[i] as Date).getTime());
    acc.vs.push(vs[i] as number);
  }
}
