import type { WarmpoolConfig } from '@warmpool/core';
import { createLogger, type LineSink, type Logger, stdoutSink } from '../log/logger.js';
import type { WakeStore } from '../ports/wake-store.js';
import {
  type CloudWatchLogsEvent,
  handleColdStartDelivery,
  isCloudWatchLogsEvent,
  type WakeResult,
} from './cold-start-logs.js';
import { configEnvKey, configFromEnv } from './config-from-env.js';

export interface WakeHandlerOptions {
  /** Builds the wake store for a config (DynamoDB in production, a fake in tests). */
  readonly wakes: (config: WarmpoolConfig, env: Readonly<Record<string, string | undefined>>) => WakeStore;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the JSON log lines go (stdout in Lambda). */
  readonly sink?: LineSink;
}

/**
 * The handler of the cold-start subscription's own small function (the construct deploys one per controller):
 * it only counts deliveries on the targets' wake marks, and never ticks, so a burst of deliveries never takes
 * the controller's single slot from a scheduled tick. Anything but a CloudWatch Logs event is refused.
 */
export function createWakeHandler(options: WakeHandlerOptions) {
  let cached: { key: string; config: WarmpoolConfig; wakes: WakeStore; log: Logger } | undefined;
  return async (event: CloudWatchLogsEvent): Promise<WakeResult> => {
    const env = options.env ?? process.env;
    const key = configEnvKey(env);
    if (!cached || cached.key !== key) {
      const config = configFromEnv(env);
      const log = createLogger(options.sink ?? stdoutSink, { service: 'warmpool-wake' });
      cached = { key, config, wakes: options.wakes(config, env), log };
    }
    if (!isCloudWatchLogsEvent(event))
      throw new TypeError('the wake handler takes CloudWatch Logs subscription events only (awslogs.data)');
    return handleColdStartDelivery(event, cached.config, cached.wakes, cached.log);
  };
}
