import { ConfigError, ValidationError } from '../errors.js';
import type { ScheduleConfig } from '../schedule/evaluate.js';
import { SCHEDULE_DEFAULT_TIMEZONE } from '../schedule/evaluate.js';
import { type Check, describe, isPlainObject, type Problem, type Report, shape } from './checks.js';
import {
  DEFAULT_PRICES,
  DEFAULT_TARGET,
  DEFAULT_TICK_INTERVAL_SECONDS,
  type TargetDefaults,
} from './defaults.js';
import { parseFunctionRef } from './function-ref.js';
import { findJsonSyntaxProblem } from './json-syntax.js';
import { MAX_TARGETS } from './limits.js';
import {
  DEFAULTS_CHECK,
  PRICES_CHECK,
  SHARED_SECRET_CHECK,
  TARGET_CHECKS,
  TICK_INTERVAL_CHECK,
} from './schema.js';
import type { ColdStartMetricConfig, Prices, TargetConfig, WarmpoolConfig } from './types.js';

type Raw = Record<string, unknown>;

/** The field name used for problems with the config as a whole (not an object, not JSON). */
export const CONFIG_ROOT_FIELD = 'config';

/** Checks for the top level; `targets` is walked separately so each problem can name its target. */
const TOP_LEVEL_CHECK = shape({
  tickIntervalSeconds: TICK_INTERVAL_CHECK,
  defaults: DEFAULTS_CHECK,
  targets: () => {},
  prices: PRICES_CHECK,
  sharedSecret: SHARED_SECRET_CHECK,
});
const TARGET_CHECK: Check = shape(TARGET_CHECKS);

/**
 * Validates a `WarmpoolConfigInput` and returns the resolved config: `defaults`, then each target's own fields,
 * merged over `DEFAULT_TARGET`; ids filled in as `name:qualifier`. Every problem is collected and thrown
 * together as one `ConfigError` (each a `ValidationError` naming the target, the field and the rule).
 * `source` (e.g. a file name) is carried on the error. A parsed config re-parses to itself.
 */
export function parseConfig(input: unknown, source?: string): WarmpoolConfig {
  const issues: ValidationError[] = [];
  const reportFor =
    (target?: string): Report =>
    (field, problem: Problem) =>
      issues.push(new ValidationError(field, problem.rule, { target, detail: problem.detail }));

  if (!isPlainObject(input)) {
    reportFor()(CONFIG_ROOT_FIELD, { rule: 'must be an object', detail: describe(input) });
    throw new ConfigError(issues, source);
  }
  TOP_LEVEL_CHECK(input, '', reportFor());
  const defaults = isPlainObject(input.defaults) ? input.defaults : {};

  const rawTargets = input.targets;
  const targets: Raw[] = [];
  if (rawTargets === undefined) {
    reportFor()('targets', { rule: 'is required' });
  } else if (!Array.isArray(rawTargets)) {
    reportFor()('targets', { rule: 'must be an array of targets', detail: describe(rawTargets) });
  } else if (rawTargets.length === 0) {
    reportFor()('targets', { rule: 'must list at least one target' });
  } else if (rawTargets.length > MAX_TARGETS) {
    // One controller cannot warm more within a tick's deadline; split them over several deployments.
    reportFor()('targets', {
      rule: `must list at most ${MAX_TARGETS} targets`,
      detail: `got ${rawTargets.length}`,
    });
  } else {
    const seen = new Map<string, number>();
    rawTargets.forEach((raw: unknown, i) => {
      const field = `targets[${i}]`;
      const label = targetLabel(raw, i);
      const report = reportFor(label);
      if (!isPlainObject(raw)) {
        report(field, { rule: 'must be an object', detail: describe(raw) });
        return;
      }
      checkTarget(raw, defaults, field, report);
      targets.push(raw);
      const id = computedId(raw);
      if (id !== undefined) {
        const first = seen.get(id);
        if (first === undefined) seen.set(id, i);
        else report(field, { rule: 'duplicate target id', detail: `${id} is also targets[${first}]` });
      }
    });
  }

  if (issues.length > 0) throw new ConfigError(issues, source);
  return buildConfig(input, defaults, targets);
}

