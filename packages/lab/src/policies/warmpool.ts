import type {
  ForecastModelChoice,
  HoldOptions,
  InterferenceOptions,
  PastDecision,
  ScheduleConfig,
  TargetConfig,
  TargetHistory,
  TuningState,
} from '@warmpool/core';
import {
  afterConcurrencyRead,
  COLD_START_EVERY_TICKS,
  type ConcurrencyReadState,
  coldStartReadDue,
  coldStartsNeeded,
  concurrencyReadDue,
  DEFAULT_TARGET,
  decide,
  LOOKBACK_MINUTES,
  type MinuteSeries,
  parseConfig,
  rawCountToHold,
  replayedToHold,
  risenSinceColdRead,
} from '@warmpool/core';
import { MINUTE_MS } from '../sim/minute-metrics.js';
import { POLICY_KINDS, type Policy, RUNS_ON } from './types.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export interface WarmpoolPolicyOptions {
  /** Forecast model (default `auto`); a fixed model makes a `warmpool-<model>` policy for comparisons. */
  readonly model?: ForecastModelChoice;
  /** Upper bound on warm containers; the backtest default is the default account concurrency. */
  readonly max?: number;
  readonly min?: number;
  /**
   * Read the day-ago and week-ago references (seasonal-naive needs them). Default false, as the controller's
   * default (`seasonal` unset in `CloudWatchMetricsSource`): each costs one more metric per target per tick, and
   * on the Huawei month they bought about 1% fewer cold starts for $0.15 a target a month (docs/forecasting.md).
   */
  readonly seasonal?: boolean;
  /**
   * When to read the cold-start count: `needed` (the default, as the controller does: only when the
   * concurrency shows the function ran beyond its pings) or `always` (as it did before, for comparisons).
   */
  readonly coldStartReads?: 'needed' | 'always';
  /**
   * Read a needed cold-start count at most every this many ticks (default `COLD_START_EVERY_TICKS`, as the
   * controller does; 1 with `coldStartReads: 'always'`): in between, the count read last is reused, the minutes
   * since stay missing, and the tuning holds.
   */
  readonly coldStartEveryTicks?: number;
  /** Apply the function's declared schedules (`backtest --schedules`), read on the trace's own clock. */
  readonly applySchedules?: boolean;
  readonly name?: string;
  /** Knobs of decide()'s interference check (its defaults where absent), for sweeps. */
  readonly interference?: InterferenceOptions;
  /** Read the cold-start count before it is due when real traffic rose to a new high (default true). */
  readonly coldStartOnRise?: boolean;
  /** The target's `holdMs` (default `auto`: pickHold's choice), for sweeps. */
  readonly holdMs?: TargetConfig['holdMs'];
  /** Knobs of the `auto` hold (pickHold's defaults where absent), for sweeps. */
  readonly hold?: HoldOptions;
  /** The target's `stabilization` (the config's default where absent), for sweeps. */
  readonly stabilization?: { readonly windowMinutes?: number; readonly maxCount?: number };
  /** The target's `maxTicksBetweenReads` (the config's default where absent), for sweeps. */
  readonly maxTicksBetweenReads?: number;
  /**
   * The target's `wakeAfterColdStarts` (the config's default where absent; 0: never woken). The simulator
   * delivers a cold start as the lagged cold-start metric shows it, later than the log subscription would.
   */
  readonly wakeAfterColdStarts?: number;
}

/**
 * The real `decide()` from core, fed only what the controller would read at each tick: the lagged per-minute
 * `ConcurrentExecutions` (its own pings included), the cold-start and throttle series, the day-ago and week-ago
 * references, and its own past decisions; the tuning state is carried from one decision to the next. No
 * budget applies (no reserved concurrency in a trace), so `max` bounds it.
 */
