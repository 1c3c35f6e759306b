/** The config rules of `schedules`: each problem names the schedule's field and the rule it broke. */
import { type Check, describe, integerIn, isPlainObject, type Report } from '../config/checks.js';
import { MAX_WARM_CONTAINERS } from '../config/limits.js';
import { SCHEDULE_DURATION, scheduleDurationMs } from './evaluate.js';
import { parseScheduleExpression } from './expression.js';
import { isTimeZone } from './zone.js';

/** A known event holds for a minute to a week; longer is a different `min`, not an event. */
export const SCHEDULE_DURATION_RANGE_MS = { min: 60_000, max: 7 * 86_400_000 } as const;
/** More schedules than this per target is a calendar, not a few known events. */
export const MAX_SCHEDULES_PER_TARGET = 20;

const KNOWN = ['expression', 'timezone', 'duration', 'min', 'max', 'start'];
const count = integerIn(0, MAX_WARM_CONTAINERS, { what: 'a non-negative integer', below: 'must be ≥ 0' });
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function checkOne(value: unknown, field: string, report: Report): void {
  if (!isPlainObject(value)) {
    report(field, {
      rule: 'must be an object { expression, timezone, duration, min, max? }',
      detail: describe(value),
    });
    return;
  }
  for (const key of Object.keys(value)) {
    if (!KNOWN.includes(key)) report(`${field}.${key}`, { rule: `unknown key "${key}"` });
  }
  const parsed = parseScheduleExpression(value.expression);
  if (value.expression === undefined) report(`${field}.expression`, { rule: 'is required' });
  else if (!parsed.ok)
    report(`${field}.expression`, { rule: parsed.rule, detail: describe(value.expression) });
  if (value.timezone !== undefined && !isTimeZone(value.timezone)) {
    report(`${field}.timezone`, {
      rule: 'must be an IANA time zone such as Europe/Paris or UTC',
      detail: describe(value.timezone),
    });
  }
  const duration = scheduleDurationMs(value.duration);
  if (value.duration === undefined) report(`${field}.duration`, { rule: 'is required' });
  else if (duration === undefined)
    report(`${field}.duration`, {
      rule: `must match ${SCHEDULE_DURATION.source}: 30m, 2h, 1d`,
      detail: describe(value.duration),
    });
  else if (duration < SCHEDULE_DURATION_RANGE_MS.min || duration > SCHEDULE_DURATION_RANGE_MS.max)
    report(`${field}.duration`, { rule: 'must be from 1m to 7d', detail: describe(value.duration) });
  if (value.min === undefined) report(`${field}.min`, { rule: 'is required' });
  else count(value.min, `${field}.min`, report);
  if (value.max !== undefined) count(value.max, `${field}.max`, report);
  if (typeof value.min === 'number' && typeof value.max === 'number' && value.min > value.max) {
    report(`${field}.min`, {
      rule: "must be ≤ the schedule's max",
      detail: `min ${value.min} > max ${value.max}`,
    });
  }
  if (value.start !== undefined) {
    if (parsed.ok && parsed.spec.kind !== 'rate') {
      report(`${field}.start`, { rule: 'applies to rate(...) only: a cron names its own times' });
    } else if (
      typeof value.start !== 'string' ||
      !ISO_WITH_OFFSET.test(value.start) ||
      !Number.isFinite(Date.parse(value.start))
    ) {
      report(`${field}.start`, {
        rule: 'must be an ISO 8601 date-time with its offset, such as 2026-03-01T09:00:00+01:00',
        detail: describe(value.start),
      });
    }
  }
}

/** `schedules`: an array of known events. */
export const SCHEDULES_CHECK: Check = (value, field, report) => {
  if (!Array.isArray(value)) {
    report(field, { rule: 'must be an array of schedules', detail: describe(value) });
    return;
  }
  if (value.length > MAX_SCHEDULES_PER_TARGET) {
    report(field, {
      rule: `must list at most ${MAX_SCHEDULES_PER_TARGET} schedules`,
      detail: `got ${value.length}`,
    });
  }
  value.forEach((s, i) => {
    checkOne(s, `${field}[${i}]`, report);
  });
};
