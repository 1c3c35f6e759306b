import { MINUTE_MS } from '../sim/minute-metrics.js';
import { POLICY_KINDS, type Policy } from './types.js';

export interface ProvisionedPolicyOptions {
  /** Target utilisation of target tracking on `LambdaProvisionedConcurrencyUtilization`. */
  readonly targetUtilisation?: number;
  /** Time from a scale-out decision until the new environments serve (AWS: "a minute or two"). */
  readonly allocationDelayMs?: number;
  /** Consecutive minutes above target before scaling out (the target-tracking high alarm: 3 of 3). */
  readonly scaleOutMinutes?: number;
  /** Consecutive minutes below 90% of target before scaling in (the low alarm: 15 of 15). */
  readonly scaleInMinutes?: number;
  readonly minCapacity?: number;
}

export const PROVISIONED_DEFAULTS = {
  targetUtilisation: 0.7,
  allocationDelayMs: 2 * MINUTE_MS,
  scaleOutMinutes: 3,
  scaleInMinutes: 15,
  minCapacity: 1,
} as const;

/**
 * Provisioned Concurrency with Application Auto Scaling target tracking, evaluated every minute on the lagged
 * per-minute `ConcurrentExecutions` Maximum divided by the configured PC (what the utilisation metric shows;
 * above 1 when traffic spills onto on-demand containers). Scale-out to ceil(peak / target) takes effect after
 * the allocation delay; scale-in is immediate. Starts at the minimum capacity.
 */
export function provisionedPolicy(options: ProvisionedPolicyOptions = {}): Policy {
  const o = { ...PROVISIONED_DEFAULTS, ...options };
  return {
    name: 'provisioned',
    kind: POLICY_KINDS.provisioned,
    create: () => {
      let configured = o.minCapacity;
      let pending: { atMs: number; n: number } | null = null;
      let started = false;
      return {
        everyMs: MINUTE_MS,
        act: ({ nowMs, metrics }) => {
          if (!started) {
            started = true;
            return { provisioned: configured };
          }
          let effective: number | undefined;
          if (pending && pending.atMs <= nowMs) {
            configured = pending.n;
            effective = configured;
            pending = null;
          }
          const span = o.scaleInMinutes * MINUTE_MS;
          const q = metrics.query('concurrency', nowMs - span - 2 * MINUTE_MS, nowMs, nowMs, {
            empty: 'zero',
          });
          const visible = q.values.filter((v): v is number => v !== null);
          const last = (k: number) => visible.slice(-k);
          const out = last(o.scaleOutMinutes);
          if (
            !pending &&
            out.length === o.scaleOutMinutes &&
            out.every((v) => v / configured > o.targetUtilisation)
          ) {
            const n = Math.ceil(Math.max(...out) / o.targetUtilisation);
            if (n > configured) pending = { atMs: nowMs + o.allocationDelayMs, n };
          }
          const inn = last(o.scaleInMinutes);
          if (
            !pending &&
            inn.length === o.scaleInMinutes &&
            inn.every((v) => v / configured < 0.9 * o.targetUtilisation)
          ) {
            const n = Math.max(o.minCapacity, Math.ceil(Math.max(...inn) / o.targetUtilisation));
            if (n < configured) {
              configured = n;
              effective = n;
            }
          }
          return { provisioned: effective, forecast: configured };
        },
      };
    },
  };
}