/**
 * Parses JSON text and then the config in it. A syntax error names the source, the line, the column and the
 * rule, and never quotes the text: V8's own message does, and a config can hold `sharedSecret`.
 */
export function parseConfigJson(text: string, source: string): WarmpoolConfig {
  let value: unknown;
  const body = text.replace(/^\uFEFF/, '');
  try {
    value = JSON.parse(body);
  } catch {
    const where = findJsonSyntaxProblem(body);
    // No `cause`: V8's error quotes the text around the problem, and a cause gets logged with its message.
    const issue = new ValidationError(source, 'must be valid JSON', {
      detail: where ? `line ${where.line}, column ${where.column}: ${where.rule}` : 'not valid JSON',
    });
    throw new ConfigError([issue], source);
  }
  return parseConfig(value, source);
}

function checkTarget(raw: Raw, defaults: Raw, field: string, report: Report): void {
  const ref = typeof raw.functionName === 'string' ? parseFunctionRef(raw.functionName) : undefined;
  if (raw.functionName === undefined) report(`${field}.functionName`, { rule: 'is required' });
  if (raw.qualifier === undefined) {
    report(`${field}.qualifier`, {
      rule: 'is required',
      detail: ref?.qualifier
        ? `functionName carries "${ref.qualifier}": write qualifier: "${ref.qualifier}"`
        : 'name the alias or version that traffic uses; an unqualified name warms $LATEST',
    });
  }
  TARGET_CHECK(raw, field, report);

  if (ref?.qualifier !== undefined && typeof raw.qualifier === 'string' && raw.qualifier !== ref.qualifier) {
    report(`${field}.qualifier`, {
      rule: 'must agree with the qualifier in functionName',
      detail: `functionName carries "${ref.qualifier}", qualifier is "${raw.qualifier}"`,
    });
  }
  const id = computedId(raw);
  if (raw.id !== undefined && id !== undefined && raw.id !== id) {
    report(`${field}.id`, { rule: 'must equal name:qualifier (or be left out)', detail: `expected "${id}"` });
  }

  const min = pick(raw, defaults, 'min');
  const max = pick(raw, defaults, 'max');
  if (isCount(min.value) && isCount(max.value) && min.value > max.value) {
    report(`${field}.min`, {
      rule: 'must be ≤ max',
      detail: `min ${min.value}${min.from} > max ${max.value}${max.from}`,
    });
  }
  checkScheduleMins(raw, defaults, field, max, report);
}

