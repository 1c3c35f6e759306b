/**
 * The controller Lambda's entry point (the CDK construct bundles this file). Config from `WARMPOOL_CONFIG`
 * (JSON) or `WARMPOOL_CONFIG_FILE` (path), the decision table from `WARMPOOL_TABLE`; logs and EMF metrics go
 * to stdout, where Lambda ships them to CloudWatch Logs.
 */
import { stdoutSink } from '../log/logger.js';
import { buildAwsTickDeps } from './aws-warm.js';
import { tableFromEnv } from './config-from-env.js';
import { createHandler } from './create-handler.js';

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
