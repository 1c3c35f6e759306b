/**
 * The Lambda container-lifecycle model's parameters and results. See docs/simulator.md for where every
 * default comes from and what the model leaves out.
 */

import { HOLD_DEFAULTS } from '@warmpool/core';

export const INVOKE_KINDS = { real: 'real', ping: 'ping' } as const;
export type InvokeKind = (typeof INVOKE_KINDS)[keyof typeof INVOKE_KINDS];

export interface SimFunctionParams {
  /** Function memory, for GB-second accounting. */
  readonly memoryMb?: number;
  /** INIT duration: a new container is busy this long before it runs the handler (the cold-start penalty). */
  readonly initMs?: number;
  /** An idle container is reaped once it has been idle this long. */
  readonly idleReapMs?: number;
  /**
   * A container is recycled once it is this old (when next idle). Each container's own lifetime is drawn
   * uniformly from [1 - lifetimeJitter, 1] × maxLifetimeMs, so containers born together do not die together.
   */
  readonly maxLifetimeMs?: number;
  readonly lifetimeJitter?: number;
  /** Reserved concurrency (or the account's share): arrivals beyond it are throttled. null = no limit. */
  readonly concurrencyLimit?: number | null;
  /** Seed for the lifetime draws. */
  readonly seed?: number;
  /** A minute's datapoints become visible to `metrics.query` this long after the minute ends. */
  readonly metricLagMs?: number;
  /** Epoch ms the simulation starts at; minutes are aligned to whole epoch minutes. */
  readonly startMs?: number;
  /**
   * Pings of a round reach Lambda one after another at this rate, each holding its container from its own
   * arrival (the backtest's replay; `SimFunction.ping` itself fires at one instant). A hold shorter than the
   * spread then reaches fewer containers than pings, as warmers' users saw (docs/simulator.md). 0: all at once.
   */
  readonly pingDispatchPerSec?: number;
}

export type ResolvedSimFunctionParams = Required<SimFunctionParams>;

/**
 * Defaults, each a documented estimate (docs/simulator.md):
 * - `initMs: 400`: a typical Node.js INIT on a small package; matches the cost model's default.
 * - `idleReapMs: 10 min`: Shilkov (2019) measured idle instances reaped exactly 10 minutes after their last
 *   request; AWS publishes no figure and others report shorter or longer times, so backtests sweep 5, 10 and
 *   15 minutes.
 * - `maxLifetimeMs: 2 h` with 20% jitter: containers are recycled after hours even when busy.
 * - `metricLagMs: 60 s`: CloudWatch datapoints appear a minute or more late.
 * - `pingDispatchPerSec: 500`: the rate the controller assumes before it has measured one (`HOLD_DEFAULTS`);
 *   the probe measured 700/s for 10 pings and 600/s for 1,000 over fresh TLS connections (docs/benchmarks.md).
 */
export const SIM_DEFAULTS: ResolvedSimFunctionParams = {
  memoryMb: 1024,
  initMs: 400,
  idleReapMs: 10 * 60_000,
  maxLifetimeMs: 2 * 3_600_000,
  lifetimeJitter: 0.2,
  concurrencyLimit: null,
  seed: 1,
  metricLagMs: 60_000,
  startMs: 0,
  pingDispatchPerSec: HOLD_DEFAULTS.assumedRatePerSec,
} as const;

export const INVOKE_STATUSES = { ok: 'ok', throttled: 'throttled' } as const;
export type InvokeStatus = (typeof INVOKE_STATUSES)[keyof typeof INVOKE_STATUSES];

export interface InvokeOutcome {
  readonly status: InvokeStatus;
  /** The container that served it; -1 when throttled. */
  readonly containerId: number;
  /** A new container was started: a user-felt cold start for a real request, a prewarm for a ping. */
  readonly started: boolean;
  /** A real request started cold because pings held containers that would otherwise have been idle. */
  readonly interference: boolean;
  /** Served by a Provisioned Concurrency container. */
  readonly provisioned: boolean;
  /** When the container becomes idle again (INIT included when started). */
  readonly busyUntilMs: number;
}

/** Totals over the whole run. GB-seconds are split by what caused them so the cost model can price them. */
export interface SimStats {
  /** Real requests served (throttles excluded). */
  readonly realInvocations: number;
  /** User-felt cold starts, interference included. */
  readonly coldStarts: number;
  /** Cold starts of real requests that found every container busy with pings that took idle ones. */
  readonly interference: number;
  readonly pings: number;
  /** Pings that started a new container (billed INIT, not user-felt). */
  readonly prewarms: number;
  readonly throttles: number;
  readonly pingThrottles: number;
  readonly containersStarted: number;
  readonly reaped: number;
  readonly recycled: number;
  /** ms of ping hold billed (on-demand). */
  readonly pingBilledMs: number;
  /** ms of INIT billed for prewarms. */
  readonly prewarmInitMs: number;
  /** ms of handler duration of real requests (on-demand containers). */
  readonly realBilledMs: number;
  /** ms of INIT billed for user-felt cold starts. */
  readonly realInitMs: number;
  /** ms of handler duration that ran on Provisioned Concurrency. */
  readonly provisionedBusyMs: number;
  /** Integral of configured Provisioned Concurrency over time, in container-ms. */
  readonly provisionedContainerMs: number;
  /** Most containers alive at once. */
  readonly peakContainers: number;
}

/** One per-minute metric as a CloudWatch-like series: `values[i]` covers minute `startMs + i * 60 000`. */
export interface MetricSeries {
  readonly startMs: number;
  readonly values: readonly (number | null)[];
}

export const MINUTE_METRICS = {
  /** `ConcurrentExecutions` Maximum, pings included. */
  concurrency: 'concurrency',
  /** `Invocations` Sum, pings included (CloudWatch cannot tell them apart). */
  invocations: 'invocations',
  /** User-felt cold starts (the Powertools-style `ColdStart` metric; pings excluded by the helper). */
  coldStarts: 'coldStarts',
  throttles: 'throttles',
  pings: 'pings',
  prewarms: 'prewarms',
  interference: 'interference',
  /** Most containers alive (idle or busy) during the minute: the warm pool size. Not a CloudWatch metric. */
  containers: 'containers',
} as const;
export type MinuteMetricName = (typeof MINUTE_METRICS)[keyof typeof MINUTE_METRICS];
