import type { ScheduleConfig } from '@warmpool/core';
import type { MinuteMetrics } from '../sim/minute-metrics.js';
import type { FunctionWorkload } from '../sim/workload.js';

/** How a policy keeps containers warm: pings on a schedule, Provisioned Concurrency, or not at all. */
export const POLICY_KINDS = { none: 'none', warm: 'warm', provisioned: 'provisioned' } as const;
export type PolicyKind = (typeof POLICY_KINDS)[keyof typeof POLICY_KINDS];

/**
 * What a policy needs to run besides its pings: nothing, a controller that reads metrics and records decisions
 * (warmpool, reactive), or a scheduled function that fires a fixed round (a fixed warmer). Priced per target.
 */
export const RUNS_ON = {
  nothing: 'nothing',
  controller: 'controller',
  scheduledWarmer: 'scheduled-warmer',
} as const;
export type RunsOn = (typeof RUNS_ON)[keyof typeof RUNS_ON];

/** What a policy knows when the backtest creates it for one function. */
export interface PolicySetup {
  readonly workload: FunctionWorkload;
  readonly intervalMs: number;
  readonly idleMs: number;
  /** The real peak concurrency of each tick window over the whole trace, in hindsight (for fixed settings). */
  readonly windowPeaks: Float64Array;
  /** Known events declared for this function (`backtest --schedules`); policies that can apply them may. */
  readonly schedules?: readonly ScheduleConfig[] | undefined;
  /** The trace's own clock at simulated time 0 (epoch ms): schedules are read on it. 0 when left out. */
  readonly traceStartMs?: number | undefined;
}

/** What a policy sees at a step: the lagged metrics (query them with `nowMs`), nothing of the future. */
export interface PolicyView {
  readonly nowMs: number;
  readonly metrics: MinuteMetrics;
}

export interface PolicyAction {
  /** Containers to warm now (pings fired at once). */
  readonly warm?: number | undefined;
  /** How long each of those pings holds its container; the controller's `auto` hold when absent. */
  readonly holdMs?: number | undefined;
  /**
   * Containers made warm now without occupying them: no ping can do that, so only a reference policy uses it,
   * to show the ceiling of warming without interference. Priced as pings of the default hold.
   */
  readonly warmWithoutHolding?: number | undefined;
  /** Provisioned Concurrency to have in effect from now. */
  readonly provisioned?: number | undefined;
  /** The policy's forecast of the window's peak, where it makes one (for reports). */
  readonly forecast?: number | undefined;
  /** Metrics it requested from CloudWatch for this step (GetMetricData bills each one); 0 when left out. */
  readonly metricsRead?: number | undefined;
  /**
   * A controller that kept its last decision without reading (a steady target's deferred read): its stored
   * decision is smaller, one DynamoDB write unit where a read's is two.
   */
  readonly keptDecision?: boolean | undefined;
}

/** A policy's per-function instance; `act` is called every `everyMs`, from time 0. */
export interface PolicyRunner {
  readonly everyMs: number;
  act(view: PolicyView): PolicyAction;
}

export interface Policy {
  /** Stable name: `none`, `ping-one`, `fixed-…`, `reactive`, `provisioned`, `warmpool`, `oracle`. */
  readonly name: string;
  readonly kind: PolicyKind;
  /** What it runs on; by default a scheduled warmer for `warm` policies and nothing for the others. */
  readonly runsOn?: RunsOn | undefined;
  /**
   * A controller woken by the target's cold starts (a log subscription delivering each user-felt cold-start
   * line): each one is billed as a controller invocation and a DynamoDB write.
   */
  readonly wakesOnColdStarts?: boolean | undefined;
  create(setup: PolicySetup): PolicyRunner;
}
