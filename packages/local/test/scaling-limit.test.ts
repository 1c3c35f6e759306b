import { FakeClock } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { sampleFunction } from '../src/sample-function.js';
import { LocalWorld } from '../src/world.js';

const T0 = 1_764_000_000_000;

describe('LocalWorld: the per-function scaling rate', () => {
  it('starts at most `environments` new containers per window, then throttles; warm containers still serve', () => {
    const clock = new FakeClock(T0);
    const world = new LocalWorld({
      clock,
      accountConcurrency: 10_000,
      scalingRate: { environments: 3, perMs: 10_000, reason: 'ScalingTest' },
    }).addFunction(sampleFunction({ sim: { initMs: 0 } }));
    // Three long calls start three containers; a fourth at the same moment would need a new one.
    for (let i = 0; i < 3; i++)
      expect(world.injectReal('sample', 'live', 60_000, T0)).toMatchObject({ started: true });
    expect(world.injectReal('sample', 'live', 60_000, T0 + 1)).toEqual({
      status: 'throttled',
      reason: 'ScalingTest',
    });
    // Once the window has passed, three more may start.
    for (let i = 0; i < 3; i++)
      expect(world.injectReal('sample', 'live', 10, T0 + 10_001)).toMatchObject({
        status: 'ok',
        started: true,
      });
    expect(world.injectReal('sample', 'live', 10, T0 + 10_100)).toMatchObject({
      status: 'ok',
      started: false,
    });
  });

  it('defaults to AWS: 1,000 per 10 s, with a concurrency Reason', () => {
    const clock = new FakeClock(T0);
    const world = new LocalWorld({ clock, accountConcurrency: 5_000 }).addFunction(
      sampleFunction({ sim: { initMs: 0 } }),
    );
    let throttled = 0;
    for (let i = 0; i < 1_200; i++) {
      const r = world.injectReal('sample', 'live', 30_000, T0 + i);
      if (r.status === 'throttled') {
        throttled++;
        expect(r).toMatchObject({ reason: 'ConcurrentInvocationLimitExceeded' });
      }
    }
    expect(throttled).toBe(200);
    expect(new LocalWorld({ scalingRate: null }).scalingRate).toBeNull();
  });
});
