import { describe, expect, it } from 'vitest';
import { latestStart, scheduledBounds, schedulesInForce } from '../src/schedule/evaluate.js';
import { parseScheduleExpression } from '../src/schedule/expression.js';
import { instantsOf } from '../src/schedule/zone.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const at = (s: string) => Date.parse(s);

/** The latest start at or before `now`, looking back a week. */
function latest(expression: string, timezone: string, now: string, start?: string): string | null {
  const parsed = parseScheduleExpression(expression);
  if (!parsed.ok) throw new Error(parsed.rule);
  return iso(latestStart(parsed.spec, { timezone, start }, at(now), at(now) - 7 * DAY));
}

describe('latestStart: cron in a time zone', () => {
  it.each([
    // expression, zone, now, latest start (UTC)
    ['cron(0 9 * * ? *)', 'UTC', '2026-06-10T09:00:00Z', '2026-06-10T09:00:00.000Z'],
    ['cron(0 9 * * ? *)', 'UTC', '2026-06-10T08:59:59Z', '2026-06-09T09:00:00.000Z'],
    ['cron(0 9 * * ? *)', 'Europe/Paris', '2026-06-10T08:00:00Z', '2026-06-10T07:00:00.000Z'], // CEST, +2
    ['cron(0 9 * * ? *)', 'Europe/Paris', '2026-01-10T08:30:00Z', '2026-01-10T08:00:00.000Z'], // CET, +1
    ['cron(0 9 ? * MON-FRI *)', 'UTC', '2026-06-14T12:00:00Z', '2026-06-12T09:00:00.000Z'], // Sunday → Friday
    ['cron(0 9 ? * 2 *)', 'UTC', '2026-06-14T12:00:00Z', '2026-06-08T09:00:00.000Z'], // 2 = Monday
    ['cron(0/15 * * * ? *)', 'UTC', '2026-06-10T10:44:00Z', '2026-06-10T10:30:00.000Z'],
    ['cron(0 18 L * ? *)', 'UTC', '2026-03-05T00:00:00Z', '2026-02-28T18:00:00.000Z'], // last day of month
    ['cron(0 9 1 JAN ? 2027)', 'UTC', '2026-06-10T00:00:00Z', null], // a year ahead
    ['cron(30 9 * * ? *)', 'Asia/Kolkata', '2026-06-10T04:00:00Z', '2026-06-10T04:00:00.000Z'], // +5:30
    ['cron(0 0 * * ? *)', 'Pacific/Auckland', '2026-06-10T11:59:00Z', '2026-06-09T12:00:00.000Z'], // local midnight
  ] as const)('%s in %s at %s', (expression, zone, now, expected) => {
    expect(latest(expression, zone, now)).toBe(expected);
  });
});

describe('latestStart across daylight saving transitions (EventBridge Scheduler rules)', () => {
  it.each([
    // Europe/Paris springs forward on 2026-03-29 at 02:00 (to 03:00): 02:30 does not exist that day, skipped.
    [
      'skipped in the spring gap',
      'cron(30 2 * * ? *)',
      'Europe/Paris',
      '2026-03-29T12:00:00Z',
      '2026-03-28T01:30:00.000Z',
    ],
    [
      'the day after the gap, at the new offset',
      'cron(30 2 * * ? *)',
      'Europe/Paris',
      '2026-03-30T12:00:00Z',
      '2026-03-30T00:30:00.000Z',
    ],
    [
      '09:00 the day of the change, already at +2',
      'cron(0 9 * * ? *)',
      'Europe/Paris',
      '2026-03-29T12:00:00Z',
      '2026-03-29T07:00:00.000Z',
    ],
    // Europe/Paris falls back on 2026-10-25 at 03:00 (to 02:00): 02:30 reads twice, runs once, at the first.
    [
      'once in the fall overlap, at its first reading',
      'cron(30 2 * * ? *)',
      'Europe/Paris',
      '2026-10-25T01:45:00Z',
      '2026-10-25T00:30:00.000Z',
    ],
    [
      'the second reading of the overlap does not start again',
      'cron(30 2 * * ? *)',
      'Europe/Paris',
      '2026-10-25T01:31:00Z',
      '2026-10-25T00:30:00.000Z',
    ],
    [
      '09:00 the day of the change, already at +1',
      'cron(0 9 * * ? *)',
      'Europe/Paris',
      '2026-10-25T12:00:00Z',
      '2026-10-25T08:00:00.000Z',
    ],
    // America/New_York: spring 2026-03-08 02:00 → 03:00, fall 2026-11-01 02:00 → 01:00.
    [
      'New York, spring gap skipped',
      'cron(15 2 * * ? *)',
      'America/New_York',
      '2026-03-08T12:00:00Z',
      '2026-03-07T07:15:00.000Z',
    ],
    [
      'New York, 01:30 runs once on the fall day',
      'cron(30 1 * * ? *)',
      'America/New_York',
      '2026-11-01T07:00:00Z',
      '2026-11-01T05:30:00.000Z',
    ],
  ] as const)('%s', (_name, expression, zone, now, expected) => {
    expect(latest(expression, zone, now)).toBe(expected);
  });

  it('maps a local time to none, one or two instants', () => {
    const wall = (s: string) => Date.parse(`${s}Z`);
    expect(instantsOf('Europe/Paris', wall('2026-03-29T02:30:00'))).toEqual([]);
    expect(instantsOf('Europe/Paris', wall('2026-10-25T02:30:00')).map(iso)).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:30:00.000Z',
    ]);
    expect(instantsOf('Europe/Paris', wall('2026-06-01T12:00:00')).map(iso)).toEqual([
      '2026-06-01T10:00:00.000Z',
    ]);
  });
});

