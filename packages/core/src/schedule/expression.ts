/**
 * EventBridge Scheduler's recurring expressions, parsed: `cron(minutes hours day-of-month month day-of-week
 * year)` and `rate(value unit)`. Supported in cron fields: numbers, `*`, `?`, ranges `a-b`, steps `a/n` and
 * `a-b/n` and `* /n`, lists, month and weekday names (JAN-DEC, SUN-SAT; day-of-week 1 = Sunday as AWS counts),
 * and `L` (the last day) in day-of-month. `W`, `#` and `L` in day-of-week are not supported yet: they are
 * rejected by name rather than misread.
 */

export interface CronSpec {
  readonly kind: 'cron';
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  /** Days of the month, or `any` (`?` or `*`); `lastDay` for `L`. */
  readonly daysOfMonth: ReadonlySet<number> | 'any';
  readonly lastDayOfMonth: boolean;
  readonly months: ReadonlySet<number>;
  /** 1 = Sunday … 7 = Saturday, or `any`. */
  readonly daysOfWeek: ReadonlySet<number> | 'any';
  /** Years, or `any`. */
  readonly years: ReadonlySet<number> | 'any';
}

export interface RateSpec {
  readonly kind: 'rate';
  readonly periodMs: number;
}

export type ScheduleSpec = CronSpec | RateSpec;

/** A parse result: the spec, or the rule the text broke. */
export type Parsed =
  | { readonly ok: true; readonly spec: ScheduleSpec }
  | { readonly ok: false; readonly rule: string };

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const RATE_UNITS: Readonly<Record<string, number>> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

interface FieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldRule[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS },
  { name: 'year', min: 1970, max: 2199 },
];

class Bad extends Error {}

function value(text: string, f: FieldRule): number {
  const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
  if (i >= 0) return i + 1;
  if (!/^\d+$/.test(text))
    throw new Bad(`${f.name}: '${text}' is not a number${f.names ? ' or a name' : ''}`);
  const n = Number(text);
  if (n < f.min || n > f.max) throw new Bad(`${f.name}: ${n} is outside ${f.min}-${f.max}`);
  return n;
}

/** One cron field to the set of values it matches. */
function field(text: string, f: FieldRule): Set<number> {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') throw new Bad(`${f.name}: empty list item`);
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined) throw new Bad(`${f.name}: '${item}' has more than one '/'`);
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = f.min;
      hi = f.max;
    } else {
      const [a, b, more] = (range as string).split('-');
      if (more !== undefined) throw new Bad(`${f.name}: '${range}' is not a range a-b`);
      lo = value(a as string, f);
      // `a/n` runs from a to the field's end, as in AWS's `0/15`.
      hi = b !== undefined ? value(b, f) : stepText !== undefined ? f.max : lo;
      if (hi < lo) throw new Bad(`${f.name}: range ${range} runs backwards`);
    }
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1)
        throw new Bad(`${f.name}: step '${stepText}' must be a whole number ≥ 1`);
      step = Number(stepText);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function parseCron(body: string): Parsed {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) {
    return {
      ok: false,
      rule: `cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`,
    };
  }
  const [min, hour, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  for (const [i, p] of parts.entries()) {
    if (/[W#]/i.test(p) || (i === 4 && /L/i.test(p))) {
      return {
        ok: false,
        rule: `${FIELDS[i]?.name}: '${p}' uses W, # or L in day-of-week, not supported yet`,
      };
    }
  }
  // AWS: a value or * in one of day-of-month and day-of-week needs ? in the other.
  if ((dom === '?') === (dow === '?')) {
    return { ok: false, rule: 'exactly one of day-of-month and day-of-week must be ?' };
  }
  try {
    const lastDayOfMonth = dom.toUpperCase() === 'L';
    return {
      ok: true,
      spec: {
        kind: 'cron',
        minutes: field(min, FIELDS[0] as FieldRule),
        hours: field(hour, FIELDS[1] as FieldRule),
        daysOfMonth:
          dom === '?' || dom === '*' || lastDayOfMonth ? 'any' : field(dom, FIELDS[2] as FieldRule),
        lastDayOfMonth,
        months: field(month, FIELDS[3] as FieldRule),
        daysOfWeek: dow === '?' || dow === '*' ? 'any' : field(dow, FIELDS[4] as FieldRule),
        years: year === '*' ? 'any' : field(year, FIELDS[5] as FieldRule),
      },
    };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, rule: e.message };
    throw e;
  }
}

function parseRate(body: string): Parsed {
  const m = /^\s*(\d+)\s+([a-z]+)\s*$/i.exec(body);
  if (!m) return { ok: false, rule: 'rate needs a whole number and a unit: rate(5 minutes)' };
  const n = Number(m[1]);
  const unit = RATE_UNITS[(m[2] as string).toLowerCase()];
  if (unit === undefined)
    return { ok: false, rule: `rate unit must be minutes, hours or days, got '${m[2]}'` };
  if (n < 1) return { ok: false, rule: 'rate value must be ≥ 1' };
  return { ok: true, spec: { kind: 'rate', periodMs: n * unit } };
}

/** Parses `cron(…)` or `rate(…)`; never throws. */
export function parseScheduleExpression(text: unknown): Parsed {
  if (typeof text !== 'string') return { ok: false, rule: 'must be a string: cron(...) or rate(...)' };
  const m = /^\s*(cron|rate)\((.*)\)\s*$/i.exec(text);
  if (!m)
    return {
      ok: false,
      rule: 'must be cron(minutes hours day-of-month month day-of-week year) or rate(value unit)',
    };
  return (m[1] as string).toLowerCase() === 'cron' ? parseCron(m[2] as string) : parseRate(m[2] as string);
}
