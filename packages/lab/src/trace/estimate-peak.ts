import type { TraceFunction } from './types.js';

/**
 * The traces README's ranking figure: peak per-bin count × mean duration / bin width (Little's law on the
 * busiest bin). The mean duration is the trace's `Average` where it gives one, else its p50, else
 * `defaultDurationMs`; for per-invocation functions, their own mean, with arrivals binned by `binSeconds`.
 * On the bundled Azure 2019 day this gives 32 functions at 2 or more and 11 at 10 or more, as the README says.
 * (The simulator's `estimatedPeakConcurrency` uses the mean of its fitted duration distribution instead.)
 */
export function estimatePeakConcurrency(
  fn: TraceFunction,
  binSeconds: number,
  defaultDurationMs: number,
): number {
  const binMs = binSeconds * 1000;
  if (fn.invocations) {
    const { startMs, durationMs } = fn.invocations;
    const n = startMs.length;
    if (n === 0) return 0;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += durationMs[i] as number;
    // Starts are sorted: count runs of equal bins.
    let peak = 0;
    let run = 0;
    let bin = Number.NaN;
    for (let i = 0; i < n; i++) {
      const b = Math.floor((startMs[i] as number) / binMs);
      run = b === bin ? run + 1 : 1;
      bin = b;
      if (run > peak) peak = run;
    }
    return (peak * (sum / n)) / binMs;
  }
  let peak = 0;
  for (const c of fn.counts ?? []) if (c > peak) peak = c;
  const mean = fn.durations?.average ?? fn.durations?.p50 ?? defaultDurationMs;
  return (peak * mean) / binMs;
}
