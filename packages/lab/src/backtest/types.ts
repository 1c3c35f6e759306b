import type { Prices, ScheduleConfig } from '@warmpool/core';
import type { Policy } from '../policies/types.js';
import type { SimMode } from '../sim/workload.js';
import type { Trace } from '../trace/types.js';

/** Which functions of a trace to backtest. */
export type FunctionSelection = 'all' | { readonly top: number } | readonly string[];

export interface BacktestOptions {
  readonly trace: Trace;
  readonly functions?: FunctionSelection;
  /** Only functions whose estimated peak concurrency is at least this (the bench uses 2). */
  readonly minEstimatedPeak?: number;
  readonly seed?: number;
  /** Tick interval of every scheduled policy, in seconds (whole minutes). */
  readonly intervalS?: number;
  /** Idle time after which containers are reaped, in seconds. */
  readonly idleS?: number;
  /** Execution time where the trace gives none. */
  readonly durationMs?: number;
  readonly policies?: readonly Policy[];
  /** Force a simulation mode for every function; otherwise chosen by rate. */
  readonly mode?: SimMode | undefined;
  readonly initMs?: number;
  readonly maxLifetimeMs?: number;
  readonly metricLagMs?: number;
  readonly prices?: Prices;
  /** Keep per-function series for the HTML report. */
  readonly keepSeries?: boolean;
  /** Known events per function id, for policies that apply them (`backtest --schedules`). */
  readonly schedules?: ReadonlyMap<string, readonly ScheduleConfig[]> | undefined;
}

/** One policy's row of the stable JSON document. */
export interface PolicyResult {
  readonly name: string;
  readonly invocations: number;
  readonly cold_starts: number;
  readonly cold_start_rate: number;
  readonly interference_cold_starts: number;
  readonly pings: number;
  readonly warming_usd_month: number;
  readonly provisioned_usd_month: number;
  /** Extra fields (additive). */
  readonly prewarms: number;
  /** cold_starts / the oracle's cold starts (null when the oracle was not run or had none). */
  readonly cold_starts_vs_oracle: number | null;
  /** Share of the cold starts the oracle avoids (against `none`) that this policy avoids. */
  readonly avoided_share_of_oracle: number | null;
  /** What it runs on: `controller`, `scheduled-warmer` or `nothing`. */
  readonly runs_on: string;
  /** GetMetricData metrics it requested per target per tick, averaged over every function and tick. */
  readonly metrics_per_target_tick: number;
  /** The controller's share or the scheduled warmer, USD per month, summed over the functions. */
  readonly running_usd_month: number;
  /** warming + Provisioned Concurrency + running: the whole bill, USD per month. */
  readonly total_usd_month: number;
}

/** The stable document `warmpool backtest --json` writes. */
export interface BacktestDocument {
  readonly trace: string;
  readonly functions: readonly string[];
  readonly seed: number;
  readonly interval_s: number;
  readonly idle_s: number;
  readonly policies: readonly PolicyResult[];
  readonly duration_ms_default: number;
  readonly span_days: number;
  readonly modes: { readonly invocations: number; readonly aggregate: number };
  /** Real invocations replayed per policy × policies, divided by wall time. */
  readonly simulated_invocations_per_second: number;
  readonly elapsed_ms: number;
}

/** Per function and policy, for charts. Ticks are every `interval_s`; minutes from 0. */
export interface FunctionSeries {
  readonly id: string;
  readonly estimatedPeak: number;
  /** Real peak concurrency per minute. */
  readonly actual: Float64Array;
  readonly policies: Readonly<
    Record<
      string,
      { readonly warm: Float64Array; readonly forecast: Float64Array; readonly coldStarts: number }
    >
  >;
}

export interface BacktestResult {
  readonly document: BacktestDocument;
  readonly series: readonly FunctionSeries[];
}