export function warmpoolPolicy(options: WarmpoolPolicyOptions = {}): Policy {
  const model = options.model ?? 'auto';
  const name = options.name ?? (model === 'auto' ? 'warmpool' : `warmpool-${model}`);
  const wakeAfter = options.wakeAfterColdStarts ?? DEFAULT_TARGET.wakeAfterColdStarts;
  return {
    name,
    kind: POLICY_KINDS.warm,
    runsOn: RUNS_ON.controller,
    // Each user-felt cold start is a log line the subscription delivers to the controller: priced per line.
    wakesOnColdStarts: wakeAfter > 0,
    create: (setup) => {
      const tickIntervalSeconds = setup.intervalMs / 1000;
      const scheduled = options.applySchedules && setup.schedules?.length ? setup.schedules : undefined;
      // Schedules name wall-clock times, so decide() must see the trace's own clock: every time it reads is
      // moved by the trace's start. Without schedules the replay keeps simulated time, as before.
      const shift = scheduled ? (setup.traceStartMs ?? 0) : 0;
      const moved = <T extends { startMs: number }>(x: T): T =>
        shift ? { ...x, startMs: x.startMs + shift } : x;
      const config = parseConfig({
        tickIntervalSeconds,
        targets: [
          {
            functionName: 'backtest',
            qualifier: 'live',
            model,
            min: options.min ?? 0,
            max: options.max ?? 1_000,
            memoryMb: Math.min(10_240, Math.max(128, Math.round(setup.workload.memoryMb))),
            ...(options.holdMs !== undefined ? { holdMs: options.holdMs } : {}),
            ...(options.stabilization !== undefined ? { stabilization: options.stabilization } : {}),
            ...(options.maxTicksBetweenReads !== undefined
              ? { maxTicksBetweenReads: options.maxTicksBetweenReads }
              : {}),
            wakeAfterColdStarts: wakeAfter,
            ...(scheduled ? { schedules: scheduled as ScheduleConfig[] } : {}),
          },
        ],
      });
      const target = config.targets[0] as TargetConfig;
      const keep = Math.ceil((LOOKBACK_MINUTES * MINUTE_MS) / setup.intervalMs) + 2;
      const past: PastDecision[] = [];
      let state: TuningState | null = null;
      const coldEvery =
        options.coldStartEveryTicks ?? (options.coldStartReads === 'always' ? 1 : COLD_START_EVERY_TICKS);
      // The cold-start count read last and when, as the controller's container keeps it.
      let cold: { readMs: number; series: MinuteSeries } | null = null;
      const seasonal = options.seasonal ?? false;
      // The last concurrency read and its back-off, as the controller's container keeps it.
      let concRead: ConcurrencyReadState | null = null;
      // The forecast in force on a deferred tick is the last one made (the chart shows it).
      let lastForecast = 0;
      const keepDecision = (d: ReturnType<typeof decide>, nowMs: number) => {
        state = d.state;
        past.unshift({
          windowStartMs: d.windowStartMs,
          warmedAtMs: nowMs + shift,
          count: d.count,
          reached: d.count,
          rawCount: rawCountToHold(d),
          replayed: replayedToHold(d),
        });
        if (past.length > keep) past.length = keep;
        // The simulator spreads a round at the rate pickHold assumes (`pingDispatchPerSec`) but reports no
        // spread back: the hold stays at the assumed rate, as the controller's first round would.
        return { warm: d.count, holdMs: d.count > 0 ? d.hold?.holdMs : undefined };
      };
      return {
        everyMs: setup.intervalMs,
        act: ({ nowMs, metrics }) => {
          const due = {
            state: concRead,
            target,
            nowMs: nowMs + shift,
            tickIntervalSeconds,
          };
          let readDue = concurrencyReadDue(due);
          // Cold starts delivered since the last read wake a deferred one (the metric stands in for the logs).
          let woken = 0;
          if (!readDue && concRead !== null && wakeAfter > 0) {
            const since = metrics.query('coldStarts', concRead.readMs - shift, nowMs, nowMs).values;
            const delivered = since.reduce<number>((a, v) => a + (v ?? 0), 0);
            readDue = concurrencyReadDue({ ...due, coldStartsSinceRead: delivered });
            if (readDue) woken = delivered;
          }
          if (!readDue && concRead !== null) {
            // A steady target: nothing read, the last decision kept (bounds and budget applied again).
            const empty = { startMs: nowMs + shift, values: [] as (number | null)[] };
            const d = decide(
              { target, tickIntervalSeconds, interference: options.interference, hold: options.hold },
              {
                concurrency: empty,
                coldStarts: empty,
                concurrencyReadAtMs: concRead.readMs,
                pastDecisions: past,
                capacity: { reservedConcurrency: null, unreservedConcurrency: null },
              },
              state,
              nowMs + shift,
            );
            return {
              ...keepDecision(d, nowMs),
              forecast: lastForecast,
              metricsRead: 0,
              keptDecision: true,
            };
          }
          const from = nowMs - LOOKBACK_MINUTES * MINUTE_MS;
          const ahead = nowMs + setup.intervalMs;
          const reference = (period: number) =>
            moved(metrics.query('concurrency', from - period, ahead - period, nowMs));
          const concurrency = moved(metrics.query('concurrency', from, nowMs, nowMs));
          // Reads only what the decision needs, as the controller does: the cold-start count only when the
          // concurrency shows the function ran beyond its pings; never Throttles (the fan-out knows its own).
          const readInput = {
            concurrency,
            pastDecisions: past,
            holdMs: target.holdMs,
            tickIntervalSeconds,
            nowMs: nowMs + shift,
            tuningUpdatedForWindowMs: state?.updatedForWindowMs ?? null,
          };
          const needed = options.coldStartReads === 'always' || coldStartsNeeded(readInput);
          // A needed count is read at most every K ticks, or at once on a rise; in between the last read is
          // reused, and the minutes since it stay missing.
          const readCold =
            needed &&
            (coldStartReadDue(cold?.readMs ?? null, nowMs, tickIntervalSeconds, coldEvery) ||
              (options.coldStartOnRise !== false &&
                cold !== null &&
                risenSinceColdRead(readInput, cold.readMs + shift)));
          if (readCold)
            cold = { readMs: nowMs, series: moved(metrics.query('coldStarts', from, nowMs, nowMs)) };
          const coldStarts =
            needed && cold ? cold.series : { startMs: from + shift, values: [] as (number | null)[] };
          const reused = needed && cold !== null && !readCold;
          const dayAgo = seasonal && nowMs >= DAY_MS ? reference(DAY_MS) : undefined;
          const weekAgo = seasonal && nowMs >= WEEK_MS ? reference(WEEK_MS) : undefined;
          const history: TargetHistory = {
            concurrency,
            dayAgo,
            weekAgo,
            coldStarts,
            ...(reused ? { coldStartsReadAtMs: (cold?.readMs ?? 0) + shift } : {}),
            ...(woken > 0 ? { wokenByColdStarts: woken } : {}),
            pastDecisions: past,
            capacity: { reservedConcurrency: null, unreservedConcurrency: null },
          };
          const metricsRead = 1 + (readCold ? 1 : 0) + (dayAgo ? 1 : 0) + (weekAgo ? 1 : 0);
          const d = decide(
            { target, tickIntervalSeconds, interference: options.interference, hold: options.hold },
            history,
            state,
            nowMs + shift,
          );
          concRead = afterConcurrencyRead(
            concRead,
            { nowMs: nowMs + shift, count: d.count, tickIntervalSeconds },
            target,
          );
          lastForecast = d.forecast.peak;
          return { ...keepDecision(d, nowMs), forecast: lastForecast, metricsRead };
        },
      };
    },
  };
}
