import type { DurationPercentiles } from '../trace/types.js';
import type { Rng } from './rng.js';

/**
 * Execution-time draws from a trace's duration percentiles: a piecewise-linear inverse CDF through the
 * percentiles the trace gives (p0, p1, p25, p50, p75, p99, p100, any subset with p50), flat beyond the
 * outermost ones. Azure 2019 gives percentiles of per-minute averages, so the spread is an under-estimate.
 */
export interface DurationSampler {
  readonly meanMs: number;
  draw(rng: Rng): number;
}

const POINTS = [
  ['p0', 0],
  ['p1', 0.01],
  ['p25', 0.25],
  ['p50', 0.5],
  ['p75', 0.75],
  ['p99', 0.99],
  ['p100', 1],
] as const;

export function constantDuration(ms: number): DurationSampler {
  return { meanMs: ms, draw: () => ms };
}

export function durationSampler(p: DurationPercentiles | undefined, defaultMs: number): DurationSampler {
  if (!p) return constantDuration(defaultMs);
  const qs: number[] = [];
  const vs: number[] = [];
  let last = 0;
  for (const [key, q] of POINTS) {
    const v = p[key];
    if (v === undefined || !Number.isFinite(v) || v < 0) continue;
    last = Math.max(last, v); // percentiles must not decrease
    qs.push(q);
    vs.push(last);
  }
  if (qs.length === 0) return constantDuration(p.average ?? defaultMs);
  if (qs.length === 1) return constantDuration(vs[0] as number);
  // Mean of the piecewise-linear inverse CDF (flat tails beyond the outermost points).
  const n = qs.length;
  let mean = (qs[0] as number) * (vs[0] as number) + (1 - (qs[n - 1] as number)) * (vs[n - 1] as number);
  for (let i = 1; i < n; i++) {
    mean += (((qs[i] as number) - (qs[i - 1] as number)) * ((vs[i] as number) + (vs[i - 1] as number))) / 2;
  }
  const q = Float64Array.from(qs);
  const v = Float64Array.from(vs);
  return {
    meanMs: mean,
    draw(rng: Rng): number {
      const u = rng();
      if (u <= (q[0] as number)) return v[0] as number;
      for (let i = 1; i < n; i++) {
        const qi = q[i] as number;
        if (u <= qi) {
          const q0 = q[i - 1] as number;
          const v0 = v[i - 1] as number;
          return v0 + ((u - q0) / (qi - q0)) * ((v[i] as number) - v0);
        }
      }
      return v[n - 1] as number;
    },
  };
}
