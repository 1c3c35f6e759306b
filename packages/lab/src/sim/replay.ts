import { AggregateFunction } from './aggregate-function.js';
import type { MinuteMetrics } from './minute-metrics.js';
import { SimFunction } from './sim-function.js';
import type { SimFunctionParams, SimStats } from './types.js';
import { type FunctionWorkload, SIM_MODES } from './workload.js';

/**
 * A function's real traffic replayed against a container pool, in either mode, behind one interface: the
 * backtest moves time forward and lets a policy ping or set Provisioned Concurrency in between.
 */
export interface Replay {
  readonly workload: FunctionWorkload;
  readonly metrics: MinuteMetrics;
  /** Replays real arrivals strictly before `tMs`. */
  advanceTo(tMs: number): void;
  /** Fires `n` pings at `tMs`, each holding `holdMs`. */
  ping(tMs: number, n: number, holdMs: number): void;
  setProvisioned(tMs: number, n: number): void;
  /** Makes `n` containers warm at `tMs` as a round would, without holding them (see `PolicyAction`). */
  warmWithoutHolding(tMs: number, n: number, billedHoldMs: number): void;
  /** Replays the rest of the trace and returns the totals. */
  finish(): SimStats;
}

export function createReplay(workload: FunctionWorkload, params: SimFunctionParams): Replay {
  if (workload.mode === SIM_MODES.aggregate) {
    const agg = new AggregateFunction(workload, { ...params, startMs: 0 });
    return {
      workload,
      metrics: agg.metrics,
      advanceTo: (t) => agg.advanceTo(t),
      ping: (t, n, h) => void agg.ping(t, n, h),
      warmWithoutHolding: (t, n, h) => void agg.ping(t, n, h, false),
      setProvisioned: (t, n) => agg.setProvisioned(t, n),
      finish: () => {
        agg.advanceTo(Math.max(agg.now, workload.spanMs));
        return agg.stats();
      },
    };
  }
  const sim = new SimFunction({ ...params, startMs: 0 });
  const arrivals = workload.arrivals ?? new Float64Array(0);
  const durations = workload.durations ?? new Float64Array(0);
  let next = 0;
  // A round's pings reach Lambda one after another (`pingDispatchPerSec`), interleaved with real arrivals in
  // time order: each holds from its own arrival, so a hold shorter than the spread lets later pings reuse
  // containers the earlier ones freed.
  const gapMs = sim.params.pingDispatchPerSec > 0 ? 1000 / sim.params.pingDispatchPerSec : 0;
  const pingAt: number[] = [];
  const pingHold: number[] = [];
  let nextPing = 0;
  const feed = (tMs: number) => {
    const n = arrivals.length;
    for (;;) {
      const real = next < n && (arrivals[next] as number) < tMs ? (arrivals[next] as number) : Infinity;
      const ping =
        nextPing < pingAt.length && (pingAt[nextPing] as number) < tMs
          ? (pingAt[nextPing] as number)
          : Infinity;
      if (real === Infinity && ping === Infinity) break;
      if (ping <= real) {
        sim.invoke(ping, 'ping', pingHold[nextPing] as number);
        nextPing++;
      } else {
        sim.invoke(real, 'real', durations[next] as number);
        next++;
      }
    }
    if (nextPing === pingAt.length && nextPing > 0) {
      pingAt.length = 0;
      pingHold.length = 0;
      nextPing = 0;
    }
    sim.advanceTo(Math.max(sim.now, tMs));
  };
  return {
    workload,
    metrics: sim.metrics,
    advanceTo: feed,
    ping: (t, n, h) => {
      feed(t);
      if (gapMs === 0) {
        sim.ping(t, n, h);
        return;
      }
      for (let i = 0; i < n; i++) {
        pingAt.push(t + i * gapMs);
        pingHold.push(h);
      }
    },
    warmWithoutHolding: (t, n, h) => {
      feed(t);
      sim.warmWithoutHolding(t, n, h);
    },
    setProvisioned: (t, n) => {
      feed(t);
      sim.setProvisioned(t, n);
    },
    finish: () => {
      feed(Math.max(sim.now, workload.spanMs, (pingAt[pingAt.length - 1] ?? 0) + 1));
      // Arrivals at or past the span's end (rare rounding) are still replayed, so every request is counted.
      while (next < arrivals.length) {
        sim.invoke(Math.max(sim.now, arrivals[next] as number), 'real', durations[next] as number);
        next++;
      }
      return sim.stats();
    },
  };
}
