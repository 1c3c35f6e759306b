import { isPlainObject } from '../config/checks.js';
import { ConfigError, ValidationError } from '../errors.js';
import { SCHEDULES_CHECK } from './check.js';
import { SCHEDULE_DEFAULT_TIMEZONE, type ScheduleConfig } from './evaluate.js';

/**
 * A schedule file for replays (`warmpool backtest --schedules FILE`): a JSON object of function id to its
 * schedules, each checked by the config's own rules. Every problem is reported at once, naming the function id
 * and the field (`fn-a[0].expression`); `source` (the file) is carried on the error.
 */
export function parseScheduleMap(
  text: string,
  source: string,
): ReadonlyMap<string, readonly ScheduleConfig[]> {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      [new ValidationError(source, 'must be valid JSON', { detail: message, cause: error })],
      source,
    );
  }
  const issues: ValidationError[] = [];
  if (!isPlainObject(value)) {
    issues.push(new ValidationError(source, 'must be an object of function id to schedules'));
    throw new ConfigError(issues, source);
  }
  const out = new Map<string, readonly ScheduleConfig[]>();
  for (const [id, schedules] of Object.entries(value)) {
    const before = issues.length;
    SCHEDULES_CHECK(schedules, id, (field, problem) =>
      issues.push(new ValidationError(field, problem.rule, { detail: problem.detail })),
    );
    if (issues.length === before) {
      out.set(
        id,
        (schedules as ScheduleConfig[]).map((s) => ({
          ...s,
          timezone: s.timezone ?? SCHEDULE_DEFAULT_TIMEZONE,
        })),
      );
    }
  }
  if (issues.length > 0) throw new ConfigError(issues, source);
  return out;
}
