import { HANDLER_ENV } from '@warmpool/core';
import { type Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  type Architecture,
  Code,
  Function as LambdaFunction,
  LayerVersion,
  type Runtime,
} from 'aws-cdk-lib/aws-lambda';
import type { CfnSubscriptionFilter, ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ShardPlan } from './config.js';
import { CONFIG_FILE_IN_LAMBDA, writeConfigDir } from './config-file.js';
import { acknowledgeNagFindings } from './nag.js';
import { grantControllerPermissions, grantWakePermissions } from './permissions.js';
import type { WarmpoolAlarmOptions } from './props.js';
import { WAKE_MEMORY_MB, WAKE_RESERVED_CONCURRENCY, WAKE_TIMEOUT, wakeSubscriptions } from './wake.js';

/**
 * The bundle's file (`index.mjs`) and its two entry points: the scheduled tick, and the cold-start deliveries'
 * `wakeHandler` (`wakeOnColdStarts`). A `controllerCode` of the user's own exports both.
 */
const ENTRY_FILE = 'index';
const CONTROLLER_HANDLER = `${ENTRY_FILE}.handler`;
const WAKE_HANDLER = `${ENTRY_FILE}.wakeHandler`;

/** What every shard's controller shares. */
export interface ShardOptions {
  readonly code: Code;
  readonly runtime: Runtime;
  readonly timeout: Duration;
  readonly memoryMb: number;
  readonly architecture: Architecture;
  readonly table: ITable;
  readonly logGroup: ILogGroup;
  readonly schedule: Duration;
  readonly scheduleMinutes: number;
  readonly shards: number;
  readonly alarm: Required<WarmpoolAlarmOptions> | undefined;
}

/** One shard's resources. */
export interface ControllerShard {
  readonly controller: LambdaFunction;
  readonly role: Role;
  readonly configLayer: LayerVersion;
  readonly rule: Rule;
  readonly alarm: Alarm | undefined;
  /**
   * The small function the shard's log subscriptions deliver its targets' cold starts to (`wakeOnColdStarts`),
   * never the controller itself; undefined when the shard has no subscription.
   */
  readonly wakeFunction: LambdaFunction | undefined;
  /**
   * The log subscriptions delivering its targets' cold starts to its wake function (`wakeOnColdStarts`): one per
   * distinct log group; empty when off.
   */
  readonly wakeFilters: readonly CfnSubscriptionFilter[];
  /**
   * The alarm on the wake function's errors (with `alarm`, and a wake function): a failing wake function is
   * otherwise silent, its targets simply waiting out their back-off.
   */
  readonly wakeAlarm: Alarm | undefined;
}

/**
 * One controller: a function with its own config (the shard's targets), its own role (invoke and read exactly
 * those targets), its own schedule and alarm, and with `wakeOnColdStarts` its own wake function and log
 * subscriptions. Shards share the table and the log group. Nothing in a controller knows of the others:
 * EventBridge runs each on the schedule, so one shard failing or running late does not hold up another, and each
 * keeps the single-controller guarantees (reserved concurrency 1, a decision per target and window). `scope` is
 * the Warmpool construct itself for shard 0, so a deployment that grows from one shard to several keeps its
 * first controller, role and rule.
 */