describe('latestStart: rate', () => {
  it.each([
    [
      'rate(1 day) from its start, 24 h apart whatever the clocks do',
      'rate(1 day)',
      '2026-03-30T12:00:00Z',
      '2026-03-28T08:00:00+01:00',
      '2026-03-30T07:00:00.000Z',
    ],
    [
      'rate(90 minutes)',
      'rate(90 minutes)',
      '2026-01-01T04:00:00Z',
      '2026-01-01T00:00:00Z',
      '2026-01-01T03:00:00.000Z',
    ],
    ['before its start', 'rate(1 hour)', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', null],
  ] as const)('%s', (_name, expression, now, start, expected) => {
    expect(latest(expression, 'Europe/Paris', now, start)).toBe(expected);
  });

  it('counts from the Unix epoch when no start is given', () => {
    expect(latest('rate(2 hours)', 'UTC', '2026-01-01T05:30:00Z')).toBe('2026-01-01T04:00:00.000Z');
  });
});

describe('schedulesInForce and scheduledBounds over a decision window', () => {
  const batch = { expression: 'cron(0 9 ? * MON-FRI *)', timezone: 'Europe/Paris', duration: '30m', min: 20 };
  const report = {
    expression: 'cron(0 9 * * ? *)',
    timezone: 'Europe/Paris',
    duration: '1h',
    min: 5,
    max: 80,
  };
  const window = (start: string) => [at(start), at(start) + 5 * MIN] as const;

  it.each([
    ['the tick before the start warms for it', '2026-06-10T06:55:00Z', 20],
    ['while it holds', '2026-06-10T07:25:00Z', 20],
    ['once it stopped holding', '2026-06-10T07:30:00Z', null],
    ['two ticks before the start: not yet', '2026-06-10T06:50:00Z', null],
    ['not on a Saturday', '2026-06-13T07:00:00Z', null],
  ] as const)('%s', (_name, start, min) => {
    const [from, to] = window(start);
    expect(scheduledBounds([batch], from, to)?.min ?? null).toBe(min);
  });

  it('takes the highest min and the highest max of the schedules in force, and names them', () => {
    const [from, to] = window('2026-06-10T07:10:00Z');
    expect(scheduledBounds([batch, report], from, to)).toMatchObject({ min: 20, max: 80 });
    const [later, laterEnd] = window('2026-06-10T07:40:00Z');
    const b = scheduledBounds([batch, report], later, laterEnd);
    expect(b).toMatchObject({ min: 5, max: 80 });
    expect(b?.inForce.map((s) => [s.index, iso(s.fromMs), iso(s.toMs)])).toEqual([
      [1, '2026-06-10T07:00:00.000Z', '2026-06-10T08:00:00.000Z'],
    ]);
  });

  it('is null with no schedules, and skips one that does not parse', () => {
    const [from, to] = window('2026-06-10T07:10:00Z');
    expect(scheduledBounds(undefined, from, to)).toBeNull();
    expect(schedulesInForce([{ ...batch, expression: 'cron(bad)' }], from, to)).toEqual([]);
  });
});
