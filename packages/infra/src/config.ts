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
import type { WarmpoolAlarmOptions, WarmpoolProps, WarmpoolSchedule, WarmpoolTarget } from './props.js';
import { type ResolvedTarget, resolveTarget } from './targets.js';

/** What the construct builds from its props: the controller's config (with tokens) and the targets. */
export interface ControllerConfig {
  /** The config the controller reads from WARMPOOL_CONFIG; may hold CloudFormation tokens. */
  readonly input: WarmpoolConfigInput;
  readonly targets: readonly ResolvedTarget[];
  readonly scheduleMinutes: number;
  readonly alarm: Required<WarmpoolAlarmOptions> | undefined;
  /** Whether some target budgets against the account's unreserved concurrency (GetAccountSettings). */
  readonly readsAccountSettings: boolean;
}

export const DEFAULT_SCHEDULE = Duration.minutes(5);
export const DEFAULT_ALARM: Required<WarmpoolAlarmOptions> = { threshold: 1, evaluationPeriods: 2 };

/**
 * Lambda caps a function's environment at 4 KB in total. The config is passed inline, so it must fit with room
 * for the table name; tokens (ARNs) are counted at a generous length because their values are unknown here.
 */
export const MAX_CONFIG_ENV_BYTES = 3_800;
const TOKEN_ESTIMATE = 'x'.repeat(140);

const MS_PER_DAY = 86_400_000;

/** Props fields that the core config calls something else. */
const FIELD_NAMES: ReadonlyArray<[RegExp, string]> = [
  [/^tickIntervalSeconds$/, 'schedule'],
  [/^defaults\.decisionTtlDays$/, 'decisionTtl'],
  [/^(targets\[\d+\])\.functionName$/, '$1.function'],
  [/^(targets\[\d+\])\.architecture$/, '$1.function'],
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
  const rawTargets = Array.isArray(props.targets) ? props.targets : [];
  if (!Array.isArray(props.targets)) report(new ValidationError('targets', 'must be an array of targets'));
  rawTargets.forEach((target: WarmpoolTarget, i) => {
    const resolved = resolveTarget(target, i, report);
    if (!resolved) return;
    targets.push(resolved);
    const input = targetInput(target, resolved);
    inputs.push(input);
    const placeholder = Token.isUnresolved(resolved.functionArn) ? `f${resolved.fn.node.addr}` : undefined;
    const qualifier = Token.isUnresolved(resolved.qualifier) ? 'qualifier' : resolved.qualifier;
    if (placeholder) labels.set(placeholder, resolved.fn.node.path);
    checkInputs.push({ ...input, functionName: placeholder ?? resolved.functionArn, qualifier });
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
    const bytes = Buffer.byteLength(
      JSON.stringify({
        ...check,
        targets: check.targets.map((t) => ({ ...t, functionName: TOKEN_ESTIMATE })),
      }),
    );
    if (bytes > MAX_CONFIG_ENV_BYTES) {
      report(
        new ValidationError(
          'targets',
          `must fit the controller's environment (${MAX_CONFIG_ENV_BYTES} bytes)`,
          {
            detail: `the config takes about ${bytes} bytes; split the targets over two Warmpool constructs`,
          },
        ),
      );
    }
  }

  const alarm = alarmOptions(props.alarm, report);
  if (issues.length > 0) throw new ConfigError(issues, `Warmpool ${scope.node.path}`);
  return {
    input,
    targets,
    scheduleMinutes: tickIntervalSeconds / 60,
    alarm,
    readsAccountSettings: inputs.some((t) => t.budget?.source === 'unreserved'),
  };
}

function targetInput(target: WarmpoolTarget, resolved: ResolvedTarget): TargetConfigInput {
  const input: TargetConfigInput = { functionName: resolved.functionArn, qualifier: resolved.qualifier };
  if (target.min !== undefined) input.min = target.min;
  if (target.max !== undefined) input.max = target.max;
  if (target.holdMs !== undefined) input.holdMs = target.holdMs;
  if (target.budget !== undefined) input.budget = { ...target.budget };
  if (target.model !== undefined) input.model = target.model;
  if (target.coldStartMetric !== undefined) input.coldStartMetric = { ...target.coldStartMetric };
  if (target.dryRun !== undefined) input.dryRun = target.dryRun;
  if (target.schedules !== undefined) input.schedules = target.schedules.map(scheduleInput);
  const memoryMb = target.memoryMb ?? resolved.memoryMb;
  if (memoryMb !== undefined) input.memoryMb = memoryMb;
  if (resolved.architecture === 'arm64' || resolved.architecture === 'x86_64') {
    input.architecture = resolved.architecture;
  }
  return input;
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
