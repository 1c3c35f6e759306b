import type { MinuteSeries } from '@warmpool/core';
import type {
  MetricsReadResult,
  MetricsRequest,
  MetricsSource,
  TargetMetrics,
} from '../../src/ports/metrics-source.js';
import type { QueryWindow } from '../../src/window/query-window.js';

/** Per-minute values of one target, keyed by absolute minute (epoch ms); missing minutes read as null. */
export interface FakeTargetData {
  concurrency?: Record<number, number>;
  coldStarts?: Record<number, number>;
  throttles?: Record<number, number>;
}

function slice(window: QueryWindow, data: Record<number, number> | undefined): MinuteSeries {
  const values: (number | null)[] = [];
  for (let t = window.startMs; t < window.endMs; t += window.periodMs) values.push(data?.[t] ?? null);
  return { startMs: window.startMs, values };
}

/**
 * In-memory MetricsSource: serves whatever `set` stored, records every request, and fails the next read(s)
 * when told to with `failNext`.
 */
export class FakeMetricsSource implements MetricsSource {
  readonly calls: MetricsRequest[] = [];
  private readonly data = new Map<string, FakeTargetData>();
  private failures: unknown[] = [];

  set(targetId: string, data: FakeTargetData): void {
    this.data.set(targetId, data);
  }

  /** The next `times` reads throw `error`. */
  failNext(error: unknown = new Error('fake metrics failure'), times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(error);
  }

  async read(request: MetricsRequest): Promise<MetricsReadResult> {
    this.calls.push(request);
    if (this.failures.length > 0) throw this.failures.shift();
    const byTarget = new Map<string, TargetMetrics>();
    // Counted as the CloudWatch source counts them: concurrency for every target, cold starts where needed.
    let queries = request.targets.length;
    let skipped = 0;
    for (const t of request.targets) {
      const d = this.data.get(t.id);
      const concurrency = slice(request.window, d?.concurrency);
      const needed = request.coldStartsFor ? request.coldStartsFor(t, concurrency) : true;
      if (needed) queries++;
      else skipped++;
      if (!d) continue;
      byTarget.set(t.id, {
        concurrency,
        coldStarts: needed ? slice(request.window, d.coldStarts) : slice(request.window, undefined),
        ...(needed ? {} : { coldStartsRead: false }),
        throttles: slice(request.window, d.throttles),
      });
    }
    return { byTarget, calls: 1, queries, ...(skipped ? { coldStartsSkipped: skipped } : {}) };
  }
}
