import type { TrafficStream } from '@warmpool/cli';

// The replay itself is the controller's exported TrafficReplay (the demo drives the same one).

/** A steady synthetic stream: one request every `everyMs`, each running `durationMs`, for `spanMs`. */
export function steadyStream(
  functionName: string,
  qualifier: string,
  everyMs: number,
  durationMs: number,
  spanMs: number,
): TrafficStream {
  const n = Math.floor(spanMs / everyMs);
  const arrivals = new Float64Array(n);
  const durations = new Float64Array(n).fill(durationMs);
  for (let i = 0; i < n; i++) arrivals[i] = i * everyMs + 1;
  return { functionName, qualifier, arrivals, durations };
}
