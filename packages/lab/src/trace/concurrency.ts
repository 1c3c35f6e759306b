import type { TraceFunction } from './types.js';

/**
 * The exact peak number of overlapping invocations of a per-invocation function, by a sweep line over starts
 * and ends. An invocation ending at the instant another starts does not overlap it (the container is free).
 * A function with only counts has no exact peak: returns undefined.
 */
export function exactPeakConcurrency(fn: TraceFunction): number | undefined {
  const inv = fn.invocations;
  if (!inv) return undefined;
  const n = inv.startMs.length;
  const starts = Float64Array.from(inv.startMs).sort();
  const ends = new Float64Array(n);
  for (let i = 0; i < n; i++) ends[i] = (inv.startMs[i] as number) + (inv.durationMs[i] as number);
  ends.sort();
  let busy = 0;
  let peak = 0;
  let e = 0;
  for (let s = 0; s < n; s++) {
    const t = starts[s] as number;
    while (e < n && (ends[e] as number) <= t) {
      busy--;
      e++;
    }
    busy++;
    if (busy > peak) peak = busy;
  }
  return peak;
}
