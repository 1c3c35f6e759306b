import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DECISION_TABLE_SCHEMA, type TickFaultMetric } from '@warmpool/core';
import { Duration, Stack } from 'aws-cdk-lib';
import type { Alarm, Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, type ITable, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Rule } from 'aws-cdk-lib/aws-events';
import type { Role } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  type Function as LambdaFunction,
  type LayerVersion,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { faultAlarms } from './alarms.js';
import { buildControllerConfig } from './config.js';
import { type ControllerShard, controllerShard } from './controller-shard.js';
import { warmpoolDashboard } from './dashboard.js';
import type { WarmpoolProps } from './props.js';

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
 * DynamoDB and warms that many containers. With more than `targetsPerShard` targets, one controller per shard
 * of targets, each with its own config, role, schedule and alarm. See docs/deploy.md.
 */
export class Warmpool extends Construct {
  /** The decisions table (created here, or the one passed in `table`). */
  readonly table: ITable;
  /** The controller function (the first shard's, when the targets are split into shards). */
  readonly controller: LambdaFunction;
  /** The controller's execution role (the first shard's). */
  readonly role: Role;
  /** The schedule that runs the controller (the first shard's). */
  readonly rule: Rule;
  /** The layer that carries the controller's config file, `/opt/warmpool/config.json` (the first shard's). */
  readonly configLayer: LayerVersion;
  /** The alarm on repeated tick failures, unless `alarm: false` (the first shard's). */
  readonly alarm: Alarm | undefined;
  /**
   * Alarms on the controller's fault metrics (TargetFailed, DecisionWriteFailed, ShortRound, HelperMissing),
   * unless `alarm: false`: a tick does not fail for those, so `alarm` alone would stay quiet.
   */
  readonly faultAlarms: Readonly<Record<TickFaultMetric, Alarm>> | undefined;
  /**
   * Every shard's controller, role, config layer, schedule, alarm, and its wake function and cold-start log
   * subscriptions (`wakeOnColdStarts`); one unless targets exceed `targetsPerShard`.
   */
  readonly shards: readonly ControllerShard[];
  /** The dashboard, when `dashboard: true`. */
  readonly dashboard: Dashboard | undefined;

  constructor(scope: Construct, id: string, props: WarmpoolProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const config = buildControllerConfig(this, stack, props);

    this.table = props.table ?? this.createTable();

    // One log group for every shard: a tick's lines carry its targets, and one place answers for all of them.
    // The wake functions write theirs there too (service `warmpool-wake`), with the same retention.
    const logGroup = new LogGroup(this, 'ControllerLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    const schedule = Duration.minutes(config.scheduleMinutes);
    const code = props.controllerCode ?? controllerAsset();
    const options = {
      code,
      runtime: CONTROLLER_RUNTIME,
      timeout: CONTROLLER_TIMEOUT,
      memoryMb: CONTROLLER_MEMORY_MB,
      // Pure JavaScript, prebundled: arm64 by default (about 20% cheaper per GB-second), overridable.
      architecture: props.controllerArchitecture ?? Architecture.ARM_64,
      table: this.table,
      logGroup,
      schedule,
      scheduleMinutes: config.scheduleMinutes,
      shards: config.shards.length,
      alarm: config.alarm,
    };
    this.shards = config.shards.map((plan, index) =>
      controllerShard(index === 0 ? this : new Construct(this, `Shard${index + 1}`), plan, index, options),
    );
    const first = this.shards[0] as ControllerShard;
    this.controller = first.controller;
    this.role = first.role;
    this.rule = first.rule;
    this.configLayer = first.configLayer;
    this.alarm = first.alarm;

    this.faultAlarms = config.alarm
      ? faultAlarms(this, { period: schedule, evaluationPeriods: config.alarm.evaluationPeriods })
      : undefined;
    this.dashboard = props.dashboard
      ? warmpoolDashboard(this, 'Dashboard', {
          targets: config.targets,
          controllers: this.shards.map((s) => s.controller),
          schedule,
        })
      : undefined;
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
