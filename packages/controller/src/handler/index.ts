/**
 * The controller Lambda's entry points (the CDK construct bundles this file): `handler`, the scheduled tick, and
 * `wakeHandler`, the cold-start subscription's function. Config from `WARMPOOL_CONFIG` (JSON) or
 * `WARMPOOL_CONFIG_FILE` (path), the decision table from `WARMPOOL_TABLE`; logs and EMF metrics go to stdout,
 * where Lambda ships them to CloudWatch Logs.
 */
import { createDynamoDbDocumentClient } from '../adapters/dynamodb-client.js';
import { DynamoDbWakeStore } from '../adapters/dynamodb-wake-store.js';
import { stdoutSink } from '../log/logger.js';
import { buildAwsTickDeps } from './aws-warm.js';
import { tableFromEnv } from './config-from-env.js';
import { createHandler } from './create-handler.js';
import { createWakeHandler } from './wake-handler.js';

export const handler = createHandler({
  deps: (config, env) =>
    buildAwsTickDeps({
      config,
      table: tableFromEnv(env),
      region: env.AWS_REGION,
      endpoints: {},
      sink: stdoutSink,
    }),
});

export const wakeHandler = createWakeHandler({
  wakes: (_config, env) =>
    new DynamoDbWakeStore(createDynamoDbDocumentClient({ region: env.AWS_REGION }), tableFromEnv(env)),
});
