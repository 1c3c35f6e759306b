import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestStart } from '../src/schedule/evaluate.js';
import { parseScheduleExpression } from '../src/schedule/expression.js';
import { localTime, wallMs } from '../src/schedule/zone.js';

const MIN = 60_000;
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
// Windows around the 2026 transitions of these zones (Lord Howe shifts by 30 minutes), and an ordinary week.
const AROUND = [
  '2026-03-08T00:00:00Z',
  '2026-03-29T00:00:00Z',
  '2026-04-05T00:00:00Z',
  '2026-10-25T00:00:00Z',
  '2026-11-01T00:00:00Z',
  '2026-06-10T00:00:00Z',
].map(Date.parse);

/**
 * The slow, obvious reading of a cron: walk every minute instant, read the zone's wall clock, keep the instants
 * whose wall time matches, and let a wall time the clock shows twice start only at its first reading.
 */
function bruteLatest(
  minutes: number[],
  hours: number[],
  zone: string,
  atMs: number,
  fromMs: number,
): number | null {
  let latest: number | null = null;
  const seen = new Set<number>();
  for (let t = fromMs - 3 * 60 * MIN; t <= atMs; t += MIN) {
    const local = localTime(zone, t);
    const wall = wallMs(local);
    const first = !seen.has(wall);
    seen.add(wall);
    if (t < fromMs || !first) continue;
    if (minutes.includes(local.minute) && hours.includes(local.hour)) latest = t;
  }
  return latest;
}

describe('latestStart agrees with a minute-by-minute reading of the wall clock', () => {
  it('for daily crons in zones with and without daylight saving, across their transitions', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...ZONES),
        fc.constantFrom(...AROUND),
        fc.integer({ min: 0, max: 48 * 60 }),
        (minutes, hours, zone, around, offsetMin) => {
          const parsed = parseScheduleExpression(`cron(${minutes.join(',')} ${hours.join(',')} * * ? *)`);
          if (!parsed.ok) throw new Error(parsed.rule);
          const at = around + offsetMin * MIN;
          const from = at - 26 * 60 * MIN;
          expect(latestStart(parsed.spec, { timezone: zone }, at, from)).toBe(
            bruteLatest(minutes, hours, zone, at, from),
          );
        },
      ),
      { numRuns: 60, seed: 13 },
    );
  });
});
