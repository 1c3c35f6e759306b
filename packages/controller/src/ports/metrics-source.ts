import type { MinuteSeries, TargetConfig } from '@warmpool/core';
import type { QueryWindow } from '../window/query-window.js';

/** The per-minute metrics of one target over the query window. */
export interface TargetMetrics {
  /** `ConcurrentExecutions` Maximum (pings included). */
  readonly concurrency: MinuteSeries;
  /** The configured cold-start metric, Sum; empty when it was not read (`coldStartsRead` false). */
  readonly coldStarts: MinuteSeries;
  /**
   * False when the source skipped the cold-start read because the decision did not need it (the request's
   * `coldStartsFor` said so). Absent or true: it was read.
   */
  readonly coldStartsRead?: boolean | undefined;
  /**
   * Set when `coldStarts` is the count a container read at an earlier tick and reused (a busy target's count
   * is read every few ticks): when it was read. decide() then holds its tuning (the last window is unknown).
   */
  readonly coldStartsReadAtMs?: number | undefined;
  /** `Throttles` Sum, where a source reads it (the CloudWatch source does not: the fan-out knows its own). */
  readonly throttles?: MinuteSeries | undefined;
  /**
   * Seasonal references, where the source reads them: `ConcurrentExecutions` over the window shifted back a
   * day (a week), extended forward by `referenceExtendPeriods` so the forecast window is covered.
   */
  readonly dayAgo?: MinuteSeries | undefined;
  readonly weekAgo?: MinuteSeries | undefined;
}

export interface MetricsRequest {
  readonly targets: readonly TargetConfig[];
  readonly window: QueryWindow;
  /** How far past the window's end the seasonal references reach (the forecast horizon plus the lag). */
  readonly referenceExtendPeriods?: number | undefined;
  /** Aborts the read when the tick runs out of time. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Whether a target's decision needs its cold-start count, given the concurrency just read. When given, the
   * source reads concurrency first and the cold starts only where this says so (one more call, fewer metrics:
   * GetMetricData bills metrics, not calls). When left out, it reads both for every target in one go.
   */
  readonly coldStartsFor?: ((target: TargetConfig, concurrency: MinuteSeries) => boolean) | undefined;
}

export interface MetricsReadResult {
  /** Keyed by target id. A target missing here had no readable metrics. */
  readonly byTarget: ReadonlyMap<string, TargetMetrics>;
  /** GetMetricData calls made (pages included), for the cost report. */
  readonly calls: number;
  /** Metric queries requested, for the cost report ($0.01 per 1,000). */
  readonly queries: number;
  /** Targets whose cold-start count was not read because their decision did not need it. */
  readonly coldStartsSkipped?: number | undefined;
}

/**
 * Reads the recent metrics of every target in one go (one GetMetricData call per tick for up to 166
 * targets). Throws when the read fails outright; the tick then degrades to the last recorded decision.
 */
export interface MetricsSource {
  read(request: MetricsRequest): Promise<MetricsReadResult>;
}