/** A schedule without its own max must fit under the target's: its min would otherwise be clamped away. */
function checkScheduleMins(
  raw: Raw,
  defaults: Raw,
  field: string,
  max: { value: unknown; from: string },
  report: Report,
): void {
  const schedules = pick(raw, defaults, 'schedules');
  if (!Array.isArray(schedules.value) || !isCount(max.value)) return;
  const where = schedules.from ? `${field}.schedules${schedules.from}` : `${field}.schedules`;
  schedules.value.forEach((s: unknown, i) => {
    if (!isPlainObject(s) || s.max !== undefined || !isCount(s.min)) return;
    if (s.min > (max.value as number)) {
      report(`${where}[${i}].min`, {
        rule: "must be ≤ the target's max, or set the schedule's own max",
        detail: `min ${s.min} > max ${max.value}${max.from}`,
      });
    }
  });
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** A per-target field as merged (target, then defaults, then DEFAULT_TARGET), with where it came from. */
function pick(raw: Raw, defaults: Raw, key: keyof TargetDefaults): { value: unknown; from: string } {
  if (raw[key] !== undefined) return { value: raw[key], from: '' };
  if (defaults[key] !== undefined) return { value: defaults[key], from: ' (from defaults)' };
  return { value: DEFAULT_TARGET[key], from: ' (default)' };
}

function computedId(raw: Raw): string | undefined {
  if (typeof raw.functionName !== 'string' || typeof raw.qualifier !== 'string' || raw.qualifier === '') {
    return undefined;
  }
  const ref = parseFunctionRef(raw.functionName);
  return ref ? `${ref.name}:${raw.qualifier}` : undefined;
}

/** How errors name a target: its id where it can be computed, else whatever identifies it best. */
function targetLabel(raw: unknown, index: number): string {
  if (!isPlainObject(raw)) return `targets[${index}]`;
  const id = computedId(raw);
  if (id !== undefined) return id;
  // Only printable ASCII goes into a label: a name with control characters would reach the terminal raw.
  if (typeof raw.functionName === 'string' && /^[\x20-\x7e]{1,80}$/.test(raw.functionName))
    return raw.functionName;
  return `targets[${index}]`;
}

// --- building the resolved config (only reached when every check passed, so the casts are sound) ---

function buildConfig(input: Raw, defaults: Raw, targets: readonly Raw[]): WarmpoolConfig {
  const config: WarmpoolConfig = {
    tickIntervalSeconds: (input.tickIntervalSeconds as number | undefined) ?? DEFAULT_TICK_INTERVAL_SECONDS,
    targets: targets.map((raw) => buildTarget(raw, defaults)),
    prices: { ...DEFAULT_PRICES, ...(input.prices as Partial<Prices> | undefined) },
  };
  return typeof input.sharedSecret === 'string' ? { ...config, sharedSecret: input.sharedSecret } : config;
}

function buildTarget(raw: Raw, defaults: Raw): TargetConfig {
  const ref = parseFunctionRef(raw.functionName as string);
  const functionName = ref?.unqualified ?? (raw.functionName as string);
  const qualifier = raw.qualifier as string;
  const value = <K extends keyof TargetDefaults>(key: K): TargetDefaults[K] =>
    pick(raw, defaults, key).value as TargetDefaults[K];
  const part = <T>(key: 'budget' | 'coldStartMetric' | 'stabilization'): Partial<T> => ({
    ...(defaults[key] as Partial<T> | undefined),
    ...(raw[key] as Partial<T> | undefined),
  });
  const metric = part<ColdStartMetricConfig>('coldStartMetric');
  return {
    id: `${ref?.name ?? functionName}:${qualifier}`,
    functionName,
    qualifier,
    min: value('min'),
    max: value('max'),
    holdMs: value('holdMs'),
    maxTicksBetweenReads: value('maxTicksBetweenReads'),
    wakeAfterColdStarts: value('wakeAfterColdStarts'),
    // Lambda's default log group; a function with a custom one names it.
    logGroupName: (raw.logGroupName as string | undefined) ?? `/aws/lambda/${ref?.name ?? functionName}`,
    budget: { ...DEFAULT_TARGET.budget, ...part('budget') },
    stabilization: { ...DEFAULT_TARGET.stabilization, ...part('stabilization') },
    model: value('model'),
    // Dimensions replace the default set whole: merging would keep dimensions the user meant to drop.
    coldStartMetric: {
      namespace: metric.namespace ?? DEFAULT_TARGET.coldStartMetric.namespace,
      name: metric.name ?? DEFAULT_TARGET.coldStartMetric.name,
      dimensions: { ...(metric.dimensions ?? DEFAULT_TARGET.coldStartMetric.dimensions) },
    },
    decisionTtlDays: value('decisionTtlDays'),
    dryRun: value('dryRun'),
    memoryMb: value('memoryMb'),
    architecture: value('architecture'),
    initMs: value('initMs'),
    // The time zone is filled in, so the resolved config says in which zone each cron is read.
    schedules: (value('schedules') as readonly ScheduleConfig[]).map((s) => ({
      ...s,
      timezone: s.timezone ?? SCHEDULE_DEFAULT_TIMEZONE,
    })),
  };
}
