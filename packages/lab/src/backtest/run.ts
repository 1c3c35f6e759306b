import { DEFAULT_PRICES, pickHoldMs, ValidationError } from '@warmpool/core';
import { defaultPolicies } from '../policies/defaults.js';
import { POLICY_KINDS, type Policy, type PolicySetup, RUNS_ON, type RunsOn } from '../policies/types.js';
import { MINUTE_MS } from '../sim/minute-metrics.js';
import { createReplay } from '../sim/replay.js';
import { deriveSeed } from '../sim/rng.js';
import { SIM_DEFAULTS } from '../sim/types.js';
import { buildWorkload, DEFAULT_DURATION_MS, type FunctionWorkload } from '../sim/workload.js';
import { policyCost, runningCost } from './cost.js';
import { selectFunctions } from './select.js';
import type {
  BacktestDocument,
  BacktestOptions,
  BacktestResult,
  FunctionSeries,
  PolicyResult,
} from './types.js';

export const BACKTEST_DEFAULTS = { seed: 1, intervalS: 300, idleS: 600 } as const;

/**
 * How long each ping holds its container when the policy does not say: the controller's own `auto` hold
 * (`pickHold` in core) at its assumed dispatch rate, so backtests hold as long as production would. The
 * simulator fires a round at one instant, so any hold reaches N containers here; the hold only sets how long
 * the round blocks real traffic. Same for every warm policy.
 */
export function pingHoldMs(n: number): number {
  return pickHoldMs(n, null);
}

/** Real peak of each tick window, in hindsight (what a user would size a fixed warmer from). */
export function windowPeaks(workload: FunctionWorkload, intervalMs: number): Float64Array {
  const per = intervalMs / MINUTE_MS;
  const peaks = workload.minutePeaks;
  const out = new Float64Array(Math.ceil(peaks.length / per));
  for (let m = 0; m < peaks.length; m++) {
    const w = Math.floor(m / per);
    if ((peaks[m] as number) > (out[w] as number)) out[w] = peaks[m] as number;
  }
  return out;
}

function requireWholeMinutes(field: string, seconds: number): void {
  if (!(Number.isInteger(seconds) && seconds >= 60 && seconds % 60 === 0)) {
    throw new ValidationError(field, 'must be a whole number of minutes (>= 60 s)', { detail: `${seconds}` });
  }
}

interface Accumulator {
  invocations: number;
  coldStarts: number;
  interference: number;
  pings: number;
  prewarms: number;
  warmingUsd: number;
  provisionedUsd: number;
  metricsRead: number;
  ticks: number;
  runningUsd: number;
}

/** What a policy runs on when it does not say: a warm policy needs at least a scheduled function. */
function runsOnOf(policy: Policy): RunsOn {
  if (policy.runsOn) return policy.runsOn;
  return policy.kind === POLICY_KINDS.warm ? RUNS_ON.scheduledWarmer : RUNS_ON.nothing;
}

/**
 * Runs every policy on every selected function, on the same arrivals (one seeded workload per function), and
 * sums the results. Single-threaded; each policy's pool is simulated independently.
 */
