import {
  ConfigError,
  MIN_SHARED_SECRET_LENGTH,
  parseConfig,
  type TargetConfigInput,
  ValidationError,
  type WarmpoolConfigInput,
} from '@warmpool/core';
import { Duration, type SecretValue, type Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { type ConfigFilePlan, planConfigFile, tokenLengths } from './config-file.js';
import type { WarmpoolAlarmOptions, WarmpoolProps, WarmpoolSchedule, WarmpoolTarget } from './props.js';
import { type ResolvedTarget, resolveTarget } from './targets.js';
import {
  checkWakeMetricName,
  coldStartMetricName,
  planSubscriptions,
  targetLogGroup,
  type WakeSubscription,
  warnNoSubscription,
} from './wake.js';

/** What the construct builds from its props: the controller's config (with tokens) and the targets. */
export interface ControllerConfig {
  /** The whole config; may hold CloudFormation tokens. */
  readonly input: WarmpoolConfigInput;
  readonly targets: readonly ResolvedTarget[];
  /** The controllers a tick is split into: each runs its own slice of the targets, on its own schedule. */
  readonly shards: readonly ShardPlan[];
  readonly scheduleMinutes: number;
  readonly alarm: Required<WarmpoolAlarmOptions> | undefined;
}

/** One shard: a controller function of its own, with a role that names exactly its targets. */
export interface ShardPlan {
  readonly targets: readonly ResolvedTarget[];
  /** The shard's config as the file its controller reads, and the deploy-time values its environment carries. */
  readonly file: ConfigFilePlan;
  /**
   * Whether the shard's controller reads the account's unreserved concurrency (GetAccountSettings). Always: every
   * tick shares one budget across the targets without reserved concurrency, read from it, whatever their own
   * budget source; without the permission the tick cuts nothing and says so.
   */
  readonly readsAccountSettings: boolean;
  /**
   * The log subscriptions that deliver the shard's targets' cold starts to its wake function
   * (`wakeOnColdStarts`): one per distinct log group. Empty when the prop is off; the shard then has no wake
   * function.
   */
  readonly wake: readonly WakeSubscription[];
}

export const DEFAULT_SCHEDULE = Duration.minutes(5);
export const DEFAULT_ALARM: Required<WarmpoolAlarmOptions> = { threshold: 1, evaluationPeriods: 2 };

/**
 * Lambda caps a function's environment at 4 KB in total. The config itself travels as a file (any size), but
 * the values only deployment knows (names of functions defined in this app, the shared secret) travel in
 * `WARMPOOL_CONFIG_VALUES`, which must fit with room for the table name and the file's path. Each value is
 * counted at its longest: a function name 64 bytes, a version 10, the secret 128, any other token 140.
 */
export const MAX_CONFIG_ENV_BYTES = 3_800;
/** A function name is at most 64 characters; a version number, counted generously, 10. */
const FUNCTION_NAME_BYTES = 64;
const VERSION_BYTES = 10;

/**
 * Targets one controller runs when the construct splits a tick into shards. A conservative estimate, until the
 * fan-out's own figures replace it: the issue-12 measurements (2 cores, loopback stand-ins) took 1.7 s for 50
 * targets × 10 containers and 5.6 s for 50 × 100, against a 58 s deadline; a 512 MB Lambda has about a third of
 * a vCPU and dispatches over TLS, which the margin of ten leaves room for. 50 targets also read their metrics in
 * one GetMetricData call (at most 500 queries; a target takes 3 to 5), and their ARNs fit the shard role's
 * policies well within IAM's default quotas.
 */
export const DEFAULT_TARGETS_PER_SHARD = 50;
/**
 * The most targets one shard may take: its role names two ARNs of up to about 140 characters per target, and a
 * role holds at most 10,240 characters inline plus 10 managed policies of 6,144 (IAM's default quotas).
 */
export const MAX_TARGETS_PER_SHARD = 200;

const MS_PER_DAY = 86_400_000;

/** Props fields that the core config calls something else. */
const FIELD_NAMES: ReadonlyArray<[RegExp, string]> = [
  [/^tickIntervalSeconds$/, 'schedule'],
  [/^defaults\.decisionTtlDays$/, 'decisionTtl'],
  [/^(targets\[\d+\])\.functionName$/, '$1.function'],
  [/^(targets\[\d+\])\.architecture$/, '$1.function'],
  [/^(targets\[\d+\])\.logGroupName$/, '$1.function'],
];

function propField(field: string): string {
  for (const [pattern, replacement] of FIELD_NAMES) {
    if (pattern.test(field)) return field.replace(pattern, replacement);
  }
  return field;
}

/**
 * Builds the controller's config from the construct's props and validates it with core's `parseConfig`, so the
 * construct accepts exactly what the controller will. Tokens (ARNs of functions in this app) are swapped for
 * stable placeholders while validating. Every problem is collected and thrown together as one ConfigError whose
 * issues name the construct prop (`targets[0].min`) and the rule.
 */
export function buildControllerConfig(
  scope: IConstruct,
  stack: Stack,
  props: WarmpoolProps,
): ControllerConfig {
  const issues: ValidationError[] = [];
  const report = (issue: ValidationError) => issues.push(issue);

  const targets: ResolvedTarget[] = [];
  const inputs: TargetConfigInput[] = [];
  const checkInputs: TargetConfigInput[] = [];
  const labels = new Map<string, string>();
  /** Per resolved target: the log group its cold starts are delivered from, when they are. */
  const wakeFrom: ({ logGroupName: string; metricName: string } | undefined)[] = [];
  const wakeOn = props.wakeOnColdStarts ?? true;
  if (typeof wakeOn !== 'boolean') {
    report(new ValidationError('wakeOnColdStarts', 'must be a boolean', { detail: String(wakeOn) }));
  }
  const rawTargets = Array.isArray(props.targets) ? props.targets : [];
  if (!Array.isArray(props.targets)) report(new ValidationError('targets', 'must be an array of targets'));
  rawTargets.forEach((target: WarmpoolTarget, i) => {
    const resolved = resolveTarget(target, i, report, stack);
    if (!resolved) return;
    targets.push(resolved);
    const input = targetInput(target, resolved);
    const placeholder = Token.isUnresolved(resolved.configName) ? `f${resolved.fn.node.addr}` : undefined;
    const qualifier = Token.isUnresolved(resolved.qualifier) ? 'qualifier' : resolved.qualifier;
    if (placeholder) labels.set(placeholder, resolved.fn.node.path);
    // The user's own values are validated; the controller's config may then override them (wake off: 0).
    checkInputs.push({ ...input, functionName: placeholder ?? resolved.functionArn, qualifier });
    const wake = wakeOn === true ? wakeSource(scope, stack, target, resolved, i, report) : undefined;
    wakeFrom.push(wake);
    if (wake === undefined) input.wakeAfterColdStarts = 0;
    else if (wake.configName !== undefined) input.logGroupName = wake.configName;
    inputs.push(input);
  });

  const schedule = props.schedule ?? DEFAULT_SCHEDULE;
  const tickIntervalSeconds = schedule.toMilliseconds() / 1000;
  const shared = sharedSecret(stack, props.sharedSecret);
  const ttlDays = props.decisionTtl ? props.decisionTtl.toMilliseconds() / MS_PER_DAY : undefined;
  const input: WarmpoolConfigInput = {
    tickIntervalSeconds,
    ...(ttlDays !== undefined ? { defaults: { decisionTtlDays: ttlDays } } : {}),
    targets: inputs,
    ...(shared ? { sharedSecret: shared.value } : {}),
  };

  // Only check with parseConfig when every target resolved: a missing target would shift the indexes.
  if (targets.length === rawTargets.length) {
    const check: WarmpoolConfigInput = {
      ...input,
      targets: checkInputs,
      ...(shared ? { sharedSecret: shared.check } : {}),
    };
    try {
      parseConfig(check);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const issue of error.issues) report(remap(issue, labels));
    }
  }

  const targetsPerShard = props.targetsPerShard ?? DEFAULT_TARGETS_PER_SHARD;
  const perShard =
    Number.isInteger(targetsPerShard) && targetsPerShard >= 1 && targetsPerShard <= MAX_TARGETS_PER_SHARD;
  if (!perShard) {
    report(
      new ValidationError('targetsPerShard', `must be an integer from 1 to ${MAX_TARGETS_PER_SHARD}`, {
        detail: String(targetsPerShard),
      }),
    );
  }
  const lengths = tokenLengths(
    targets.flatMap((t): [string, number][] => [
      ...(t.configName !== t.functionArn ? [[t.configName, FUNCTION_NAME_BYTES] as [string, number]] : []),
      [t.qualifier, VERSION_BYTES],
    ]),
  );
  const count = perShard ? Math.max(1, Math.ceil(targets.length / targetsPerShard)) : 1;
  const shards = Array.from({ length: count }, (_, shard): ShardPlan => {
    const { start, end } = shardRange(shard, count, targets.length);
    const file = planConfigFile({ ...input, targets: inputs.slice(start, end) }, lengths);
    if (file.valuesBytes > MAX_CONFIG_ENV_BYTES) {
      report(
        new ValidationError(
          'targets',
          `deploy-time values must fit the controller's environment (${MAX_CONFIG_ENV_BYTES} bytes)`,
          {
            detail: `targets ${start} to ${end - 1}: ${file.values.length} values take up to ${file.valuesBytes} bytes; each function defined in this app adds its name: lower targetsPerShard, or pass functions defined elsewhere by ARN or name (Function.fromFunctionArn, fromFunctionName), which go into the config file`,
          },
        ),
      );
    }
    const wake = wakeFrom.slice(start, end).filter((w) => w !== undefined);
    return {
      targets: targets.slice(start, end),
      file,
      readsAccountSettings: true,
      wake: planSubscriptions(stack, wake),
    };
  });
  const alarm = alarmOptions(props.alarm, report);
  if (issues.length > 0) throw new ConfigError(issues, `Warmpool ${scope.node.path}`);
  return { input, targets, shards, scheduleMinutes: tickIntervalSeconds / 60, alarm };
}

