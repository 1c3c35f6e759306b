import type { MinuteSeries, TargetConfig } from '@warmpool/core';
import type { QueryWindow } from '../window/query-window.js';

/** The per-minute metrics of one target over the query window. */
export interface TargetMetrics {
  /** `ConcurrentExecutions` Maximum (pings included). */
  readonly concurrency: MinuteSeries;
  /** The configured cold-start metric, Sum. */
  readonly coldStarts: MinuteSeries;
  /** `Throttles` Sum. */
  readonly throttles: MinuteSeries;
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
}

export interface MetricsReadResult {
  /** Keyed by target id. A target missing here had no readable metrics. */
  readonly byTarget: ReadonlyMap<string, TargetMetrics>;
  /** GetMetricData calls made (pages included), for the cost report. */
  readonly calls: number;
  /** Metric queries requested, for the cost report ($0.01 per 1,000). */
  readonly queries: number;
}

/**
 * Reads the recent metrics of every target in one go (one GetMetricData call per tick for up to 166
 * targets). Throws when the read fails outright; the tick then degrades to the last recorded decision.
 */
export interface MetricsSource {
  read(request: MetricsRequest): Promise<MetricsReadResult>;
}
