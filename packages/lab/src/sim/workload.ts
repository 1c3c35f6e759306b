import { ValidationError } from '@warmpool/core';
import { estimatePeakConcurrency } from '../trace/estimate-peak.js';
import type { Trace, TraceFunction } from '../trace/types.js';
import { durationSampler } from './durations.js';
import { MINUTE_MS } from './minute-metrics.js';
import { drawPeak } from './peaks.js';
import { createRng, deriveSeed } from './rng.js';
import { SimFunction } from './sim-function.js';

/** How a function's traffic is simulated. */
export const SIM_MODES = { invocations: 'invocations', aggregate: 'aggregate' } as const;
export type SimMode = (typeof SIM_MODES)[keyof typeof SIM_MODES];

/**
 * Functions whose mean arrival rate is at least this (per second) are simulated in aggregate (M/G/∞ per
 * minute) unless a mode is forced. At 1 request/s a day is 86,400 invocations per policy: replaying is still
 * cheap below it, and above it single invocations no longer decide the cold-start count (docs/simulator.md).
 */
export const AGGREGATE_ABOVE_RPS = 1;

/** Used where a trace gives no durations (`--duration-ms`). Shahrad et al. 2020: half of the Azure functions
 * run under about 1 s on average. */
export const DEFAULT_DURATION_MS = 1_000;
/** Used where a trace gives no memory size. */
export const DEFAULT_MEMORY_MB = 1_024;

/** One function's real traffic, ready to replay, shared by every policy so they see the same arrivals. */
export interface FunctionWorkload {
  readonly id: string;
  readonly memoryMb: number;
  readonly mode: SimMode;
  /** Simulated span in ms, from 0. */
  readonly spanMs: number;
  readonly meanDurationMs: number;
  /** Real arrivals (ms from 0, sorted) and their durations; present in `invocations` mode. */
  readonly arrivals?: Float64Array | undefined;
  readonly durations?: Float64Array | undefined;
  /** Real arrivals per minute. */
  readonly minuteCounts: Float64Array;
  /** The true peak concurrency of real traffic per minute (no INIT): the oracle's knowledge. */
  readonly minutePeaks: Float64Array;
  readonly totalInvocations: number;
}

export interface WorkloadOptions {
  readonly seed: number;
  /** Default execution time where the trace has none. */
  readonly durationMs?: number;
  /** Force a mode; otherwise chosen by rate against `aggregateAboveRps`. */
  readonly mode?: SimMode | undefined;
  readonly aggregateAboveRps?: number;
}

/** Counts are invocations: rounded, and anything not a finite positive number is 0. */
function wholeCount(c: number): number {
  return Number.isFinite(c) && c > 0 ? Math.round(c) : 0;
}

function countsOf(fn: TraceFunction): readonly number[] {
  return fn.counts ?? [];
}

/** Total invocations of a trace function. */
export function totalInvocations(fn: TraceFunction): number {
  if (fn.invocations) return fn.invocations.startMs.length;
  let s = 0;
  for (const c of countsOf(fn)) s += wholeCount(c);
  return s;
}

/**
 * Estimated peak concurrency, as the traces README defines it for ranking (`top:N`, "peak ≥ 2"): peak count per
 * bin × mean duration / bin width. Delegates to the trace loaders' `estimatePeakConcurrency`.
 */
export function estimatedPeakConcurrency(
  trace: Trace,
  fn: TraceFunction,
  defaultDurationMs = DEFAULT_DURATION_MS,
): number {
  return estimatePeakConcurrency(fn, trace.binSeconds, defaultDurationMs);
}

