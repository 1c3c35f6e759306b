import { MINUTE_MS } from '../sim/minute-metrics.js';
import { POLICY_KINDS, type Policy, type PolicySetup, RUNS_ON } from './types.js';

/** No warming at all: the baseline every other policy is measured against. */
export const nonePolicy: Policy = {
  name: 'none',
  kind: POLICY_KINDS.none,
  create: (setup) => ({ everyMs: setup.intervalMs, act: () => ({}) }),
};

/** The classic fix: one cron ping every tick. */
export const pingOnePolicy: Policy = {
  name: 'ping-one',
  kind: POLICY_KINDS.warm,
  create: (setup) => ({ everyMs: setup.intervalMs, act: () => ({ warm: 1 }) }),
};

/** N pings every tick (serverless-plugin-warmup's `concurrency`). */
export function fixedPolicy(n: number, name = `fixed-${n}`): Policy {
  return {
    name,
    kind: POLICY_KINDS.warm,
    create: (setup) => ({ everyMs: setup.intervalMs, act: () => ({ warm: n }) }),
  };
}

function median(values: Float64Array): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * A fixed count chosen from the trace in hindsight, as a user sizing a fixed warmer would: the median (or the
 * highest) real peak over tick windows. Never below 1: a fixed warmer of 0 is `none`.
 */
export function fixedFromPeaksPolicy(which: 'p50' | 'max'): Policy {
  return {
    name: `fixed-${which}`,
    kind: POLICY_KINDS.warm,
    create: (setup: PolicySetup) => {
      const peaks = setup.windowPeaks;
      const n = which === 'max' ? peaks.reduce((a, b) => Math.max(a, b), 0) : Math.ceil(median(peaks));
      const warm = Math.max(1, n);
      return { everyMs: setup.intervalMs, act: () => ({ warm }) };
    },
  };
}

/**
 * Twice the containers active in the last window, as the one stat-aware warmer does: the highest
 * `ConcurrentExecutions` among the visible minutes of the last window, leaving out minutes it pinged in (its
 * own pings would otherwise feed back and double every tick).
 */
export const reactivePolicy: Policy = {
  name: 'reactive',
  kind: POLICY_KINDS.warm,
  runsOn: RUNS_ON.controller,
  create: (setup) => {
    const pinged = new Set<number>();
    return {
      everyMs: setup.intervalMs,
      act: ({ nowMs, metrics }) => {
        const q = metrics.query('concurrency', nowMs - setup.intervalMs, nowMs, nowMs);
        let peak = 0;
        q.values.forEach((v, i) => {
          const minuteStart = q.startMs + i * MINUTE_MS;
          if (v !== null && !pinged.has(minuteStart)) peak = Math.max(peak, v);
        });
        const warm = 2 * peak;
        if (warm > 0) pinged.add(Math.floor(nowMs / MINUTE_MS) * MINUTE_MS);
        // One metric a tick: ConcurrentExecutions.
        return { warm, forecast: peak, metricsRead: 1 };
      },
    };
  },
};

/** The true real peak of the tick window that starts at `nowMs` (what only an oracle can know). */
export function truePeakAhead(setup: PolicySetup): (nowMs: number) => number {
  const peaks = setup.workload.minutePeaks;
  const perWindow = setup.intervalMs / MINUTE_MS;
  return (nowMs) => {
    const from = Math.floor(nowMs / MINUTE_MS);
    let peak = 0;
    for (let m = from; m < from + perWindow && m < peaks.length; m++)
      peak = Math.max(peak, peaks[m] as number);
    return peak;
  };
}

/** Knows the future: at each tick, the true real peak of the window ahead. The physical limit. */
export const oraclePolicy: Policy = {
  name: 'oracle',
  kind: POLICY_KINDS.warm,
  create: (setup) => {
    const peakAhead = truePeakAhead(setup);
    return {
      everyMs: setup.intervalMs,
      act: ({ nowMs }) => {
        const peak = peakAhead(nowMs);
        return { warm: peak, forecast: peak };
      },
    };
  },
};
