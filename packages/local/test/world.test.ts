import { FakeClock } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { sampleFunction } from '../src/sample-function.js';
import { LocalWorld } from '../src/world.js';

const T0 = 1_764_000_000_000;

describe('LocalWorld in simulated time', () => {
  it('replays real traffic at given simulated times with the reserved-concurrency rule', () => {
    const clock = new FakeClock(T0);
    const world = new LocalWorld({ clock }).addFunction(sampleFunction({ reservedConcurrency: 1 }));
    expect(world.injectReal('sample', 'live', 500, T0 + 1_000)).toMatchObject({
      status: 'ok',
      started: true,
    });
    expect(world.injectReal('sample', 'live', 500, T0 + 1_200)).toEqual({
      status: 'throttled',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    // INIT (50 ms) + 500 ms later the container is free again and is reused.
    expect(world.injectReal('sample', 'live', 500, T0 + 1_600)).toMatchObject({
      status: 'ok',
      started: false,
      containerId: 0,
    });
    const sim = world.sim('sample', 'live');
    expect(sim?.stats()).toMatchObject({ realInvocations: 2, coldStarts: 1 });
    // Throttles are the world's (the limit is shared across qualifiers), recorded in the per-minute metrics.
    const later = T0 + 10 * 60_000;
    const throttles = sim?.metrics.query('throttles', T0 - 60_000, later, later).values ?? [];
    expect(throttles.reduce<number>((a, v) => a + (v ?? 0), 0)).toBe(1);
  });

  it('shares reserved concurrency across qualifiers and the account pool across functions', () => {
    const clock = new FakeClock(T0);
    const world = new LocalWorld({ clock, accountConcurrency: 3 })
      .addFunction(sampleFunction({ name: 'a', reservedConcurrency: 1 }))
      .addFunction(sampleFunction({ name: 'b' }))
      .addFunction(sampleFunction({ name: 'c' }));
    expect(world.accountSettings()).toEqual({ concurrentExecutions: 3, unreservedConcurrentExecutions: 2 });
    expect(world.injectReal('a', 'live', 1_000)).toMatchObject({ status: 'ok' });
    expect(world.injectReal('a', '$LATEST', 1_000)).toMatchObject({ status: 'throttled' });
    expect(world.injectReal('b', 'live', 1_000)).toMatchObject({ status: 'ok' });
    expect(world.injectReal('c', 'live', 1_000)).toMatchObject({ status: 'ok' });
    expect(world.injectReal('b', 'live', 1_000)).toEqual({
      status: 'throttled',
      reason: 'ConcurrentInvocationLimitExceeded',
    });
    expect(world.busy('a')).toBe(1);
    clock.advance(5_000);
    expect(world.busy('a')).toBe(0);
  });

  it('rejects traffic for an unknown function or qualifier by field', () => {
    const world = new LocalWorld().addFunction(sampleFunction());
    expect(() => world.injectReal('sample', 'prod', 10)).toThrow(
      /functionName: no such function or qualifier/,
    );
  });
});
