/**
 * A tiny table-driven validator: a `Check` looks at one value and reports every problem it finds through
 * `report`, so a config gets all its errors at once. `shape` checks a plain object against a table of
 * per-key checks and reports unknown keys by name.
 */

/** A failed rule: the rule text (stable, what tests and users match on) and an optional detail. */
export interface Problem {
  readonly rule: string;
  readonly detail?: string | undefined;
}

export type Report = (field: string, problem: Problem) => void;
export type Check = (value: unknown, field: string, report: Report) => void;

/** Describes a value for an error detail without dumping a large object. */
export function describe(value: unknown): string {
  if (value === null) return 'got null';
  if (Array.isArray(value)) return 'got an array';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `got string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `got ${typeof value} ${String(value)}`;
  }
  return `got ${typeof value}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Adapts a function that finds at most one problem into a Check. */
export function single(find: (value: unknown) => Problem | undefined): Check {
  return (value, field, report) => {
    const problem = find(value);
    if (problem) report(field, problem);
  };
}

export interface RangeRules {
  /** Rule for a wrong type or a fraction, e.g. `a non-negative integer`. */
  readonly what?: string;
  /** Rule for a value under the minimum (defaults to `must be ≥ min`). */
  readonly below?: string;
  /** Rule for a value over the maximum (defaults to `must be ≤ max`). */
  readonly above?: string;
}

export function integerIn(min: number, max: number, rules: RangeRules = {}): Check {
  const what = rules.what ?? `an integer in [${min}, ${max}]`;
  return single((v) => {
    if (typeof v !== 'number' || !Number.isInteger(v))
      return { rule: `must be ${what}`, detail: describe(v) };
    if (v < min) return { rule: rules.below ?? `must be ≥ ${min}`, detail: describe(v) };
    if (v > max) return { rule: rules.above ?? `must be ≤ ${max}`, detail: describe(v) };
    return undefined;
  });
}

export function finiteNumber(min: number, what = `a number ≥ ${min}`): Check {
  return single((v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return { rule: `must be ${what}`, detail: describe(v) };
    if (v < min) return { rule: `must be ≥ ${min}`, detail: describe(v) };
    return undefined;
  });
}

export function oneOf(values: readonly string[]): Check {
  const list = values.map((v) => `'${v}'`).join(', ');
  return single((v) =>
    typeof v === 'string' && values.includes(v)
      ? undefined
      : { rule: `must be one of ${list}`, detail: describe(v) },
  );
}

export const boolean: Check = single((v) =>
  typeof v === 'boolean' ? undefined : { rule: 'must be a boolean', detail: describe(v) },
);

export function nonEmptyString(maxLength: number): Check {
  return single((v) => {
    if (typeof v !== 'string') return { rule: 'must be a string', detail: describe(v) };
    if (v.length === 0) return { rule: 'must not be empty' };
    if (v.length > maxLength)
      return { rule: `must be at most ${maxLength} characters`, detail: `${v.length}` };
    return undefined;
  });
}

/** Suggests the known key that differs only in case, for typos such as `holdMS`. */
function suggestion(key: string, known: readonly string[]): string | undefined {
  const match = known.find((k) => k.toLowerCase() === key.toLowerCase());
  return match ? `did you mean "${match}"?` : undefined;
}

export interface ShapeOptions {
  /** Keys that are known but not allowed here, with the reason (e.g. `functionName` in `defaults`). */
  readonly forbidden?: Readonly<Record<string, string>>;
}

/** A plain object whose keys are all in `fields`; each present key is checked by its entry. */
export function shape(fields: Readonly<Record<string, Check>>, options: ShapeOptions = {}): Check {
  const known = Object.keys(fields);
  return (value, field, report) => {
    if (!isPlainObject(value)) {
      report(field, { rule: 'must be an object', detail: describe(value) });
      return;
    }
    for (const key of Object.keys(value)) {
      const path = field ? `${field}.${key}` : key;
      const forbidden =
        options.forbidden && Object.hasOwn(options.forbidden, key) ? options.forbidden[key] : undefined;
      const check = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (forbidden !== undefined) report(path, { rule: 'not allowed here', detail: forbidden });
      else if (check) check(value[key], path, report);
      else report(path, { rule: `unknown key "${key}"`, detail: suggestion(key, known) });
    }
  };
}
