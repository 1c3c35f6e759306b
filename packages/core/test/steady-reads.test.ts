import { describe, expect, it } from 'vitest';
import {
  afterConcurrencyRead,
  type ConcurrencyReadState,
  ConfigError,
  concurrencyReadDue,
  decide,
  parseConfig,
  REASON_CODES,
  readWoken,
  ValidationError,
} from '../src/index.js';

const TICK = 300_000;
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const target = { min: 0, max: 50, schedules: [], maxTicksBetweenReads: 4 };
const state = (over: Partial<ConcurrencyReadState> = {}): ConcurrencyReadState => ({
  readMs: NOW - TICK,
  everyTicks: 2,
  count: 3,
  min: 0,
  max: 50,
  ...over,
});

describe('concurrencyReadDue: a steady target’s read backs off', () => {
  it.each([
    { name: 'a cold container reads', s: null, due: true },
    { name: 'read last tick, wait 2: deferred', s: state(), due: false },
    { name: 'read 2 ticks ago, wait 2: read', s: state({ readMs: NOW - 2 * TICK }), due: true },
    { name: 'wait 1 reads every tick', s: state({ everyTicks: 1 }), due: true },
    { name: 'a tick a little early still counts', s: state({ readMs: NOW - 2 * TICK + 2_000 }), due: true },
    { name: 'the same tick again (a duplicate): deferred', s: state({ readMs: NOW }), due: false },
    { name: 'the clock went back: read', s: state({ readMs: NOW + TICK }), due: true },
    { name: 'the bounds moved (a schedule began): read', s: state({ min: 2 }), due: true },
  ])('$name', ({ s, due }) => {
    expect(concurrencyReadDue({ state: s, target, nowMs: NOW, tickIntervalSeconds: 300 })).toBe(due);
  });

  it('reads at once after a short round', () => {
    const input = { state: state(), target, nowMs: NOW, tickIntervalSeconds: 300 };
    expect(concurrencyReadDue(input)).toBe(false);
    expect(concurrencyReadDue({ ...input, lastRoundShort: true })).toBe(true);
  });

  it('never waits longer than the target now allows (its config was lowered)', () => {
    const s = state({ readMs: NOW - TICK, everyTicks: 8 });
    const input = { state: s, nowMs: NOW, tickIntervalSeconds: 300 };
    expect(concurrencyReadDue({ ...input, target: { ...target, maxTicksBetweenReads: 8 } })).toBe(false);
    expect(concurrencyReadDue({ ...input, target: { ...target, maxTicksBetweenReads: 1 } })).toBe(true);
  });
});

describe('readWoken: cold starts delivered since the last read bring it forward', () => {
  const woken = { ...target, maxTicksBetweenReads: 12, wakeAfterColdStarts: 2 };
  it.each([
    { name: 'none delivered: deferred', since: undefined, after: 2, due: false },
    { name: 'one, under 2: deferred', since: 1, after: 2, due: false },
    { name: 'two: read', since: 2, after: 2, due: true },
    { name: 'many: read', since: 40, after: 2, due: true },
    { name: 'wakeAfterColdStarts 0 never wakes', since: 40, after: 0, due: false },
    { name: 'not a number: deferred', since: Number.NaN, after: 2, due: false },
  ])('$name', ({ since, after, due }) => {
    const input = {
      state: state(),
      target: { ...woken, wakeAfterColdStarts: after },
      nowMs: NOW,
      tickIntervalSeconds: 300,
      coldStartsSinceRead: since,
    };
    expect(readWoken(input)).toBe(due);
    expect(concurrencyReadDue(input)).toBe(due);
  });

  it('the state after a read keeps the mark it saw, the baseline of the next wake', () => {
    const next = afterConcurrencyRead(
      state(),
      { nowMs: NOW, count: 3, tickIntervalSeconds: 300, coldStartsSeen: 17 },
      target,
    );
    expect(next.coldStartsSeen).toBe(17);
    expect(
      afterConcurrencyRead(state(), { nowMs: NOW, count: 3, tickIntervalSeconds: 300 }, target),
    ).not.toHaveProperty('coldStartsSeen');
  });
});

