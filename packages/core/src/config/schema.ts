/**
 * The config's rules as tables of checks, one entry per key. `parse.ts` runs them and adds the rules that span
 * fields (min ≤ max, ARN qualifier agreement, duplicate ids).
 */

import { SCHEDULES_CHECK } from '../schedule/check.js';
import {
  boolean,
  type Check,
  describe,
  finiteNumber,
  integerIn,
  isPlainObject,
  nonEmptyString,
  oneOf,
  shape,
  single,
} from './checks.js';
import { isQualifier, parseFunctionRef } from './function-ref.js';
import {
  MAX_HOLD_MS,
  MAX_METRIC_DIMENSIONS,
  MAX_STABILIZATION_MINUTES,
  MAX_TICKS_BETWEEN_READS,
  MAX_WARM_CONTAINERS,
  MEMORY_MB_RANGE,
  MIN_SHARED_SECRET_LENGTH,
  TICK_INTERVAL_SECONDS_RANGE,
} from './limits.js';
import { ARCHITECTURES, BUDGET_SOURCES, FORECAST_MODELS, type Prices } from './types.js';

/** The placeholders a cold-start dimension value may use. */
export const DIMENSION_PLACEHOLDERS = [`\${functionName}`, `\${qualifier}`] as const;

const count = integerIn(0, MAX_WARM_CONTAINERS, { what: 'a non-negative integer', below: 'must be ≥ 0' });

const holdMs: Check = (value, field, report) => {
  if (value === 'auto') return;
  integerIn(1, MAX_HOLD_MS, {
    what: `'auto' or an integer number of ms in [1, ${MAX_HOLD_MS}]`,
    above: `must be ≤ MAX_HOLD_MS (${MAX_HOLD_MS} ms)`,
  })(value, field, report);
};

const share = single((v) => {
  if (typeof v !== 'number' || !Number.isFinite(v))
    return { rule: 'must be a number in (0, 1]', detail: describe(v) };
  if (v <= 0 || v > 1) return { rule: 'must be in (0, 1]', detail: describe(v) };
  return undefined;
});

const dimensionValue = single((v) => {
  if (typeof v !== 'string') return { rule: 'must be a string', detail: describe(v) };
  if (v.length === 0) return { rule: 'must not be empty' };
  if (v.length > 1024) return { rule: 'must be at most 1024 characters', detail: `${v.length}` };
  const unknown = (v.match(/\$\{[^}]*\}/g) ?? []).filter(
    (p) => !(DIMENSION_PLACEHOLDERS as readonly string[]).includes(p),
  );
  if (unknown.length > 0) {
    return {
      rule: `may only use the placeholders ${DIMENSION_PLACEHOLDERS.join(' and ')}`,
      detail: unknown.join(', '),
    };
  }
  return undefined;
});

const dimensions: Check = (value, field, report) => {
  if (!isPlainObject(value)) {
    report(field, { rule: 'must be an object of dimension name to value', detail: describe(value) });
    return;
  }
  const names = Object.keys(value);
  if (names.length > MAX_METRIC_DIMENSIONS) {
    report(field, {
      rule: `must have at most ${MAX_METRIC_DIMENSIONS} dimensions`,
      detail: `${names.length}`,
    });
  }
  for (const name of names) {
    if (name.length > 255)
      report(`${field}.${name}`, { rule: 'dimension name must be at most 255 characters' });
    else if (name.length === 0) report(`${field}[""]`, { rule: 'dimension name must not be empty' });
    // JSON.parse makes `__proto__` an own key, but assigning it anywhere later sets a prototype instead of a
    // dimension, so it would silently vanish from the metric query: refuse it here.
    else if (name === '__proto__')
      report(`${field}.${name}`, { rule: 'dimension name must not be "__proto__"' });
    dimensionValue(value[name], `${field}.${name}`, report);
  }
};

/**
 * The cold-start metric's name: any CloudWatch name except Powertools' `ColdStart`. Powertools counts the first
 * invocation it handles on each container; under warming that is a prewarmed container's first real request
 * (or the ping itself), which would inflate the cold starts the controller tunes its headroom on.
 */
const coldStartName: Check = (value, field, report) => {
  nonEmptyString(255)(value, field, report);
  if (value === 'ColdStart')
    report(field, {
      rule: "must not be 'ColdStart'",
      detail:
        "that is Powertools' metric, which under warming counts a prewarmed container's first real request; read the helper's 'UserColdStart'",
    });
};

