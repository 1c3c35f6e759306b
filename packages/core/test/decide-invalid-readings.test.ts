import { decide, REASON_CODES } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { history, NOW, range, target } from './engine-helpers.js';

const cfg = (over = {}) => ({ target: target(over), tickIntervalSeconds: 300 });
const codes = (d: { reasons: readonly { code: string }[] }) => d.reasons.map((r) => r.code);

describe('readings that are not readings (issue 11: an all-negative series was reported as "new function")', () => {
  it.each([
    { name: 'all negative', values: range(360, () => -3) },
    { name: 'all NaN', values: range(360, () => Number.NaN) },
    { name: 'all infinite', values: range(360, () => Number.POSITIVE_INFINITY) },
  ])('$name: neither new nor idle, the invalid readings named and counted; min is warmed', ({ values }) => {
    const d = decide(cfg({ min: 2 }), history(values), null, NOW);
    expect(codes(d)).toContain(REASON_CODES.invalidReadings);
    expect(codes(d)).not.toContain(REASON_CODES.newFunction);
    expect(codes(d)).not.toContain(REASON_CODES.idle);
    expect(d.reasons.find((r) => r.code === REASON_CODES.invalidReadings)?.message).toMatch(
      /^\d+ of \d+ concurrency readings were negative, NaN or infinite and were ignored$/,
    );
    expect(d.count).toBe(2);
  });

  it('a few bad readings among good ones are reported, and the good ones still forecast', () => {
    const d = decide(cfg(), history(range(360, (i) => (i % 60 === 0 ? -1 : 10))), null, NOW);
    expect(codes(d)).toContain(REASON_CODES.invalidReadings);
    expect(d.forecast.peak).toBe(10);
  });

  it('a new function (nothing reported at all) is still "new function", with no invalid readings', () => {
    const d = decide(cfg(), history(range(30, () => null)), null, NOW);
    expect(codes(d)).toContain(REASON_CODES.newFunction);
    expect(codes(d)).not.toContain(REASON_CODES.invalidReadings);
  });
});