/**
 * The targets of shard `shard` of `shards`: a contiguous, balanced slice `[start, end)` of `count` targets.
 * Shards differ in size by at most one and together cover every target exactly once; a target keeps its shard
 * as long as the targets before it and the shard count stay the same.
 */
export function shardRange(shard: number, shards: number, count: number): { start: number; end: number } {
  return { start: Math.floor((shard * count) / shards), end: Math.floor(((shard + 1) * count) / shards) };
}

function targetInput(target: WarmpoolTarget, resolved: ResolvedTarget): TargetConfigInput {
  const input: TargetConfigInput = { functionName: resolved.configName, qualifier: resolved.qualifier };
  if (target.min !== undefined) input.min = target.min;
  if (target.max !== undefined) input.max = target.max;
  if (target.holdMs !== undefined) input.holdMs = target.holdMs;
  if (target.budget !== undefined) input.budget = { ...target.budget };
  if (target.stabilization !== undefined) input.stabilization = { ...target.stabilization };
  if (target.model !== undefined) input.model = target.model;
  if (target.coldStartMetric !== undefined) input.coldStartMetric = { ...target.coldStartMetric };
  if (target.dryRun !== undefined) input.dryRun = target.dryRun;
  if (target.schedules !== undefined) input.schedules = target.schedules.map(scheduleInput);
  if (target.maxTicksBetweenReads !== undefined) input.maxTicksBetweenReads = target.maxTicksBetweenReads;
  if (target.wakeAfterColdStarts !== undefined) input.wakeAfterColdStarts = target.wakeAfterColdStarts;
  const memoryMb = target.memoryMb ?? resolved.memoryMb;
  if (memoryMb !== undefined) input.memoryMb = memoryMb;
  if (resolved.architecture === 'arm64' || resolved.architecture === 'x86_64') {
    input.architecture = resolved.architecture;
  }
  return input;
}

