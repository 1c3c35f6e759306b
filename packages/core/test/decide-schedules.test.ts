import { decide, REASON_CODES, type ScheduleConfig } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { history, MIN, NOW, range, target } from './engine-helpers.js';

// NOW is Monday 2026-01-05 12:00 UTC (13:00 in Paris, CET).
const quiet = history(range(360, () => 1));
const cfg = (schedules: ScheduleConfig[], over = {}) => ({
  target: target({ schedules, max: 10, ...over }),
  tickIntervalSeconds: 300,
});
const lunch: ScheduleConfig = {
  expression: 'cron(0 13 ? * MON-FRI *)',
  timezone: 'Europe/Paris',
  duration: '30m',
  min: 25,
  max: 40,
};
const codes = (d: { reasons: readonly { code: string }[] }) => d.reasons.map((r) => r.code);

describe('decide with schedules (known events)', () => {
  it('raises the count to the scheduled min while the event holds, with the reason scheduled-min', () => {
    const d = decide(cfg([lunch]), quiet, null, NOW);
    expect(d.rawCount).toBeLessThan(25);
    expect(d).toMatchObject({ boundedCount: 25, count: 25, bounds: { min: 25, max: 40 } });
    expect(codes(d)).toContain(REASON_CODES.scheduledMin);
    expect(codes(d)).not.toContain(REASON_CODES.clampedToMin);
    const reason = d.reasons.find((r) => r.code === REASON_CODES.scheduledMin);
    expect(reason?.message).toContain('schedules[0] cron(0 13 ? * MON-FRI *) (Europe/Paris)');
    expect(reason?.message).toContain('raised to the scheduled min 25');
  });

  it('warms at the tick before the event, not a tick late', () => {
    const d = decide(cfg([lunch]), quiet, null, NOW - 5 * MIN);
    expect(d.count).toBe(25);
  });

  it.each([
    ['two ticks before', -10 * MIN],
    ['once it stopped holding', 30 * MIN],
    ['a day of the week it does not name', 5 * 24 * 60 * MIN], // Saturday
  ])('leaves the bounds alone %s', (_name, offset) => {
    const d = decide(cfg([lunch]), quiet, null, NOW + offset);
    expect(d.bounds).toEqual({ min: 0, max: 10 });
    expect(codes(d)).not.toContain(REASON_CODES.scheduledMin);
  });

  it('says a schedule held without raising a count that was already above its min', () => {
    const busy = history(range(360, () => 30));
    const d = decide(cfg([lunch]), busy, null, NOW);
    expect(d.rawCount).toBeGreaterThan(25);
    expect(d.rawCount).toBeLessThanOrEqual(40); // the schedule's max replaces the target's 10
    // Traffic keeps most of that pool busy (traffic-keeps-pool), so the round shrinks, but never below the
    // scheduled min while the schedule holds.
    expect(d.count).toBeGreaterThanOrEqual(25);
    expect(d.count).toBeLessThanOrEqual(d.rawCount);
    expect(d.reasons.find((r) => r.code === REASON_CODES.scheduledMin)?.message).toContain(
      'not raised by it',
    );
  });

  it('still lets the budget win over a scheduled min: real traffic first', () => {
    const d = decide(
      cfg([lunch]),
      { ...quiet, capacity: { reservedConcurrency: 50, unreservedConcurrency: null } },
      null,
      NOW,
    );
    expect(d.count).toBe(10); // 0.2 × 50
    expect(codes(d)).toContain(REASON_CODES.budgetBelowMin);
  });

  it('is pure: the same inputs give a deep-equal decision', () => {
    expect(decide(cfg([lunch]), quiet, null, NOW)).toEqual(decide(cfg([lunch]), quiet, null, NOW));
  });
});
