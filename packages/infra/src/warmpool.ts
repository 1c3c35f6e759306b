import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DECISION_TABLE_SCHEMA, HANDLER_ENV } from '@warmpool/core';
import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type Dashboard, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, type ITable, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Rule } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  Function as LambdaFunction,
  LayerVersion,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildControllerConfig } from './config.js';
import { CONFIG_FILE_IN_LAMBDA, writeConfigDir } from './config-file.js';
import { warmpoolDashboard } from './dashboard.js';
import { acknowledgeNagFindings } from './nag.js';
import { grantControllerPermissions } from './permissions.js';
import type { WarmpoolProps } from './props.js';
import { shardSchedules } from './schedule.js';

/**
 * The prebundled controller: one ESM file (handler, core, protocol, pinned AWS SDK clients) that `pnpm build`
 * writes into this package's `assets/controller`. Shipping it prebuilt means a user's synth needs no esbuild,
 * no Docker and no source tree.
 */
export const CONTROLLER_ASSET_DIR = fileURLToPath(new URL('../assets/controller', import.meta.url));

/** The newest Node.js runtime aws-cdk-lib 2.276 offers. */
export const CONTROLLER_RUNTIME = Runtime.NODEJS_24_X;

/**
 * Lambda timeout of one tick. The handler gives the tick the remaining time minus a margin
 * (HANDLER_TIMEOUT_MARGIN_MS), so the fan-out deadline always falls inside it. A minute is far more than one
 * GetMetricData call, a few DynamoDB writes and a fan-out of holds capped at 10 s need, and never longer than
 * the shortest schedule, so ticks do not pile up behind the reserved concurrency of 1.
 */
export const CONTROLLER_TIMEOUT = Duration.seconds(60);

/** Memory for the controller: the fan-out keeps up to `max` Invokes in flight at once. */
export const CONTROLLER_MEMORY_MB = 512;

/**
 * Warmpool: a scheduled controller Lambda that forecasts each target's concurrency, records its decision in
 * DynamoDB and warms that many containers. See docs/deploy.md.
 */
export class Warmpool extends Construct {
  /** The decisions table (created here, or the one passed in `table`). */
  readonly table: ITable;
  /** The controller function. */
  readonly controller: LambdaFunction;
  /** The controller's execution role. */
  readonly role: Role;
  /** The schedule that runs the controller (shard 0's, when the targets are split into shards). */
  readonly rule: Rule;
  /** One schedule per shard (a single one unless there are more than `targetsPerShard` targets). */
  readonly rules: readonly Rule[];
  /** The layer that carries the controller's config file (`/opt/warmpool/config.json`). */
  readonly configLayer: LayerVersion;
  /** The alarm on repeated tick failures, unless `alarm: false`. */
  readonly alarm: Alarm | undefined;
  /** The dashboard, when `dashboard: true`. */
  readonly dashboard: Dashboard | undefined;

  constructor(scope: Construct, id: string, props: WarmpoolProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const config = buildControllerConfig(this, stack, props);

    this.table = props.table ?? this.createTable();

    const logGroup = new LogGroup(this, 'ControllerLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    this.role = new Role(this, 'ControllerRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Warmpool controller: reads metrics, records decisions, invokes the warm targets',
    });

    // The config travels as a file in a layer of its own, so it has no size limit worth the name (a layer may
    // hold 250 MB) and works with any `controllerCode`; its asset changes exactly when the config does.
    this.configLayer = new LayerVersion(this, 'Config', {
      code: Code.fromAsset(writeConfigDir(config.file)),
      compatibleArchitectures: [Architecture.ARM_64],
      compatibleRuntimes: [CONTROLLER_RUNTIME],
      description: 'Warmpool controller config (/opt/warmpool/config.json)',
    });

    const schedule = Duration.minutes(config.scheduleMinutes);
    this.controller = new LambdaFunction(this, 'Controller', {
      runtime: CONTROLLER_RUNTIME,
      architecture: Architecture.ARM_64,
      timeout: CONTROLLER_TIMEOUT,
      memorySize: CONTROLLER_MEMORY_MB,
      // One invocation per shard at a time, and no more: EventBridge may deliver a shard's tick twice, and the
      // second run then finds each target's decision already recorded for the window (a conditional put) and
      // warms nothing; the cap keeps the controller's footprint on the account's concurrency fixed.
      reservedConcurrentExecutions: config.shards,
      // A failed tick is not retried: the next scheduled tick decides afresh for its own window.
      retryAttempts: 0,
      // A tick throttled behind its own duplicate is dropped once the next one is due, not run hours late.
      maxEventAge: schedule,
      role: this.role,
      logGroup,
      description: 'Warmpool controller',
      layers: [this.configLayer],
      environment: {
        [HANDLER_ENV.configFile]: CONFIG_FILE_IN_LAMBDA,
        ...(config.file.values.length > 0
          ? { [HANDLER_ENV.configValues]: stack.toJsonString(config.file.values) }
          : {}),
        [HANDLER_ENV.table]: this.table.tableName,
        NODE_OPTIONS: '--enable-source-maps',
      },
      code: props.controllerCode ?? controllerAsset(),
      handler: 'index.handler',
    });

    grantControllerPermissions({
      role: this.role,
      logGroup,
      table: this.table,
      targets: config.targets,
      readsAccountSettings: config.readsAccountSettings,
    });

    this.rules = shardSchedules(this, {
      controller: this.controller,
      schedule,
      minutes: config.scheduleMinutes,
      shards: config.shards,
    });
    this.rule = this.rules[0] as Rule;

    this.alarm = config.alarm
      ? new Alarm(this, 'TickFailures', {
          alarmDescription: 'Warmpool controller ticks are failing repeatedly',
          metric: this.controller.metricErrors({ period: schedule, statistic: 'Sum' }),
          threshold: config.alarm.threshold,
          evaluationPeriods: config.alarm.evaluationPeriods,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        })
      : undefined;
    this.dashboard = props.dashboard
      ? warmpoolDashboard(this, 'Dashboard', {
          targets: config.targets,
          controller: this.controller,
          schedule,
        })
      : undefined;

    acknowledgeNagFindings(this.role);
  }

  private createTable(): TableV2 {
    return new TableV2(this, 'Decisions', {
      partitionKey: { name: DECISION_TABLE_SCHEMA.partitionKey, type: AttributeType.STRING },
      sortKey: { name: DECISION_TABLE_SCHEMA.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: DECISION_TABLE_SCHEMA.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
  }
}

/** The controller asset, or an error that says how to produce it (only a workspace checkout can lack it). */
function controllerAsset(): Code {
  if (!existsSync(join(CONTROLLER_ASSET_DIR, 'index.mjs'))) {
    throw new Error(
      `Warmpool: the prebundled controller is missing at ${CONTROLLER_ASSET_DIR}. In the Warmpool repository, run \`pnpm build\` first; an installed @warmpool/infra ships it.`,
    );
  }
  return Code.fromAsset(CONTROLLER_ASSET_DIR);
}
