/**
 * When a target's schedules are in force: pure functions of the config and the clock's now (time zones through
 * Intl), so `decide()` stays pure and a backtest replays a schedule exactly as the controller would apply it.
 */
import { type CronSpec, parseScheduleExpression, type ScheduleSpec } from './expression.js';
import { instantsOf, localTime } from './zone.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** One known event, as the config holds it. */
export interface ScheduleConfig {
  /** EventBridge Scheduler syntax: `cron(0 9 ? * MON-FRI *)` or `rate(1 day)`. */
  readonly expression: string;
  /** IANA time zone the cron is read in (default `UTC`). */
  readonly timezone: string;
  /** How long the bounds hold after each start: `30m`, `2h`, `1d`. */
  readonly duration: string;
  /** Containers kept warm at least, while it holds. */
  readonly min: number;
  /** Upper bound while it holds, replacing the target's `max`; the target's `max` when left out. */
  readonly max?: number | undefined;
  /** For `rate(…)`: the first start, an ISO 8601 date-time with its offset; the Unix epoch when left out. */
  readonly start?: string | undefined;
}

/** The zone a cron is read in when the schedule names none: EventBridge Scheduler's own default. */
export const SCHEDULE_DEFAULT_TIMEZONE = 'UTC';

export const SCHEDULE_DURATION = /^(\d+)(m|h|d)$/;
const DURATION_UNIT_MS: Readonly<Record<string, number>> = { m: MINUTE, h: HOUR, d: DAY };

/** `30m`, `2h`, `1d` in ms, or undefined when it is not one. */
export function scheduleDurationMs(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = SCHEDULE_DURATION.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (DURATION_UNIT_MS[m[2] as string] as number);
}

function matchesDay(spec: CronSpec, dayMs: number): boolean {
  const d = new Date(dayMs);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  if (spec.years !== 'any' && !spec.years.has(year)) return false;
  if (!spec.months.has(month)) return false;
  if (spec.lastDayOfMonth && new Date(Date.UTC(year, month, 0)).getUTCDate() !== day) return false;
  if (spec.daysOfMonth !== 'any' && !spec.daysOfMonth.has(day)) return false;
  if (spec.daysOfWeek !== 'any' && !spec.daysOfWeek.has(d.getUTCDay() + 1)) return false;
  return true;
}

const descending = (s: ReadonlySet<number>) => [...s].sort((a, b) => b - a);

/**
 * The latest start of a cron at or before `atMs` and not before `notBeforeMs`, or null. Local times the clock
 * skips (spring forward) do not start; a local time the clock reads twice (fall back) starts once, at its first
 * reading: EventBridge Scheduler's own rules.
 */
function latestCronStart(spec: CronSpec, timeZone: string, atMs: number, notBeforeMs: number): number | null {
  const at = localTime(timeZone, atMs);
  const low = localTime(timeZone, notBeforeMs);
  const hours = descending(spec.hours);
  const minutes = descending(spec.minutes);
  // One day of slack at the low end: an offset change can move a start across local midnight.
  const lowDay = Date.UTC(low.year, low.month - 1, low.day) - DAY;
  for (let day = Date.UTC(at.year, at.month - 1, at.day); day >= lowDay; day -= DAY) {
    if (!matchesDay(spec, day)) continue;
    for (const h of hours) {
      for (const m of minutes) {
        const first = instantsOf(timeZone, day + h * HOUR + m * MINUTE)[0];
        if (first === undefined || first > atMs) continue;
        return first >= notBeforeMs ? first : null;
      }
    }
  }
  return null;
}

/** The latest start of `spec` in [notBeforeMs, atMs], or null. */
export function latestStart(
  spec: ScheduleSpec,
  schedule: Pick<ScheduleConfig, 'timezone' | 'start'>,
  atMs: number,
  notBeforeMs: number,
): number | null {
  if (spec.kind === 'cron') return latestCronStart(spec, schedule.timezone, atMs, notBeforeMs);
  const anchor = schedule.start === undefined ? 0 : Date.parse(schedule.start);
  if (!Number.isFinite(anchor) || atMs < anchor) return null;
  const start = anchor + Math.floor((atMs - anchor) / spec.periodMs) * spec.periodMs;
  return start >= notBeforeMs ? start : null;
}

export interface ScheduleInForce {
  /** Index in the target's `schedules`. */
  readonly index: number;
  readonly schedule: ScheduleConfig;
  /** When this occurrence started and when it stops holding. */
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * The schedules that hold at some moment of [fromMs, toMs], the decision window, end included: a start at the
 * window's end is warmed for by this tick, so containers are warm when it begins rather than a tick later.
 * A schedule that does not parse is skipped (`parseConfig` rejects those before they get here).
 */
export function schedulesInForce(
  schedules: readonly ScheduleConfig[] | undefined,
  fromMs: number,
  toMs: number,
): ScheduleInForce[] {
  const out: ScheduleInForce[] = [];
  (schedules ?? []).forEach((schedule, index) => {
    const parsed = parseScheduleExpression(schedule.expression);
    const duration = scheduleDurationMs(schedule.duration);
    if (!parsed.ok || duration === undefined || duration <= 0) return;
    const start = latestStart(parsed.spec, schedule, toMs, fromMs - duration + 1);
    if (start !== null) out.push({ index, schedule, fromMs: start, toMs: start + duration });
  });
  return out;
}

export interface ScheduledBounds {
  /** The highest `min` in force. */
  readonly min: number;
  /** The highest `max` among those in force that set one; null when none does (the target's `max` holds). */
  readonly max: number | null;
  readonly inForce: readonly ScheduleInForce[];
}

/** The bounds the schedules set over a decision window, or null when none holds. */
export function scheduledBounds(
  schedules: readonly ScheduleConfig[] | undefined,
  fromMs: number,
  toMs: number,
): ScheduledBounds | null {
  const inForce = schedulesInForce(schedules, fromMs, toMs);
  if (inForce.length === 0) return null;
  let min = 0;
  let max: number | null = null;
  for (const s of inForce) {
    min = Math.max(min, s.schedule.min);
    if (s.schedule.max !== undefined) max = Math.max(max ?? 0, s.schedule.max);
  }
  return { min, max, inForce };
}
