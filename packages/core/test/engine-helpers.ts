import type { MinuteSeries, PastDecision, TargetConfig, TargetHistory } from '@warmpool/core';

export const MIN = 60_000;
/** A fixed, tick-aligned "now" (2026-01-05 12:00 UTC, a Monday). */
export const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);

/** A TargetConfig literal for engine tests (independent of parseConfig and its defaults). */
export function target(over: Partial<TargetConfig> = {}): TargetConfig {
  return {
    id: 'fn:live',
    functionName: 'fn',
    qualifier: 'live',
    min: 0,
    max: 100,
    holdMs: 2_000,
    budget: { source: 'reserved', share: 0.2 },
    model: 'auto',
    coldStartMetric: { namespace: 'Warmpool', name: 'ColdStart', dimensions: {} },
    decisionTtlDays: 14,
    dryRun: false,
    memoryMb: 1024,
    architecture: 'x86_64',
    initMs: 400,
    ...over,
  };
}

/** A minute series ending at `endMs` (exclusive), oldest first. */
export function endingAt(endMs: number, values: readonly (number | null)[]): MinuteSeries {
  return { startMs: endMs - values.length * MIN, values };
}

/** A history whose concurrency series ends at `NOW` (or `endMs`), no cold starts, no decisions, no pool. */
export function history(
  values: readonly (number | null)[],
  over: Partial<TargetHistory> = {},
  endMs = NOW,
): TargetHistory {
  return {
    concurrency: endingAt(endMs, values),
    coldStarts: endingAt(
      endMs,
      values.map(() => 0),
    ),
    pastDecisions: [],
    capacity: { reservedConcurrency: null, unreservedConcurrency: null },
    ...over,
  };
}

/** Decisions newest first, one per tick, each pinging `count` at the tick. */
export function decisionsEvery(
  tickMs: number,
  fromMs: number,
  toMs: number,
  countAt: (tMs: number) => number,
): PastDecision[] {
  const out: PastDecision[] = [];
  for (let t = fromMs; t < toMs; t += tickMs)
    out.push({ windowStartMs: t, warmedAtMs: t, count: countAt(t) });
  return out.reverse();
}

export const range = (n: number, f: (i: number) => number): number[] =>
  Array.from({ length: n }, (_, i) => f(i));
