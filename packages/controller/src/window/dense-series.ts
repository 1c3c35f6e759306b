import type { MinuteSeries } from '@warmpool/core';
import type { QueryWindow } from './query-window.js';

/** How to merge two datapoints that land in the same period (paged results, unaligned timestamps). */
export const MERGE_RULES = { max: 'max', sum: 'sum' } as const;
export type MergeRule = (typeof MERGE_RULES)[keyof typeof MERGE_RULES];

/**
 * A dense series over `window`: one slot per period, `null` where CloudWatch returned no datapoint. Datapoints
 * outside the window are dropped; unaligned ones go to the period that contains them; non-finite values are
 * treated as missing. CloudWatch returns newest first by default, so input order does not matter.
 */
export function toDenseSeries(
  window: QueryWindow,
  timestampsMs: readonly number[],
  values: readonly number[],
  merge: MergeRule = MERGE_RULES.max,
): MinuteSeries {
  const out: (number | null)[] = new Array(window.periods).fill(null);
  const n = Math.min(timestampsMs.length, values.length);
  for (let i = 0; i < n; i++) {
    const t = timestampsMs[i] as number;
    const v = values[i] as number;
    if (!Number.isFinite(t) || !Number.isFinite(v)) continue;
    if (t < window.startMs || t >= window.endMs) continue;
    const slot = Math.floor((t - window.startMs) / window.periodMs);
    const prev = out[slot] ?? null;
    out[slot] = prev === null ? v : merge === MERGE_RULES.sum ? prev + v : Math.max(prev, v);
  }
  return { startMs: window.startMs, values: out };
}

/** A series of `periods` nulls: what a target gets when its metrics could not be read at all. */
export function emptySeries(window: QueryWindow): MinuteSeries {
  return { startMs: window.startMs, values: new Array(window.periods).fill(null) };
}
