import { decide, initialTuningState, REASON_CODES } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { history, NOW, range, target } from './engine-helpers.js';

const cfg = (over = {}) => ({ target: target(over), tickIntervalSeconds: 300 });
const codes = (d: { reasons: readonly { code: string }[] }) => d.reasons.map((r) => r.code);

describe('decide', () => {
  it('warms ceil(peak x headroom) for a steady load', () => {
    const d = decide(cfg(), history(range(360, () => 10)), null, NOW);
    expect(d.forecast.peak).toBe(10);
    expect(d.headroom).toBe(1.2);
    expect(d.rawCount).toBe(12);
    expect(d.count).toBe(12);
    expect(d.windowStartMs).toBe(NOW);
    expect(d.windowEndMs).toBe(NOW + 5 * 60_000);
    expect(d.forecast.horizonMinutes).toBe(5);
    expect(d.state.lastCount).toBe(12);
    expect(codes(d)).toContain(REASON_CODES.budgetUnknown);
    expect(initialTuningState().headroom).toBe(1.2);
  });
});