/**
 * Where a target's cold starts are delivered from while `wakeOnColdStarts` is on, and the log group name its
 * config needs (when not core's default); undefined when it gets no subscription: `wakeAfterColdStarts: 0`
 * (never woken, so nothing to deliver), a metric name a filter pattern cannot name (reported), or a target
 * whose log group the construct cannot subscribe to (a synth warning).
 */
function wakeSource(
  scope: IConstruct,
  stack: Stack,
  target: WarmpoolTarget,
  resolved: ResolvedTarget,
  index: number,
  report: (issue: ValidationError) => void,
): { logGroupName: string; metricName: string; configName: string | undefined } | undefined {
  if (target.wakeAfterColdStarts === 0) return undefined;
  const metricName = coldStartMetricName(target);
  if (!checkWakeMetricName(metricName, index, report)) return undefined;
  const logGroup = targetLogGroup(resolved.fn, stack);
  if ('skip' in logGroup) {
    warnNoSubscription(scope, index, resolved.fn, logGroup.skip);
    return undefined;
  }
  return { logGroupName: logGroup.name, metricName, configName: logGroup.configName };
}

/**
 * A construct schedule in the config's shape. The duration becomes whole minutes (`90m`); one that is not whole
 * minutes is passed as seconds (`90s`), which the core check names and rejects at synth.
 */