/** Builds the replayable workload of one function (seeded: same seed, same arrivals and durations). */
export function buildWorkload(trace: Trace, fn: TraceFunction, options: WorkloadOptions): FunctionWorkload {
  const defaultMs = options.durationMs ?? DEFAULT_DURATION_MS;
  if (!(Number.isFinite(defaultMs) && defaultMs >= 0))
    throw new ValidationError('durationMs', 'must be a number >= 0');
  const sampler = durationSampler(fn.durations, defaultMs);
  const rng = createRng(deriveSeed(options.seed, `traffic:${fn.id}`));
  const spanMs = Math.max(MINUTE_MS, Math.ceil(trace.durationMs / MINUTE_MS) * MINUTE_MS);
  const minutes = spanMs / MINUTE_MS;
  const total = totalInvocations(fn);
  const rps = total / (spanMs / 1000);
  const mode =
    options.mode ??
    (!fn.invocations && rps >= (options.aggregateAboveRps ?? AGGREGATE_ABOVE_RPS)
      ? SIM_MODES.aggregate
      : SIM_MODES.invocations);
  const memoryMb = fn.memoryMb ?? DEFAULT_MEMORY_MB;
  const minuteCounts = new Float64Array(minutes);

  if (mode === SIM_MODES.aggregate) {
    spreadCounts(trace, countsOf(fn), minuteCounts, fn);
    const minutePeaks = new Float64Array(minutes);
    const peakRng = createRng(deriveSeed(options.seed, `peaks:${fn.id}`));
    let previous = 0;
    for (let m = 0; m < minutes; m++) {
      const c = minuteCounts[m] as number;
      const rate = c / MINUTE_MS;
      // The peak cannot exceed this minute's arrivals plus those still running from the last minute.
      const cap = Math.ceil(c + Math.min(previous, rate * sampler.meanMs + 1));
      previous = drawPeak(rate, sampler.meanMs, MINUTE_MS, 1 - peakRng(), cap);
      minutePeaks[m] = previous;
    }
    return {
      id: fn.id,
      memoryMb,
      mode,
      spanMs,
      meanDurationMs: sampler.meanMs,
      minuteCounts,
      minutePeaks,
      totalInvocations: total,
    };
  }

  let arrivals: Float64Array;
  let durations: Float64Array;
  if (fn.invocations) {
    arrivals = fn.invocations.startMs;
    durations = fn.invocations.durationMs;
  } else {
    arrivals = new Float64Array(total);
    durations = new Float64Array(total);
    const counts = countsOf(fn);
    const binMs = trace.binSeconds * 1000;
    let k = 0;
    for (let b = 0; b < counts.length; b++) {
      const c = wholeCount(counts[b] as number);
      if (c === 0) continue;
      const from = k;
      for (let j = 0; j < c; j++) arrivals[k++] = b * binMs + rng() * binMs;
      arrivals.subarray(from, k).sort();
    }
    for (let i = 0; i < total; i++) durations[i] = sampler.draw(rng);
  }
  for (let i = 0; i < arrivals.length; i++) {
    const m = Math.floor((arrivals[i] as number) / MINUTE_MS);
    if (m >= 0 && m < minutes) minuteCounts[m] = (minuteCounts[m] as number) + 1;
  }
  // True real concurrency: the same container model with no INIT and nothing reaped (never cold-limited).
  const truth = new SimFunction({
    initMs: 0,
    idleReapMs: Number.MAX_SAFE_INTEGER,
    maxLifetimeMs: Number.MAX_SAFE_INTEGER,
    metricLagMs: 0,
  });
  for (let i = 0; i < arrivals.length; i++)
    truth.invoke(arrivals[i] as number, 'real', durations[i] as number);
  truth.advanceTo(spanMs);
  const raw = truth.metrics.raw('concurrency');
  const minutePeaks = new Float64Array(minutes);
  for (let m = 0; m < minutes; m++) minutePeaks[m] = raw[m] ?? 0;
  const meanDurationMs = fn.invocations ? mean(durations) : sampler.meanMs;
  return {
    id: fn.id,
    memoryMb,
    mode,
    spanMs,
    meanDurationMs,
    arrivals,
    durations,
    minuteCounts,
    minutePeaks,
    totalInvocations: total,
  };
}

function mean(a: Float64Array): number {
  if (a.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] as number;
  return s / a.length;
}

/**
 * Spreads bin counts over the bin's minutes in whole invocations: evenly, the remainder to the first minutes
 * (the aggregate mode needs per-minute rates, not arrival times).
 */
function spreadCounts(trace: Trace, counts: readonly number[], out: Float64Array, fn: TraceFunction): void {
  if (fn.invocations) return;
  const perBin = Math.max(1, Math.round(trace.binSeconds / 60));
  for (let b = 0; b < counts.length; b++) {
    const c = wholeCount(counts[b] as number);
    const base = Math.floor(c / perBin);
    const extra = c - base * perBin;
    const start = Math.floor((b * trace.binSeconds) / 60);
    for (let j = 0; j < perBin; j++) {
      const m = start + j;
      if (m < out.length) out[m] = (out[m] as number) + base + (j < extra ? 1 : 0);
    }
  }
}
