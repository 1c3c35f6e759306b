import { CloudWatchClient, GetMetricDataCommand, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { MinuteSeries, TargetConfig } from '@warmpool/core';
import type {
  MetricsReadResult,
  MetricsRequest,
  MetricsSource,
  TargetMetrics,
} from '../ports/metrics-source.js';
import { emptySeries, MERGE_RULES, toDenseSeries } from '../window/dense-series.js';
import { type QueryWindow, shiftWindow } from '../window/query-window.js';
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

/** Seasonal references a source can read for seasonal-naive forecasting, and how far back each is. */
export const SEASONAL_REFERENCES = { day: 86_400_000, week: 7 * 86_400_000 } as const;
export type SeasonalReference = keyof typeof SEASONAL_REFERENCES;

export interface CloudWatchMetricsSourceOptions {
  /**
   * Also read `ConcurrentExecutions` a day and/or a week back, for the seasonal-naive model. Off by default:
   * GetMetricData takes one time range per call, so each reference costs one more call per tick (one query
   * per target, batched over all targets) rather than riding in the main call.
   */
  readonly seasonal?: readonly SeasonalReference[] | undefined;
}

export function createCloudWatchClient(options: CloudWatchClientOptions = {}): CloudWatchClient {
  return new CloudWatchClient({
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: options.maxAttempts ?? 3,
  });
}

/**
 * MetricsSource over CloudWatch GetMetricData: one call for every target's concurrency and a second for the
 * cold-start counts the decisions need (or one call for both when no rule is given), more only past 500 queries
 * or when CloudWatch pages the datapoints (NextToken). A result with status `PartialData` is
 * completed by the following pages; what never arrives stays `null`, i.e. missing rather than zero.
 */
export class CloudWatchMetricsSource implements MetricsSource {
  constructor(
    private readonly client: CloudWatchClient,
    private readonly options: CloudWatchMetricsSourceOptions = {},
  ) {}

  async read(request: MetricsRequest): Promise<MetricsReadResult> {
    const { window } = request;
    const period = window.periodMs / 1000;
    const needs = request.coldStartsFor;
    // Without a rule, both series in one call; with one, concurrency first, then only the cold starts needed.
    let planned = planQueries(
      request.targets,
      period,
      needs ? [TARGET_METRICS.concurrency] : [TARGET_METRICS.concurrency, TARGET_METRICS.coldStarts],
    );
    const points = new Map<string, { ts: number[]; vs: number[] }>();
    let calls = await this.fetch(planned, window, points, request.signal);
    const series = (p: PlannedQuery | undefined, w: QueryWindow = window): MinuteSeries => {
      const got = p?.query.Id ? points.get(p.query.Id) : undefined;
      if (!p || !got) return emptySeries(w);
      const rule = p.kind === TARGET_METRICS.concurrency ? MERGE_RULES.max : MERGE_RULES.sum;
      return toDenseSeries(w, got.ts, got.vs, rule);
    };
    const concurrencyOf = (t: TargetConfig) =>
      series(planned.find((p) => p.targetId === t.id && p.kind === TARGET_METRICS.concurrency));
    let skipped = 0;
    if (needs) {
      const wanted = new Set(request.targets.filter((t) => needs(t, concurrencyOf(t))).map((t) => t.id));
      skipped = request.targets.length - wanted.size;
      // Planned over all targets so ids keep their target index; only the wanted are sent.
      const cold = planQueries(request.targets, period, [TARGET_METRICS.coldStarts]).filter((p) =>
        wanted.has(p.targetId),
      );
      if (cold.length > 0) calls += await this.fetch(cold, window, points, request.signal);
      planned = [...planned, ...cold];
    }
    const byTarget = new Map<string, TargetMetrics>();
    for (const t of request.targets) {
      const coldQuery = planned.find((p) => p.targetId === t.id && p.kind === TARGET_METRICS.coldStarts);
      byTarget.set(t.id, {
        concurrency: concurrencyOf(t),
        coldStarts: series(coldQuery),
        ...(coldQuery ? {} : { coldStartsRead: false }),
      });
    }
    let extraCalls = 0;
    let extraQueries = 0;
    for (const ref of this.options.seasonal ?? []) {
      const refWindow = shiftWindow(window, SEASONAL_REFERENCES[ref], request.referenceExtendPeriods ?? 0);
      const refPlanned = planned.filter((p) => p.kind === TARGET_METRICS.concurrency);
      const refPoints = new Map<string, { ts: number[]; vs: number[] }>();
      try {
        extraCalls += await this.fetch(refPlanned, refWindow, refPoints, request.signal);
      } catch {
        continue; // a missing reference only takes the seasonal model out of the running
      }
      extraQueries += refPlanned.length;
      for (const p of refPlanned) {
        const got = p.query.Id ? refPoints.get(p.query.Id) : undefined;
        const s = got ? toDenseSeries(refWindow, got.ts, got.vs, MERGE_RULES.max) : emptySeries(refWindow);
        const m = byTarget.get(p.targetId);
        if (m) byTarget.set(p.targetId, { ...m, [ref === 'day' ? 'dayAgo' : 'weekAgo']: s });
      }
    }
    return {
      byTarget,
      calls: calls + extraCalls,
      queries: planned.length + extraQueries,
      coldStartsSkipped: skipped,
    };
  }

  /** Runs the queries in batches of 500, following NextToken; returns the number of calls made. */
  private async fetch(
    planned: readonly PlannedQuery[],
    window: QueryWindow,
    points: Map<string, { ts: number[]; vs: number[] }>,
    signal: AbortSignal | undefined,
  ): Promise<number> {
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
          { abortSignal: signal },
        );
        calls++;
        for (const r of out.MetricDataResults ?? []) collect(points, r);
        nextToken = out.NextToken;
      } while (nextToken);
    }
    return calls;
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
