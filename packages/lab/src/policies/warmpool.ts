import type {
  ForecastModelChoice,
  InterferenceOptions,
  PastDecision,
  TargetConfig,
  TargetHistory,
  TuningState,
} from '@warmpool/core';
import { decide, LOOKBACK_MINUTES, parseConfig } from '@warmpool/core';
import { MINUTE_MS } from '../sim/minute-metrics.js';
import { POLICY_KINDS, type Policy } from './types.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export interface WarmpoolPolicyOptions {
  /** Forecast model (default `auto`); a fixed model makes a `warmpool-<model>` policy for comparisons. */
  readonly model?: ForecastModelChoice;
  /** Upper bound on warm containers; the backtest default is the default account concurrency. */
  readonly max?: number;
  readonly min?: number;
  /** Read the day-ago and week-ago references (seasonal-naive needs them). Default true. */
  readonly seasonal?: boolean;
  readonly name?: string;
  /** Knobs of decide()'s interference check (its defaults where absent), for sweeps. */
  readonly interference?: InterferenceOptions;
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
  return {
    name,
    kind: POLICY_KINDS.warm,
    create: (setup) => {
      const tickIntervalSeconds = setup.intervalMs / 1000;
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
          },
        ],
      });
      const target = config.targets[0] as TargetConfig;
      const keep = Math.ceil((LOOKBACK_MINUTES * MINUTE_MS) / setup.intervalMs) + 2;
      const past: PastDecision[] = [];
      let state: TuningState | null = null;
      const seasonal = options.seasonal ?? true;
      return {
        everyMs: setup.intervalMs,
        act: ({ nowMs, metrics }) => {
          const from = nowMs - LOOKBACK_MINUTES * MINUTE_MS;
          const ahead = nowMs + setup.intervalMs;
          const reference = (period: number) =>
            metrics.query('concurrency', from - period, ahead - period, nowMs);
          const history: TargetHistory = {
            concurrency: metrics.query('concurrency', from, nowMs, nowMs),
            dayAgo: seasonal && nowMs >= DAY_MS ? reference(DAY_MS) : undefined,
            weekAgo: seasonal && nowMs >= WEEK_MS ? reference(WEEK_MS) : undefined,
            coldStarts: metrics.query('coldStarts', from, nowMs, nowMs),
            throttles: metrics.query('throttles', from, nowMs, nowMs),
            pastDecisions: past,
            capacity: { reservedConcurrency: null, unreservedConcurrency: null },
          };
          const d = decide(
            { target, tickIntervalSeconds, interference: options.interference },
            history,
            state,
            nowMs,
          );
          state = d.state;
          past.unshift({
            windowStartMs: d.windowStartMs,
            warmedAtMs: nowMs,
            count: d.count,
            reached: d.count,
          });
          if (past.length > keep) past.length = keep;
          // The simulator fires a round at one instant, so there is no dispatch spread to report back: the
          // hold stays at pickHold's assumed rate, as the controller's first round would.
          return {
            warm: d.count,
            holdMs: d.count > 0 ? d.hold?.holdMs : undefined,
            forecast: d.forecast.peak,
          };
        },
      };
    },
  };
}