/** Every per-target field except the identity (`functionName`, `qualifier`, `id`). */
export const TARGET_FIELD_CHECKS: Readonly<Record<string, Check>> = {
  min: count,
  max: count,
  holdMs,
  budget: shape({ source: oneOf(Object.values(BUDGET_SOURCES)), share }),
  stabilization: shape({
    windowMinutes: integerIn(0, MAX_STABILIZATION_MINUTES, {
      what: `an integer number of minutes in [0, ${MAX_STABILIZATION_MINUTES}]`,
    }),
    maxCount: count,
  }),
  model: oneOf(Object.values(FORECAST_MODELS)),
  coldStartMetric: shape({ namespace: nonEmptyString(255), name: coldStartName, dimensions }),
  decisionTtlDays: integerIn(1, Number.MAX_SAFE_INTEGER, { what: 'an integer ≥ 1' }),
  dryRun: boolean,
  memoryMb: integerIn(MEMORY_MB_RANGE.min, MEMORY_MB_RANGE.max),
  architecture: oneOf(Object.values(ARCHITECTURES)),
  initMs: finiteNumber(0, 'a number of ms ≥ 0'),
  schedules: SCHEDULES_CHECK,
  maxTicksBetweenReads: integerIn(1, MAX_TICKS_BETWEEN_READS, {
    what: `an integer number of ticks in [1, ${MAX_TICKS_BETWEEN_READS}]`,
    above: `must be ≤ MAX_TICKS_BETWEEN_READS (${MAX_TICKS_BETWEEN_READS})`,
  }),
  wakeAfterColdStarts: integerIn(0, 1_000_000, { what: 'an integer number of cold starts ≥ 0' }),
};

const functionName = single((v) => {
  if (typeof v !== 'string') return { rule: 'must be a string', detail: describe(v) };
  if (parseFunctionRef(v) === undefined) {
    return {
      rule: 'must be a function name (1 to 64 letters, digits, - or _) or ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME)',
      detail: describe(v),
    };
  }
  return undefined;
});

const qualifier = single((v) => {
  if (typeof v !== 'string') return { rule: 'must be a string', detail: describe(v) };
  if (v.length === 0) return { rule: 'must not be empty (name the alias or version that traffic uses)' };
  if (!isQualifier(v))
    return { rule: "must be an alias, a version number or '$LATEST'", detail: describe(v) };
  return undefined;
});

/** One entry of `targets`: the per-target fields plus identity. `id` is accepted so a parsed config re-parses. */
export const TARGET_CHECKS: Readonly<Record<string, Check>> = {
  functionName,
  qualifier,
  id: nonEmptyString(256),
  logGroupName: nonEmptyString(512),
  ...TARGET_FIELD_CHECKS,
};

export const DEFAULTS_CHECK = shape(TARGET_FIELD_CHECKS, {
  forbidden: {
    functionName: 'functionName belongs in each target',
    qualifier: 'qualifier belongs in each target',
    id: 'id belongs in each target',
    logGroupName: "logGroupName belongs in each target (it names one function's log group)",
  },
});

const PRICE_KEYS: readonly (keyof Prices)[] = [
  'requestPerMillion',
  'gbSecond',
  'provisionedGbSecond',
  'provisionedDurationGbSecond',
  'getMetricDataPer1000Metrics',
  'dynamoWritePerMillion',
  'dynamoReadPerMillion',
  'arm64DurationFactor',
];

export const PRICES_CHECK = shape(
  Object.fromEntries(PRICE_KEYS.map((k) => [k, finiteNumber(0, 'a non-negative number (USD)')])),
);

export const TICK_INTERVAL_CHECK: Check = (value, field, report) => {
  const { min, max, step } = TICK_INTERVAL_SECONDS_RANGE;
  let inRange = true;
  integerIn(min, max)(value, field, (f, problem) => {
    inRange = false;
    report(f, problem);
  });
  if (inRange && (value as number) % step !== 0) {
    report(field, { rule: `must be a multiple of ${step} seconds`, detail: describe(value) });
  }
};

export const SHARED_SECRET_CHECK = single((v) => {
  // Describe only the type, never the value: a secret given as a number is still a secret.
  if (typeof v !== 'string') return { rule: 'must be a string', detail: `got ${typeof v}` };
  if (v.length < MIN_SHARED_SECRET_LENGTH) {
    // The detail gives the length only: never echo a secret into logs.
    return { rule: `must be at least ${MIN_SHARED_SECRET_LENGTH} characters`, detail: `got ${v.length}` };
  }
  return undefined;
});
