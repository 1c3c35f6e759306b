import { describe, expect, it } from 'vitest';
import { coldStartsNeeded, type PastDecision, risenSinceColdRead } from '../src/index.js';

const MIN = 60_000;
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0); // a tick on the 5-minute grid
// The feedback span of this tick: the 5 minutes ending 2 minutes before it, [11:53, 11:58).
const SPAN_START = NOW - 7 * MIN;

/** Concurrency per minute from 11:50 to 12:00, with `at` (minute offsets from 11:53) set to values. */
function series(at: Record<number, number | null> = {}) {
  const start = NOW - 10 * MIN;
  const values = Array.from({ length: 10 }, (_, i) => {
    const k = i - 3;
    return k in at ? (at[k] as number | null) : 0;
  });
  return { startMs: start, values };
}

/** A round of `count` pings fired at minute offset `k` of the span (30 s into the minute). */
const ping = (k: number, count: number, reached?: number): PastDecision => ({
  windowStartMs: SPAN_START + k * MIN,
  warmedAtMs: SPAN_START + k * MIN + 30_000,
  count,
  reached,
});

const base = { holdMs: 'auto' as const, tickIntervalSeconds: 300, nowMs: NOW, pastDecisions: [] };

describe('coldStartsNeeded', () => {
  it.each([
    ['a quiet span: nothing ran', {}, [], false],
    ['missing datapoints: Lambda reports only minutes the function ran', { 0: null, 1: null }, [], false],
    ['real traffic in the span', { 2: 1 }, [], true],
    ['only the pings: the minute reads the round', { 1: 4 }, [ping(1, 4)], false],
    ['a request beside the round reads above it', { 1: 5 }, [ping(1, 4)], true],
    [
      'a round that reached fewer containers is compared with what it reached',
      { 1: 4 },
      [ping(1, 5, 3)],
      true,
    ],
    ['real traffic before the span does not count', { [-2]: 9 }, [], false],
    ['real traffic after the span (not yet fed back) does not count', { 5: 9 }, [], false],
  ] as const)('%s', (_name, at, decisions, expected) => {
    expect(
      coldStartsNeeded({
        ...base,
        concurrency: series(at),
        pastDecisions: decisions as readonly PastDecision[],
      }),
    ).toBe(expected);
  });

  it('reads nothing into an empty series', () => {
    expect(coldStartsNeeded({ ...base, concurrency: { startMs: NOW, values: [] } })).toBe(false);
  });
});

describe('risenSinceColdRead', () => {
  // The series runs 11:50 to 12:00 (minute offsets -3 to 6 from 11:53); the count was last read at 11:55 (offset 2).
  const READ_AT = SPAN_START + 2 * MIN;
  it.each([
    ['steady traffic', { [-3]: 4, [-2]: 4, 0: 4, 2: 4, 3: 4 }, [], false],
    ['falling traffic', { [-3]: 6, 2: 3, 3: 2 }, [], false],
    ['a new high after the read', { [-3]: 4, 3: 5 }, [], true],
    ['the same high again is no rise', { [-3]: 5, 4: 5 }, [], false],
    ['a round of pings after the read is not traffic', { [-3]: 4, 3: 6 }, [ping(3, 6)], false],
    ['a request beside that round is', { [-3]: 4, 3: 11 }, [ping(3, 6)], true],
    ['nothing reported at all', { [-3]: null, 3: null }, [], false],
  ] as const)('%s', (_label, at, pings, risen) => {
    expect(
      risenSinceColdRead(
        { ...base, concurrency: series(at as Record<number, number | null>), pastDecisions: [...pings] },
        READ_AT,
      ),
    ).toBe(risen);
  });
});
