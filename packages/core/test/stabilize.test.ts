import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  decide,
  forecastMade,
  type PastDecision,
  parseConfig,
  REASON_CODES,
  rawCountToHold,
  STABILIZATION_DEFAULTS,
  stabilizedCount,
} from '../src/index.js';
import { endingAt, MIN, NOW, target } from './engine-helpers.js';

const TICK = 5 * MIN;
const past = (ticksAgo: number, rawCount: number | undefined): PastDecision => ({
  windowStartMs: NOW - ticksAgo * TICK,
  warmedAtMs: NOW - ticksAgo * TICK,
  count: rawCount ?? 0,
  rawCount,
});

describe('stabilizedCount: a pool shrinks only once no recent raw count asks for more', () => {
  const opts = { windowMinutes: 30, maxCount: 10 };
  it.each([
    { name: 'no past: the raw count stands', raw: 2, p: [], count: 2, from: null },
    {
      name: 'a higher raw count 10 min ago holds it',
      raw: 2,
      p: [past(2, 6)],
      count: 6,
      from: NOW - 2 * TICK,
    },
    {
      name: 'the highest in the window wins',
      raw: 1,
      p: [past(1, 3), past(4, 7), past(5, 5)],
      count: 7,
      from: NOW - 4 * TICK,
    },
    {
      name: 'exactly the window’s length ago still holds',
      raw: 0,
      p: [past(6, 4)],
      count: 4,
      from: NOW - 6 * TICK,
    },
    { name: 'older than the window holds nothing', raw: 0, p: [past(7, 9)], count: 0, from: null },
    { name: 'a spike is held only up to maxCount', raw: 1, p: [past(1, 1000)], count: 10, from: NOW - TICK },
    { name: 'a lower past count changes nothing', raw: 5, p: [past(1, 3)], count: 5, from: null },
    {
      name: 'a decision without a raw count holds nothing',
      raw: 0,
      p: [past(1, undefined)],
      count: 0,
      from: null,
    },
    { name: 'this window’s own record holds nothing', raw: 0, p: [past(0, 8)], count: 0, from: null },
  ])('$name', ({ raw, p, count, from }) => {
    expect(stabilizedCount(raw, p, NOW, opts)).toEqual({ count, fromWindowMs: from });
  });

  it('is off with a window of 0 minutes', () => {
    expect(stabilizedCount(1, [past(1, 9)], NOW, { windowMinutes: 0, maxCount: 10 }).count).toBe(1);
  });
});

describe('decide() with scale-down stabilization', () => {
  // Traffic was at 6 an hour ago and has been 1 since: the forecast asks for little, the recent raw counts more.
  const concurrency = endingAt(NOW - 2 * MIN, [...Array(300).fill(1)]);
  const history = (pastDecisions: PastDecision[]) => ({
    concurrency,
    coldStarts: endingAt(NOW - 2 * MIN, []),
    pastDecisions,
    capacity: { reservedConcurrency: null, unreservedConcurrency: null },
  });

  it('holds the count at a recent higher raw count, says so, and records its own forecast’s raw count', () => {
    const t = target({ holdMs: 100, stabilization: { windowMinutes: 60, maxCount: 10 } });
    const d = decide({ target: t, tickIntervalSeconds: 300 }, history([past(3, 6)]), null, NOW);
    expect(d.rawCount).toBeLessThan(6);
    expect(d.stabilized).toEqual({ count: 6, fromWindowMs: NOW - 3 * TICK });
    expect(d.boundedCount).toBe(6);
    expect(d.reasons.map((r) => r.code)).toContain(REASON_CODES.scaleDownHeld);
    // what the next decision holds on is this forecast's raw count, not the held 6: no loop holding it forever
    expect(rawCountToHold(d)).toBe(d.rawCount);
  });

  it('lets the pool fall once the window has passed', () => {
    const t = target({ holdMs: 100, stabilization: { windowMinutes: 60, maxCount: 10 } });
    const d = decide({ target: t, tickIntervalSeconds: 300 }, history([past(13, 6)]), null, NOW);
    expect(d.stabilized).toBeUndefined();
    expect(d.reasons.map((r) => r.code)).not.toContain(REASON_CODES.scaleDownHeld);
  });

  it('holds nothing on a decision that kept the last one (no forecast of its own)', () => {
    const kept = decide(
      { target: target(), tickIntervalSeconds: 300 },
      { ...history([]), metricsUnavailable: true },
      { version: 1, headroom: 1.2, updatedForWindowMs: null, quietWindows: 0, lastCount: 9 },
      NOW,
    );
    expect(kept.count).toBe(9);
    expect(rawCountToHold(kept)).toBeUndefined();
  });
});

describe('stabilization in the config', () => {
  it('defaults to STABILIZATION_DEFAULTS and merges key by key', () => {
    const c = parseConfig({
      defaults: { stabilization: { maxCount: 4 } },
      targets: [
        { functionName: 'a', qualifier: 'live' },
        { functionName: 'b', qualifier: 'live', stabilization: { windowMinutes: 0 } },
      ],
    });
    expect(c.targets[0]?.stabilization).toEqual({
      windowMinutes: STABILIZATION_DEFAULTS.windowMinutes,
      maxCount: 4,
    });
    expect(c.targets[1]?.stabilization).toEqual({ windowMinutes: 0, maxCount: 4 });
  });

  it('names the field and the rule for a bad value', () => {
    let error: unknown;
    try {
      parseConfig({
        targets: [
          { functionName: 'a', qualifier: 'live', stabilization: { windowMinutes: 400, maxCount: -1 } },
        ],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => `${i.field}: ${i.rule}`)).toEqual([
      'targets[0].stabilization.windowMinutes: must be ≤ 360',
      'targets[0].stabilization.maxCount: must be ≥ 0',
    ]);
  });
});

describe('forecastMade', () => {
  it('is true only for a decision whose forecast ran (it always scores its candidates)', () => {
    expect(forecastMade({ forecast: { candidates: [{ model: 'holt', score: 1 }] } } as never)).toBe(true);
    expect(forecastMade({ forecast: { candidates: [] } } as never)).toBe(false);
    expect(forecastMade({} as never)).toBe(false);
    expect(forecastMade(null)).toBe(false);
  });
});
