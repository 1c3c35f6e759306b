import { ConfigError, parseConfig, parseScheduleMap, ValidationError } from '@warmpool/core';
import { describe, expect, it } from 'vitest';

const withSchedules = (schedules: unknown, over: Record<string, unknown> = {}) => ({
  targets: [{ functionName: 'api', qualifier: 'live', schedules, ...over }],
});

function issues(input: unknown): { field: string; rule: string; target?: string }[] {
  try {
    parseConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues.map((i) => ({ field: i.field, rule: i.rule, target: i.target }));
  }
  throw new Error('expected a ConfigError');
}

const ok = { expression: 'cron(0 9 ? * MON-FRI *)', timezone: 'Europe/Paris', duration: '30m', min: 20 };

describe('config: schedules', () => {
  it('resolves to an empty list by default, and fills in the UTC time zone', () => {
    const plain = parseConfig({ targets: [{ functionName: 'api', qualifier: 'live' }] });
    expect(plain.targets[0]?.schedules).toEqual([]);
    const { timezone: _tz, ...noZone } = ok;
    expect(parseConfig(withSchedules([noZone])).targets[0]?.schedules).toEqual([
      { ...noZone, timezone: 'UTC' },
    ]);
  });

  it('re-parses a parsed config to itself, and takes schedules from defaults', () => {
    const parsed = parseConfig(
      withSchedules([
        ok,
        { expression: 'rate(1 day)', duration: '1h', min: 2, max: 50, start: '2026-03-01T09:00:00+01:00' },
      ]),
    );
    expect(parseConfig(parsed)).toEqual(parsed);
    const fromDefaults = parseConfig({
      defaults: { schedules: [ok] },
      targets: [{ functionName: 'a', qualifier: 'live' }],
    });
    expect(fromDefaults.targets[0]?.schedules).toEqual([ok]);
  });

  it.each([
    ['not an array', { a: 1 }, 'targets[0].schedules', 'must be an array of schedules'],
    ['no expression', { ...ok, expression: undefined }, 'targets[0].schedules[0].expression', 'is required'],
    [
      'not cron or rate',
      { ...ok, expression: 'at(2026-01-01T00:00:00)' },
      'targets[0].schedules[0].expression',
      'must be cron(minutes hours day-of-month month day-of-week year) or rate(value unit)',
    ],
    [
      'five cron fields',
      { ...ok, expression: 'cron(0 9 * * ?)' },
      'targets[0].schedules[0].expression',
      'cron needs 6 fields (minutes hours day-of-month month day-of-week year), got 5',
    ],
    [
      'both day fields',
      { ...ok, expression: 'cron(0 9 1 * MON *)' },
      'targets[0].schedules[0].expression',
      'exactly one of day-of-month and day-of-week must be ?',
    ],
    [
      'an hour out of range',
      { ...ok, expression: 'cron(0 24 * * ? *)' },
      'targets[0].schedules[0].expression',
      'hours: 24 is outside 0-23',
    ],
    [
      'an unsupported W',
      { ...ok, expression: 'cron(0 9 15W * ? *)' },
      'targets[0].schedules[0].expression',
      "day-of-month: '15W' uses W, # or L in day-of-week, not supported yet",
    ],
    [
      'a bad rate unit',
      { ...ok, expression: 'rate(5 weeks)' },
      'targets[0].schedules[0].expression',
      "rate unit must be minutes, hours or days, got 'weeks'",
    ],
    [
      'an unknown zone',
      { ...ok, timezone: 'Mars/Olympus' },
      'targets[0].schedules[0].timezone',
      'must be an IANA time zone such as Europe/Paris or UTC',
    ],
    [
      'a duration without unit',
      { ...ok, duration: '30' },
      'targets[0].schedules[0].duration',
      'must match ^(\\d+)(m|h|d)$: 30m, 2h, 1d',
    ],
    [
      'a duration over a week',
      { ...ok, duration: '8d' },
      'targets[0].schedules[0].duration',
      'must be from 1m to 7d',
    ],
    ['no min', { ...ok, min: undefined }, 'targets[0].schedules[0].min', 'is required'],
    [
      'min above its max',
      { ...ok, min: 30, max: 20 },
      'targets[0].schedules[0].min',
      "must be ≤ the schedule's max",
    ],
    [
      'start on a cron',
      { ...ok, start: '2026-01-01T00:00:00Z' },
      'targets[0].schedules[0].start',
      'applies to rate(...) only: a cron names its own times',
    ],
    [
      'start without offset',
      { ...ok, expression: 'rate(1 day)', start: '2026-01-01T00:00:00' },
      'targets[0].schedules[0].start',
      'must be an ISO 8601 date-time with its offset, such as 2026-03-01T09:00:00+01:00',
    ],
    ['an unknown key', { ...ok, when: 'x' }, 'targets[0].schedules[0].when', 'unknown key "when"'],
  ])('%s: names the field and the rule', (_name, schedule, field, rule) => {
    const list = Array.isArray(schedule) ? schedule : (schedule as { a?: number }).a ? schedule : [schedule];
    expect(issues(withSchedules(list))).toContainEqual({ field, rule, target: 'api:live' });
  });

  it("rejects a scheduled min above the target's max unless the schedule sets its own max", () => {
    expect(issues(withSchedules([{ ...ok, min: 120 }]))).toContainEqual({
      field: 'targets[0].schedules[0].min',
      rule: "must be ≤ the target's max, or set the schedule's own max",
      target: 'api:live',
    });
    expect(parseConfig(withSchedules([{ ...ok, min: 120, max: 150 }])).targets[0]?.schedules[0]?.max).toBe(
      150,
    );
  });
});

describe('parseScheduleMap (backtest --schedules FILE)', () => {
  it('reads function id to schedules, with the zone filled in', () => {
    const map = parseScheduleMap(
      JSON.stringify({ 'fn-a': [{ expression: 'rate(1 hour)', duration: '10m', min: 3 }] }),
      'f.json',
    );
    expect(map.get('fn-a')).toEqual([
      { expression: 'rate(1 hour)', duration: '10m', min: 3, timezone: 'UTC' },
    ]);
  });

  it('names the file, the function id and the field of every problem at once', () => {
    try {
      parseScheduleMap(
        JSON.stringify({ 'fn-a': [{ expression: 'cron(x)', duration: '10m', min: 3 }], b: 'x' }),
        'f.json',
      );
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const err = e as ConfigError;
      expect(err.message).toContain('f.json');
      expect(err.issues.map((i) => i.field)).toEqual(['fn-a[0].expression', 'b']);
      expect(err.issues[0]).toBeInstanceOf(ValidationError);
    }
    expect(() => parseScheduleMap('{', 'f.json')).toThrow(/f.json: must be valid JSON/);
  });
});
