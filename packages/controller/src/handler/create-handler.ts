import type { Clock, WarmpoolConfig } from '@warmpool/core';
import { runTick } from '../tick/run-tick.js';
import type { TickDeps, TickResult } from '../tick/types.js';
import {
  type CloudWatchLogsEvent,
  handleColdStartDelivery,
  isCloudWatchLogsEvent,
  type WakeResult,
} from './cold-start-logs.js';
import { configEnvKey, configFromEnv } from './config-from-env.js';

/** The parts of the Lambda context the handler reads. */
export interface HandlerContext {
  readonly awsRequestId?: string;
  getRemainingTimeInMillis(): number;
}

/** The fields of an EventBridge scheduled event the handler reads. */
export interface ScheduledEvent {
  readonly id?: string;
  /** The scheduled time (ISO 8601); the same in every delivery of one event. */
  readonly time?: string;
}

/** Time kept back from Lambda's timeout so the tick returns (and logs) before it is killed. */
export const HANDLER_TIMEOUT_MARGIN_MS = 2_000;

export interface HandlerOptions {
  /** Builds the ports for a config (AWS clients in production, stand-ins in tests). */
  readonly deps: (config: WarmpoolConfig, env: Readonly<Record<string, string | undefined>>) => TickDeps;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
}

/** The controller's entry: a scheduled tick, or a delivery of the targets' cold-start log lines. */
export interface ControllerHandler {
  (event: CloudWatchLogsEvent, context: HandlerContext): Promise<WakeResult>;
  (event: ScheduledEvent | undefined, context: HandlerContext): Promise<TickResult>;
}

/**
 * The controller Lambda's handler: load and validate config (a bad config throws a ConfigError before any AWS
 * call), then either run one tick within the remaining time (a scheduled event), or count a delivery of the
 * targets' cold-start log lines on their wake marks (a CloudWatch Logs subscription event). The tick time is the
 * event's scheduled `time` when it is close to the clock, so a redelivered event decides for the same window as
 * the first delivery.
 */
export function createHandler(options: HandlerOptions): ControllerHandler {
  let cached: { key: string; config: WarmpoolConfig; deps: TickDeps } | undefined;
  const handle = async (
    event: ScheduledEvent | CloudWatchLogsEvent | undefined,
    context: HandlerContext,
  ): Promise<TickResult | WakeResult> => {
    const env = options.env ?? process.env;
    const key = configEnvKey(env);
    if (!cached || cached.key !== key) {
      const config = configFromEnv(env);
      cached = { key, config, deps: options.deps(config, env) };
    }
    const { config, deps } = cached;
    if (isCloudWatchLogsEvent(event)) return handleColdStartDelivery(event, config, deps.wakes, deps.log);
    const clock = options.clock ?? deps.clock;
    const now = clock.now();
    const scheduled = event?.time ? Date.parse(event.time) : Number.NaN;
    const nowMs =
      Number.isFinite(scheduled) && Math.abs(now - scheduled) < config.tickIntervalSeconds * 1000
        ? scheduled
        : now;
    return runTick(deps, config, nowMs, {
      timeBudgetMs: Math.max(1, context.getRemainingTimeInMillis() - HANDLER_TIMEOUT_MARGIN_MS),
      tickId: context.awsRequestId ?? event?.id,
    });
  };
  return handle as ControllerHandler;
}
