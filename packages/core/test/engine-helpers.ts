import type {
  DecideConfig,
  Decision,
  MinuteSeries,
  PastDecision,
  TargetConfig,
  TargetHistory,
  TuningState,
} from '@warmpool/core';
import { decide } from '@warmpool/core';

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
    coldStartMetric: { namespace: 'Warmpool', name: 'UserColdStart', dimensions: {} },
    decisionTtlDays: 14,
    dryRun: false,
    memoryMb: 1024,
    architecture: 'x86_64',
    initMs: 400,
    schedules: [],
    maxTicksBetweenReads: 1,
    wakeAfterColdStarts: 0,
    logGroupName: '/aws/lambda/fn',
    stabilization: { windowMinutes: 120, maxCount: 10 },
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

export const range = <T = number>(n: number, f: (i: number) => T): T[] =>
  Array.from({ length: n }, (_, i) => f(i));

export interface LoopStep {
  readonly tMs: number;
  readonly level: number;
  readonly truePeak: number;
  readonly decision: Decision;
  readonly coldStarts: number;
}

export interface LoopOptions {
  /** True real concurrency of minute `m` (minute 0 is the first minute of the pre-history). */
  readonly load: (m: number) => number;
  /** Minutes of pre-history before the first tick (no warming in it). */
  readonly warmupMinutes: number;
  readonly ticks: number;
  readonly target?: Partial<TargetConfig>;
  /** When false the controller's own decisions are withheld from decide (so nothing can be masked). */
  readonly showDecisions?: boolean;
  /** decide()'s interference knobs; the loop's default credits traffic with no pool (see runLoop). */
  readonly interference?: DecideConfig['interference'];
}

/**
 * A tiny closed loop around decide(): a hidden true load per minute; every 5-minute tick the controller decides
 * from the last 6 h, its pings inflate the tick minute's reading by `count`, and the window's user cold starts
 * are max(0, true peak − warmed), fed back through the cold-start series.
 */
export function runLoop(opts: LoopOptions): LoopStep[] {
  const tick = 5;
  const start = NOW - opts.warmupMinutes * MIN;
  const total = opts.warmupMinutes + opts.ticks * tick;
  const real = range(total, (m) => opts.load(m));
  const reading = real.slice();
  const cold = real.map(() => 0);
  const decisions: PastDecision[] = [];
  // The loop's cold starts count only warmed containers (true peak − count), as if traffic kept none alive, so
  // by default decide() is told the same: no pool credit (assumedIdleMinutes 0) and rounds of the whole count.
  const cfg = {
    target: target(opts.target),
    tickIntervalSeconds: tick * 60,
    interference: opts.interference ?? { assumedIdleMinutes: 0, busyShare: 0 },
  };
  let state: TuningState | null = null;
  const steps: LoopStep[] = [];
  for (let k = 0; k < opts.ticks; k++) {
    const m = opts.warmupMinutes + k * tick;
    const tMs = start + m * MIN;
    const from = Math.max(0, m - 360);
    const h: TargetHistory = {
      concurrency: { startMs: start + from * MIN, values: reading.slice(from, m) },
      coldStarts: { startMs: start + from * MIN, values: cold.slice(from, m) },
      pastDecisions: opts.showDecisions === false ? [] : decisions.slice().reverse(),
      capacity: { reservedConcurrency: null, unreservedConcurrency: null },
    };
    const d = decide(cfg, h, state, tMs);
    state = d.state;
    decisions.push({ windowStartMs: d.windowStartMs, warmedAtMs: tMs, count: d.count });
    reading[m] = (reading[m] as number) + d.count;
    let truePeak = 0;
    for (let i = m; i < m + tick; i++) truePeak = Math.max(truePeak, real[i] as number);
    const coldStarts = Math.max(0, truePeak - d.count);
    cold[m + tick - 1] = coldStarts;
    steps.push({ tMs, level: real[m] as number, truePeak, decision: d, coldStarts });
  }
  return steps;
}

/** Deterministic jitter in [0, 1) per minute (a small LCG hash), so loads have minute-scale noise. */
export const jitter = (m: number): number => (((m * 1103515245 + 12345) >>> 0) % 1000) / 1000;
