import type { SimStats } from './types.js';

/** Mutable counters behind `stats()`: SimStats with every field writable. */
export type SimCounters = { -readonly [K in keyof SimStats]: SimStats[K] };

/** Fresh all-zero counters, one set per simulated function (both the per-invocation and the aggregate model). */
export function zeroSimCounters(): SimCounters {
  return {
    realInvocations: 0,
    coldStarts: 0,
    interference: 0,
    pings: 0,
    prewarms: 0,
    throttles: 0,
    pingThrottles: 0,
    containersStarted: 0,
    reaped: 0,
    recycled: 0,
    pingBilledMs: 0,
    prewarmInitMs: 0,
    realBilledMs: 0,
    realInitMs: 0,
    provisionedBusyMs: 0,
    provisionedContainerMs: 0,
    peakContainers: 0,
  };
}
