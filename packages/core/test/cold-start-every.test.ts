import { describe, expect, it } from 'vitest';
import { COLD_START_EVERY_TICKS, coldStartReadDue, ValidationError } from '../src/index.js';
import { TUNING_CHANGES, updateTuning } from '../src/tuning/headroom.js';

const TICK = 300_000;
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('coldStartReadDue: a busy target’s cold-start count read at most every K ticks', () => {
  it.each([
    { name: 'a cold container reads', last: null, k: 12, due: true },
    { name: 'K = 1 reads every tick', last: NOW - TICK, k: 1, due: true },
    { name: 'read last tick, K = 3: reuse', last: NOW - TICK, k: 3, due: false },
    { name: 'read 2 ticks ago, K = 3: reuse', last: NOW - 2 * TICK, k: 3, due: false },
    { name: 'read 3 ticks ago, K = 3: read', last: NOW - 3 * TICK, k: 3, due: true },
    { name: 'read long ago: read', last: NOW - 100 * TICK, k: 6, due: true },
    {
      name: 'a tick a little early still counts as the third',
      last: NOW - 3 * TICK + 2_000,
      k: 3,
      due: true,
    },
    { name: 'the same tick again (a duplicate delivery): reuse', last: NOW, k: 3, due: false },
    { name: 'the clock went back: read', last: NOW + TICK, k: 3, due: true },
  ])('$name', ({ last, k, due }) => {
    expect(coldStartReadDue(last, NOW, 300, k)).toBe(due);
  });

  it.each([0, -1, 2.5, Number.NaN])('rejects K = %s, naming the field and the rule', (k) => {
    expect(() => coldStartReadDue(null, NOW, 300, k)).toThrow(ValidationError);
    expect(() => coldStartReadDue(null, NOW, 300, k)).toThrow(/coldStartEveryTicks.*integer >= 1/);
  });

  it('has a default of at least 1', () => {
    expect(Number.isInteger(COLD_START_EVERY_TICKS) && COLD_START_EVERY_TICKS >= 1).toBe(true);
  });
});

describe('updateTuning when the last window’s cold starts were not read', () => {
  const state = {
    version: 1 as const,
    headroom: 1.5,
    updatedForWindowMs: null,
    quietWindows: 3,
    lastCount: 10,
  };

  it('neither raises nor counts a quiet window, and marks the window applied', () => {
    const quiet = updateTuning(
      state,
      { coldStarts: 0, observedPeak: 2, warmed: 10, coldStartsUnread: true },
      NOW,
    );
    expect(quiet.change).toBe(TUNING_CHANGES.held);
    expect(quiet.state).toEqual({ ...state, updatedForWindowMs: NOW });
    expect(quiet.message).toMatch(/not read/);
    // without the flag, the same window would count as quiet (and decay past the grace windows)
    const known = updateTuning(state, { coldStarts: 0, observedPeak: 2, warmed: 10 }, NOW);
    expect(known.state.quietWindows).toBe(4);
  });
});