function scheduleInput(s: WarmpoolSchedule): NonNullable<TargetConfigInput['schedules']>[number] {
  const seconds = s.duration.toSeconds();
  const duration = seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
  return {
    expression: s.expression,
    duration,
    min: s.min,
    ...(s.timezone !== undefined ? { timezone: s.timezone } : {}),
    ...(s.max !== undefined ? { max: s.max } : {}),
    ...(s.start !== undefined ? { start: s.start } : {}),
  };
}

/**
 * The secret as the environment gets it (a token for Secrets Manager) and a stand-in to validate: the plain
 * text itself when the user passed one, else a value of valid length (the real one is only known at deploy).
 */
function sharedSecret(
  stack: Stack,
  secret: SecretValue | undefined,
): { value: string; check: string } | undefined {
  if (secret === undefined) return undefined;
  const resolved: unknown = stack.resolve(secret);
  const plain = typeof resolved === 'string' && !resolved.startsWith('{{resolve:') ? resolved : undefined;
  return { value: secret.unsafeUnwrap(), check: plain ?? 'x'.repeat(MIN_SHARED_SECRET_LENGTH) };
}

function alarmOptions(
  alarm: WarmpoolProps['alarm'],
  report: (issue: ValidationError) => void,
): Required<WarmpoolAlarmOptions> | undefined {
  if (alarm === false) return undefined;
  const options = { ...DEFAULT_ALARM, ...(alarm === true || alarm === undefined ? {} : alarm) };
  if (!(Number.isFinite(options.threshold) && options.threshold >= 1)) {
    report(
      new ValidationError('alarm.threshold', 'must be a number ≥ 1', { detail: String(options.threshold) }),
    );
  }
  if (!(Number.isInteger(options.evaluationPeriods) && options.evaluationPeriods >= 1)) {
    report(
      new ValidationError('alarm.evaluationPeriods', 'must be an integer ≥ 1', {
        detail: String(options.evaluationPeriods),
      }),
    );
  }
  return options;
}

/** Renames a core issue's field to the construct prop and its placeholder target to the function's path. */
function remap(issue: ValidationError, labels: ReadonlyMap<string, string>): ValidationError {
  const head = `${issue.field}: ${issue.rule}`;
  const at = issue.message.indexOf(head);
  const tail = at < 0 ? '' : issue.message.slice(at + head.length).trim();
  let detail = tail.startsWith('(') && tail.endsWith(')') ? tail.slice(1, -1) : tail;
  let target = issue.target;
  for (const [placeholder, label] of labels) {
    detail = detail.replaceAll(placeholder, label);
    target = target?.replaceAll(placeholder, label);
  }
  return new ValidationError(propField(issue.field), issue.rule, {
    ...(target ? { target } : {}),
    ...(detail ? { detail } : {}),
  });
}