describe('afterConcurrencyRead: the wait doubles while the count holds', () => {
  it.each([
    { name: 'first read: wait 1', prev: null, count: 3, every: 1 },
    { name: 'same count: 1 → 2', prev: state({ everyTicks: 1 }), count: 3, every: 2 },
    { name: 'same count: 2 → 4', prev: state({ everyTicks: 2 }), count: 3, every: 4 },
    { name: 'same count at the most: stays 4', prev: state({ everyTicks: 4 }), count: 3, every: 4 },
    { name: 'another count: back to 1', prev: state({ everyTicks: 4 }), count: 5, every: 1 },
  ])('$name', ({ prev, count, every }) => {
    const next = afterConcurrencyRead(prev, { nowMs: NOW, count, tickIntervalSeconds: 300 }, target);
    expect(next).toEqual({ readMs: NOW, everyTicks: every, count, min: 0, max: 50 });
  });

  it('rejects a most that is not an integer >= 1, naming the field', () => {
    expect(() =>
      afterConcurrencyRead(
        null,
        { nowMs: NOW, count: 1, tickIntervalSeconds: 300 },
        { ...target, maxTicksBetweenReads: 0 },
      ),
    ).toThrow(ValidationError);
  });
});

describe('maxTicksBetweenReads in the config', () => {
  it('defaults to 12 (a steady target read at most every 12 ticks, sooner when woken)', () => {
    const c = parseConfig({ targets: [{ functionName: 'api', qualifier: 'live' }] });
    expect(c.targets[0]?.maxTicksBetweenReads).toBe(12);
  });

  it.each([
    [0, 'must be ≥ 1'],
    [13, 'must be ≤ MAX_TICKS_BETWEEN_READS (12)'],
    [2.5, 'must be an integer number of ticks in [1, 12]'],
    ['4', 'must be an integer number of ticks in [1, 12]'],
  ])('rejects %s with the field and the rule', (value, rule) => {
    let error: unknown;
    try {
      parseConfig({
        targets: [{ functionName: 'api', qualifier: 'live', maxTicksBetweenReads: value as number }],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => `${i.field}: ${i.rule}`)).toEqual([
      `targets[0].maxTicksBetweenReads: ${rule}`,
    ]);
  });
});

describe('decide() on a deferred read', () => {
  const config = parseConfig({ targets: [{ functionName: 'api', qualifier: 'live', min: 1, max: 10 }] });
  const t = config.targets[0] as (typeof config.targets)[number];
  const empty = { startMs: NOW, values: [] };
  const history = (readAtMs: number | undefined) => ({
    concurrency: empty,
    coldStarts: empty,
    concurrencyReadAtMs: readAtMs,
    pastDecisions: [],
    capacity: { reservedConcurrency: null, unreservedConcurrency: null },
  });
  const prev = {
    version: 1 as const,
    headroom: 1.4,
    updatedForWindowMs: NOW - TICK,
    quietWindows: 2,
    lastCount: 6,
  };

  it('keeps the last count and the tuning state, and says the read was deferred', () => {
    const d = decide({ target: t, tickIntervalSeconds: 300 }, history(NOW - 2 * TICK), prev, NOW);
    expect(d.count).toBe(6);
    expect(d.headroom).toBe(1.4);
    expect(d.state).toMatchObject({ headroom: 1.4, quietWindows: 2, lastCount: 6 });
    expect(d.reasons.map((r) => r.code)).toEqual([REASON_CODES.readDeferred, REASON_CODES.budgetUnknown]);
    expect(d.forecast.why).toMatch(/read deferred/);
  });

  it('still applies the bounds: a lowered max cuts the kept count', () => {
    const low = { ...t, max: 4 };
    const d = decide({ target: low, tickIntervalSeconds: 300 }, history(NOW - TICK), prev, NOW);
    expect(d.count).toBe(4);
    expect(d.reasons.map((r) => r.code)).toContain(REASON_CODES.clampedToMax);
  });
});

describe('decide() on a read that cold starts brought forward', () => {
  const config = parseConfig({ targets: [{ functionName: 'api', qualifier: 'live', max: 10 }] });
  const t = config.targets[0] as (typeof config.targets)[number];
  const series = {
    startMs: NOW - 60 * 60_000,
    values: Array.from({ length: 60 }, (_, i) => (i > 55 ? 4 : 0)),
  };
  const h = (woken?: number) => ({
    concurrency: series,
    coldStarts: { startMs: series.startMs, values: series.values.map((v) => (v > 0 ? 1 : 0)) },
    pastDecisions: [],
    capacity: { reservedConcurrency: null, unreservedConcurrency: null },
    ...(woken !== undefined ? { wokenByColdStarts: woken } : {}),
  });

  it('says so (read-woken), and decides as any read would', () => {
    const woken = decide({ target: t, tickIntervalSeconds: 300 }, h(3), null, NOW);
    const due = decide({ target: t, tickIntervalSeconds: 300 }, h(), null, NOW);
    expect(woken.reasons.find((r) => r.code === REASON_CODES.readWoken)?.message).toBe(
      'read before its back-off was due: 3 user-felt cold start(s) delivered since the last read',
    );
    expect(due.reasons.map((r) => r.code)).not.toContain(REASON_CODES.readWoken);
    expect(woken.count).toBe(due.count);
  });
});