export function runBacktest(options: BacktestOptions): BacktestResult {
  const started = performance.now();
  const seed = options.seed ?? BACKTEST_DEFAULTS.seed;
  const intervalS = options.intervalS ?? BACKTEST_DEFAULTS.intervalS;
  const idleS = options.idleS ?? BACKTEST_DEFAULTS.idleS;
  const durationMs = options.durationMs ?? DEFAULT_DURATION_MS;
  if (!Number.isInteger(seed)) throw new ValidationError('seed', 'must be an integer');
  requireWholeMinutes('interval', intervalS);
  if (!(idleS > 0)) throw new ValidationError('idle', 'must be a positive duration');
  const policies = options.policies ?? defaultPolicies();
  const names = new Set<string>();
  for (const p of policies) {
    if (names.has(p.name)) throw new ValidationError('policies', 'names must be unique', { detail: p.name });
    names.add(p.name);
  }
  const prices = options.prices ?? DEFAULT_PRICES;
  const intervalMs = intervalS * 1000;
  const idleMs = idleS * 1000;
  const selected = selectFunctions(
    options.trace,
    options.functions ?? 'all',
    options.minEstimatedPeak ?? 0,
    durationMs,
  );
  for (const id of options.schedules?.keys() ?? []) {
    if (!selected.some((s) => s.fn.id === id)) {
      throw new ValidationError('schedules', 'must name functions that are replayed', { detail: id });
    }
  }
  const acc = new Map<string, Accumulator>(
    policies.map((p) => [
      p.name,
      {
        invocations: 0,
        coldStarts: 0,
        interference: 0,
        pings: 0,
        prewarms: 0,
        warmingUsd: 0,
        provisionedUsd: 0,
        metricsRead: 0,
        ticks: 0,
        runningUsd: 0,
      },
    ]),
  );
  const series: FunctionSeries[] = [];
  const modes = { invocations: 0, aggregate: 0 };
  let replayed = 0;
  let spanMs = MINUTE_MS;

  for (const { fn, estimatedPeak } of selected) {
    const workload = buildWorkload(options.trace, fn, { seed, durationMs, mode: options.mode });
    spanMs = Math.max(spanMs, workload.spanMs);
    modes[workload.mode]++;
    const setup: PolicySetup = {
      workload,
      intervalMs,
      idleMs,
      windowPeaks: windowPeaks(workload, intervalMs),
      schedules: options.schedules?.get(fn.id),
      traceStartMs: options.trace.startMs,
    };
    const perPolicy: Record<string, { warm: Float64Array; forecast: Float64Array; coldStarts: number }> = {};
    for (const policy of policies) {
      const replay = createReplay(workload, {
        memoryMb: workload.memoryMb,
        initMs: options.initMs ?? SIM_DEFAULTS.initMs,
        idleReapMs: idleMs,
        maxLifetimeMs: options.maxLifetimeMs ?? SIM_DEFAULTS.maxLifetimeMs,
        metricLagMs: options.metricLagMs ?? SIM_DEFAULTS.metricLagMs,
        seed: deriveSeed(seed, `pool:${fn.id}`),
      });
      const runner = policy.create(setup);
      const ticks = Math.ceil(workload.spanMs / intervalMs);
      const warm = options.keepSeries ? new Float64Array(ticks) : undefined;
      const forecast = options.keepSeries ? new Float64Array(ticks).fill(Number.NaN) : undefined;
      const every = runner.everyMs;
      let metricsRead = 0;
      let steps = 0;
      let warmSteps = 0;
      let keptSteps = 0;
      for (let t = 0; t < workload.spanMs; t += every) {
        replay.advanceTo(t);
        const action = runner.act({ nowMs: t, metrics: replay.metrics });
        metricsRead += action.metricsRead ?? 0;
        steps++;
        if (action.provisioned !== undefined) replay.setProvisioned(t, action.provisioned);
        const n = action.warm ?? 0;
        if (n > 0) warmSteps++;
        if (action.keptDecision === true) keptSteps++;
        if (n > 0) replay.ping(t, n, action.holdMs ?? pingHoldMs(n));
        const free = action.warmWithoutHolding ?? 0;
        if (free > 0) replay.warmWithoutHolding(t, free, pingHoldMs(free));
        if (warm && forecast && t % intervalMs === 0) {
          const i = t / intervalMs;
          warm[i] = policy.kind === 'provisioned' ? (action.forecast ?? 0) : n + free;
          if (action.forecast !== undefined) forecast[i] = action.forecast;
        }
      }
      const stats = replay.finish();
      replayed += stats.realInvocations;
      const cost = policyCost(stats, workload.memoryMb, workload.spanMs, prices);
      const a = acc.get(policy.name) as Accumulator;
      a.invocations += stats.realInvocations;
      a.coldStarts += stats.coldStarts;
      a.interference += stats.interference;
      a.pings += stats.pings;
      a.prewarms += stats.prewarms;
      a.warmingUsd += cost.warmingUsdMonth;
      a.provisionedUsd += cost.provisionedUsdMonth;
      a.metricsRead += metricsRead;
      a.ticks += steps;
      a.runningUsd += runningCost(
        runsOnOf(policy),
        steps ? metricsRead / steps : 0,
        every / 1000,
        prices,
        steps ? warmSteps / steps : 1,
        steps ? keptSteps / steps : 0,
        // Every user-felt cold start is a line the log subscription delivers: one wake-up each, at most.
        policy.wakesOnColdStarts && steps ? stats.coldStarts / steps : 0,
        policy.wakesOnColdStarts === true,
      );
      if (warm && forecast) perPolicy[policy.name] = { warm, forecast, coldStarts: stats.coldStarts };
    }
    if (options.keepSeries)
      series.push({ id: fn.id, estimatedPeak, actual: workload.minutePeaks, policies: perPolicy });
  }

  const oracle = acc.get('oracle');
  const none = acc.get('none');
  const rows: PolicyResult[] = policies.map((p) => {
    const a = acc.get(p.name) as Accumulator;
    const avoidable = none && oracle ? none.coldStarts - oracle.coldStarts : 0;
    return {
      name: p.name,
      invocations: a.invocations,
      cold_starts: a.coldStarts,
      cold_start_rate: a.invocations ? a.coldStarts / a.invocations : 0,
      interference_cold_starts: a.interference,
      pings: a.pings,
      warming_usd_month: round(a.warmingUsd, 4),
      provisioned_usd_month: round(a.provisionedUsd, 4),
      prewarms: a.prewarms,
      cold_starts_vs_oracle:
        oracle && oracle.coldStarts > 0 ? round(a.coldStarts / oracle.coldStarts, 4) : null,
      avoided_share_of_oracle:
        none && oracle && avoidable > 0 ? round((none.coldStarts - a.coldStarts) / avoidable, 4) : null,
      runs_on: runsOnOf(p),
      metrics_per_target_tick: a.ticks ? round(a.metricsRead / a.ticks, 4) : 0,
      running_usd_month: round(a.runningUsd, 4),
      total_usd_month: round(a.warmingUsd + a.provisionedUsd + a.runningUsd, 4),
    };
  });
  const elapsedMs = performance.now() - started;
  const document: BacktestDocument = {
    trace: options.trace.name,
    functions: selected.map((s) => s.fn.id),
    seed,
    interval_s: intervalS,
    idle_s: idleS,
    policies: rows,
    duration_ms_default: durationMs,
    span_days: round(spanMs / 86_400_000, 3),
    modes,
    simulated_invocations_per_second: elapsedMs > 0 ? Math.round(replayed / (elapsedMs / 1000)) : 0,
    elapsed_ms: Math.round(elapsedMs),
  };
  return { document, series };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
