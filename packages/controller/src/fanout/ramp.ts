import { ValidationError } from '@warmpool/core';

/**
 * Lambda creates at most 1,000 new execution environments per function every 10 s (refilled continuously; the
 * unused part does not accumulate). A round above that cannot start all its containers at once: the rest are
 * throttled. So a large round is ramped.
 */
export const LAMBDA_SCALING_RATE = { environments: 1_000, perMs: 10_000 } as const;

export interface ScalingRate {
  readonly environments: number;
  readonly perMs: number;
}

export interface RampWave {
  readonly size: number;
  /** Planned start, ms after the round's first wave. */
  readonly offsetMs: number;
  /** Each ping of this wave holds this long: until the last wave has landed and held `baseHoldMs`. */
  readonly holdMs: number;
  /** Actual start, ms after the first wave (filled in by the fan-out; later than planned if it waited). */
  readonly startedAfterMs?: number | undefined;
}

export interface RampRecord {
  readonly scaling: ScalingRate;
  /**
   * Between wave starts: the scaling window plus a margin and a wave's dispatch spread, so each wave finds
   * the scaling rate refilled.
   */
  readonly intervalMs: number;
  /** The hold of the last wave (what one wave of this size needs for its own dispatch spread). */
  readonly baseHoldMs: number;
  readonly waves: readonly RampWave[];
  /** From the first wave's start to the end of the last hold. */
  readonly totalMs: number;
  /** Pings asked for; the waves carry fewer when `maxTotalMs` dropped some (`cutByDeadline`). */
  readonly requested: number;
  readonly cutByDeadline: boolean;
  readonly why: string;
}

export interface RampOptions {
  readonly scaling?: ScalingRate | undefined;
  /** The hold the last wave needs (from `pickHold` for one wave). */
  readonly baseHoldMs: number;
  /**
   * Fraction of the scaling rate one wave may use (default 0.9). The slack absorbs a wave that dispatches
   * faster than the one before it: its first pings then land while a few of the previous wave's starts are
   * still inside the window, and Lambda throttles what goes over.
   */
  readonly fill?: number | undefined;
  /** Extra fraction of the scaling window between waves (default 0.05). */
  readonly margin?: number | undefined;
  /**
   * Expected dispatch spread of one wave (from `pickHold`). The scaling window counts from when environments
   * start; waves dispatched at the same rate land a fixed interval apart ping for ping, so one spread on top of
   * the window covers a wave that dispatches slower than the one before it.
   */
  readonly waveSpreadMs?: number | undefined;
  /** The ramp must end within this (the round's deadline less the answers' trip); waves that do not fit are dropped. */
  readonly maxTotalMs?: number | undefined;
}

/**
 * The waves of a round of `n` pings, or null when one wave can reach them all (n within the scaling rate).
 * Waves are as equal as possible, each within `fill` of the scaling rate, started one scaling window (plus
 * margin and spread) apart; every wave holds
 * until the last one has landed and held `baseHoldMs`, so all holds overlap at the end and the last wave cannot
 * land on a container an earlier wave left. The hold cap is raised only as far as this needs (the first
 * wave's hold); the helper's `maxHoldMs` must allow it, or the answers say it held less (`hold-capped`).
 */
export function planRamp(requested: number, options: RampOptions): RampRecord | null {
  let n = requested;
  const scaling = options.scaling ?? LAMBDA_SCALING_RATE;
  if (!(Number.isInteger(scaling.environments) && scaling.environments >= 1))
    throw new ValidationError('scaling.environments', 'must be an integer >= 1');
  if (!(Number.isFinite(scaling.perMs) && scaling.perMs > 0))
    throw new ValidationError('scaling.perMs', 'must be a number > 0');
  if (n <= scaling.environments) return null;
  const perWave = Math.max(1, Math.floor(scaling.environments * (options.fill ?? 0.9)));
  const margin = options.margin ?? 0.05;
  const intervalMs = Math.ceil(scaling.perMs * (1 + margin) + Math.max(0, options.waveSpreadMs ?? 0));
  const needed = Math.ceil(n / perWave);
  const fitting =
    options.maxTotalMs === undefined
      ? needed
      : Math.max(1, Math.floor((options.maxTotalMs - options.baseHoldMs) / intervalMs) + 1);
  const count = Math.min(needed, fitting);
  const cutByDeadline = count < needed;
  if (cutByDeadline) n = count * perWave;
  const waves: RampWave[] = [];
  for (let i = 0; i < count; i++) {
    const size = Math.floor(n / count) + (i < n % count ? 1 : 0);
    waves.push({ size, offsetMs: i * intervalMs, holdMs: (count - 1 - i) * intervalMs + options.baseHoldMs });
  }
  const totalMs = (count - 1) * intervalMs + options.baseHoldMs;
  return {
    scaling,
    intervalMs,
    baseHoldMs: options.baseHoldMs,
    waves,
    totalMs,
    requested,
    cutByDeadline,
    why:
      `${requested} pings > ${scaling.environments} new environments per ${scaling.perMs} ms: ${count} waves ` +
      `${intervalMs} ms apart, holds ${waves[0]?.holdMs} ms down to ${options.baseHoldMs} ms so all end together` +
      (cutByDeadline ? `; cut to ${n} pings: ${needed} waves would not end before the deadline` : ''),
  };
}