export function controllerShard(
  scope: Construct,
  plan: ShardPlan,
  index: number,
  options: ShardOptions,
): ControllerShard {
  const stack = Stack.of(scope);
  const of = options.shards === 1 ? '' : ` (shard ${index + 1} of ${options.shards})`;
  const role = new Role(scope, 'ControllerRole', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `Warmpool controller${of}: reads metrics, records decisions, invokes the warm targets`,
  });

  // The config travels as a file in a layer of its own, so it has no size limit worth the name (a layer may
  // hold 250 MB) and works with any `controllerCode`; its asset changes exactly when the config does.
  const configLayer = new LayerVersion(scope, 'Config', {
    code: Code.fromAsset(writeConfigDir(plan.file)),
    compatibleArchitectures: [options.architecture],
    compatibleRuntimes: [options.runtime],
    description: `Warmpool controller config${of} (/opt/warmpool/config.json)`,
  });

  // The config and the table, for the controller and the wake function alike: both parse the same config.
  const environment = {
    [HANDLER_ENV.configFile]: CONFIG_FILE_IN_LAMBDA,
    ...(plan.file.values.length > 0
      ? { [HANDLER_ENV.configValues]: stack.toJsonString(plan.file.values) }
      : {}),
    [HANDLER_ENV.table]: options.table.tableName,
    NODE_OPTIONS: '--enable-source-maps',
  };

  const controller = new LambdaFunction(scope, 'Controller', {
    runtime: options.runtime,
    architecture: options.architecture,
    timeout: options.timeout,
    memorySize: options.memoryMb,
    // One tick at a time: EventBridge may deliver a tick twice, and two controllers would race on the fan-out.
    reservedConcurrentExecutions: 1,
    // A failed tick is not retried: the next scheduled tick decides afresh for its own window.
    retryAttempts: 0,
    role,
    logGroup: options.logGroup,
    description: `Warmpool controller${of}`,
    layers: [configLayer],
    environment,
    code: options.code,
    handler: CONTROLLER_HANDLER,
  });

  grantControllerPermissions({
    role,
    logGroup: options.logGroup,
    table: options.table,
    targets: plan.targets,
    readsAccountSettings: plan.readsAccountSettings,
  });

  const rule = new Rule(scope, 'Schedule', {
    schedule: Schedule.rate(options.schedule),
    description: `Runs the Warmpool controller${of} every ${options.scheduleMinutes} minute(s)`,
  });
  // A tick delivered later than one period is stale: the next one is already due.
  rule.addTarget(new LambdaTarget(controller, { maxEventAge: options.schedule, retryAttempts: 2 }));

  const alarm = errorsAlarm(
    scope,
    'TickFailures',
    `Warmpool controller${of} ticks are failing repeatedly`,
    controller,
    options,
  );

  const wakeFunction =
    plan.wake.length > 0 ? createWakeFunction(scope, of, options, configLayer, environment) : undefined;
  const wakeFilters = wakeFunction ? wakeSubscriptions(scope, wakeFunction, plan.wake).filters : [];
  const wakeAlarm = wakeFunction
    ? errorsAlarm(
        scope,
        'WakeFailures',
        `Warmpool wake function${of} is failing: cold starts do not bring deferred reads forward (the targets wait out their back-off)`,
        wakeFunction,
        options,
      )
    : undefined;

  acknowledgeNagFindings(role);
  return { controller, role, configLayer, rule, alarm, wakeFunction, wakeFilters, wakeAlarm };
}

/** An alarm on a function's `Errors` with the construct's alarm options; none with `alarm: false`. */
function errorsAlarm(
  scope: Construct,
  id: string,
  description: string,
  fn: LambdaFunction,
  options: ShardOptions,
): Alarm | undefined {
  if (!options.alarm) return undefined;
  return new Alarm(scope, id, {
    alarmDescription: description,
    metric: fn.metricErrors({ period: options.schedule, statistic: 'Sum' }),
    threshold: options.alarm.threshold,
    evaluationPeriods: options.alarm.evaluationPeriods,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/**
 * The shard's wake function (`wakeOnColdStarts`): the controller's code, runtime, architecture, config layer,
 * environment and log group, with the `wakeHandler` entry point, little memory, a short timeout, a reserved
 * concurrency of its own, and a role that may only write wake marks and its own logs. It takes the log
 * deliveries so that the controller's single slot stays free for its ticks.
 */
function createWakeFunction(
  scope: Construct,
  of: string,
  options: ShardOptions,
  configLayer: LayerVersion,
  environment: Record<string, string>,
): LambdaFunction {
  const role = new Role(scope, 'WakeRole', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `Warmpool wake function${of}: counts delivered cold starts on the decision table`,
  });
  const fn = new LambdaFunction(scope, 'WakeFunction', {
    runtime: options.runtime,
    architecture: options.architecture,
    timeout: WAKE_TIMEOUT,
    memorySize: WAKE_MEMORY_MB,
    reservedConcurrentExecutions: WAKE_RESERVED_CONCURRENCY,
    role,
    logGroup: options.logGroup,
    description: `Warmpool wake on cold starts${of}`,
    layers: [configLayer],
    environment,
    code: options.code,
    handler: WAKE_HANDLER,
  });
  grantWakePermissions({ role, logGroup: options.logGroup, table: options.table });
  return fn;
}
