import { ValidationError } from '@warmpool/core';
import { poissonQuantile } from '../sim/peaks.js';
import { createRng, deriveSeed } from '../sim/rng.js';
import type { Trace, TraceFunction } from './types.js';

/** Traffic shapes of the synthetic generator. */
export const SYNTHETIC_SHAPES = {
  /** A constant rate. */
  steady: 'steady',
  /** A day-long sine: 0.2× the level at midnight (bin 0), 1.8× at noon. */
  diurnal: 'diurnal',
  /** 0.25× the level for the first half, 2× for the second: a forecaster must catch up. */
  step: 'step',
  /** 0.1× the level, with bursts of 5× lasting 1–10 bins starting in 3% of bins. */
  bursty: 'bursty',
} as const;
export type SyntheticShape = (typeof SYNTHETIC_SHAPES)[keyof typeof SYNTHETIC_SHAPES];

export interface SyntheticTraceOptions {
  readonly seed: number;
  /** Number of functions (ids `fn-1`…); function i gets the level / i, so they span a range of rates. */
  readonly functions: number;
  /** Length in minutes. */
  readonly minutes: number;
  /** Bin width in seconds (default 60); must divide the length. */
  readonly binSeconds?: number | undefined;
  readonly shape: SyntheticShape;
  /** Mean arrivals per bin of the first function at the shape's 1× point. */
  readonly level: number;
}

const DAY_S = 86_400;

function factor(shape: SyntheticShape, t: number, n: number, binSeconds: number, burst: boolean): number {
  switch (shape) {
    case 'steady':
      return 1;
    case 'diurnal':
      return 1 - 0.8 * Math.cos((2 * Math.PI * t * binSeconds) / DAY_S);
    case 'step':
      return t < n / 2 ? 0.25 : 2;
    default:
      return burst ? 5 : 0.1;
  }
}

/**
 * A seeded synthetic binned trace for tests: Poisson counts around a shaped rate. Same options, same trace,
 * on every platform. Durations are seeded too (p50 between 50 ms and 3.2 s), memory 128–2048 MB.
 */
export function syntheticTrace(options: SyntheticTraceOptions): Trace {
  const { seed, functions, minutes, shape, level } = options;
  const binSeconds = options.binSeconds ?? 60;
  if (!Number.isFinite(seed)) throw new ValidationError('seed', 'must be a finite number');
  if (!(Number.isInteger(functions) && functions >= 1))
    throw new ValidationError('functions', 'must be a whole number >= 1');
  if (!(Number.isInteger(minutes) && minutes >= 1))
    throw new ValidationError('minutes', 'must be a whole number >= 1');
  if (!(Number.isFinite(binSeconds) && binSeconds > 0 && (minutes * 60) % binSeconds === 0))
    throw new ValidationError('binSeconds', 'must be > 0 and divide the length in seconds');
  if (!Object.hasOwn(SYNTHETIC_SHAPES, shape))
    throw new ValidationError('shape', `must be one of ${Object.keys(SYNTHETIC_SHAPES).join(', ')}`);
  if (!(Number.isFinite(level) && level >= 0)) throw new ValidationError('level', 'must be a number >= 0');
  const bins = (minutes * 60) / binSeconds;
  const fns: TraceFunction[] = [];
  for (let i = 1; i <= functions; i++) {
    const id = `fn-${i}`;
    const rng = createRng(deriveSeed(seed, id));
    const mean = level / i;
    const counts = new Array<number>(bins);
    let burstLeft = 0;
    for (let t = 0; t < bins; t++) {
      // A burst starts in 3% of quiet bins and lasts 1–10 bins, this one included.
      if (shape === 'bursty' && burstLeft === 0 && rng() < 0.03) burstLeft = 1 + Math.floor(rng() * 10);
      counts[t] = poissonQuantile(mean * factor(shape, t, bins, binSeconds, burstLeft > 0), rng());
      if (burstLeft > 0) burstLeft--;
    }
    const p50 = Math.round(50 * 2 ** (rng() * 6));
    fns.push({
      id,
      counts,
      durations: {
        p0: Math.round(p50 / 4),
        p25: Math.round(p50 / 2),
        p50,
        p75: p50 * 2,
        p99: p50 * 5,
        p100: p50 * 8,
      },
      memoryMb: 128 * 2 ** Math.floor(rng() * 5),
    });
  }
  return {
    name: `synthetic-${shape}-seed${seed}`,
    format: 'synthetic',
    binSeconds,
    startMs: 0,
    durationMs: minutes * 60_000,
    functions: fns,
  };
}
