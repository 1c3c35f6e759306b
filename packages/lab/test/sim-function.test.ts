import { ValidationError } from '@warmpool/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimFunction } from '../src/sim/sim-function.js';

const MIN = 60_000;
const base = {
  initMs: 100,
  idleReapMs: 5 * MIN,
  maxLifetimeMs: 10 * 3_600_000,
  lifetimeJitter: 0,
  metricLagMs: MIN,
};

describe('SimFunction containers', () => {
  it('starts cold once, then reuses the idle container', () => {
    const f = new SimFunction(base);
    const a = f.invoke(0, 'real', 50);
    expect(a).toMatchObject({ status: 'ok', started: true, busyUntilMs: 150 });
    const b = f.invoke(1_000, 'real', 50);
    expect(b).toMatchObject({ started: false, containerId: a.containerId, busyUntilMs: 1_050 });
    expect(f.stats()).toMatchObject({ realInvocations: 2, coldStarts: 1, containersStarted: 1 });
  });

  it('starts a second container for an overlapping request and reports concurrency 2', () => {
    const f = new SimFunction(base);
    f.invoke(0, 'real', 1_000);
    expect(f.invoke(500, 'real', 1_000).started).toBe(true);
    f.advanceTo(2 * MIN);
    expect(f.metrics.raw('concurrency')[0]).toBe(2);
    expect(f.metrics.raw('concurrency')[1]).toBe(0);
    expect(f.containers).toBe(2);
  });

  it('counts a container busy across a minute boundary in both minutes', () => {
    const f = new SimFunction(base);
    f.invoke(59_000, 'real', 5_000);
    f.advanceTo(3 * MIN);
    expect(f.metrics.raw('concurrency').slice(0, 3)).toEqual([1, 1, 0]);
  });

  it('reaps a container idle for idleReapMs, not before', () => {
    const f = new SimFunction(base);
    f.invoke(0, 'real', 0); // idle from INIT end, t = 100
    expect(f.invoke(100 + 5 * MIN - 1, 'real', 0).started).toBe(false);
    const g = new SimFunction(base);
    g.invoke(0, 'real', 0);
    expect(g.invoke(100 + 5 * MIN, 'real', 0).started).toBe(true);
    expect(g.stats().reaped).toBe(1);
  });

  it('reaps the oldest idle containers first, so the pool shrinks to what recent traffic used', () => {
    const f = new SimFunction(base);
    for (let i = 0; i < 3; i++) f.invoke(0, 'real', 1_000);
    // Only one request every minute afterwards: the two others age out.
    for (let t = MIN; t <= 10 * MIN; t += MIN) f.invoke(t, 'real', 10);
    expect(f.containers).toBe(1);
    expect(f.stats()).toMatchObject({ coldStarts: 3, reaped: 2 });
  });

  it('recycles a container at the end of its lifetime even when it is kept busy', () => {
    const f = new SimFunction({ ...base, maxLifetimeMs: 10 * MIN });
    f.invoke(0, 'real', 10);
    let cold = 0;
    for (let t = MIN; t <= 20 * MIN; t += MIN) if (f.invoke(t, 'real', 10).started) cold++;
    expect(cold).toBe(2); // at 10 and 20 minutes
    expect(f.stats().recycled).toBe(2);
  });

  it('throttles beyond the concurrency limit and does not count throttles as invocations', () => {
    const f = new SimFunction({ ...base, concurrencyLimit: 1 });
    f.invoke(0, 'real', 1_000);
    expect(f.invoke(10, 'real', 1_000).status).toBe('throttled');
    f.advanceTo(MIN);
    expect(f.metrics.raw('throttles')[0]).toBe(1);
    expect(f.metrics.raw('invocations')[0]).toBe(1);
    expect(f.stats().throttles).toBe(1);
  });

  it('rejects time going backwards, naming the field', () => {
    const f = new SimFunction(base);
    f.advanceTo(1_000);
    expect(() => f.invoke(999, 'real', 1)).toThrow(ValidationError);
    expect(() => f.invoke(999, 'real', 1)).toThrow(/tMs: must not go back in time/);
  });

  it('rejects bad parameters, naming the field and the rule', () => {
    expect(() => new SimFunction({ idleReapMs: 0 })).toThrow(/idleReapMs: must be a positive number/);
    expect(() => new SimFunction({ concurrencyLimit: 1.5 })).toThrow(/concurrencyLimit/);
  });
});

describe('SimFunction warm pings', () => {
  it('a ping that finds no idle container prewarms one: not a user-felt cold start', () => {
    const f = new SimFunction(base);
    expect(f.ping(0, 3, 500)).toBe(3);
    expect(f.stats()).toMatchObject({ pings: 3, prewarms: 3, coldStarts: 0, prewarmInitMs: 300 });
    // Three overlapping real requests after the hold all find warm containers.
    for (let i = 0; i < 3; i++) expect(f.invoke(1_000, 'real', 100).started).toBe(false);
    f.advanceTo(MIN);
    expect(f.metrics.raw('concurrency')[0]).toBe(3);
    expect(f.metrics.raw('invocations')[0]).toBe(6); // CloudWatch counts pings as invocations
    expect(f.metrics.raw('coldStarts')[0]).toBe(0);
  });

  it('a real request that finds pings holding the idle containers starts cold: interference', () => {
    const f = new SimFunction(base);
    f.invoke(0, 'real', 10); // one warm container
    f.ping(1_000, 1, 2_000); // the ping takes it
    const r = f.invoke(1_500, 'real', 10);
    expect(r).toMatchObject({ started: true, interference: true });
    expect(f.stats()).toMatchObject({ coldStarts: 2, interference: 1, prewarms: 0 });
  });

  it('is not interference when the ping-held container exists only because of the ping', () => {
    const f = new SimFunction(base);
    f.ping(0, 1, 2_000); // prewarm
    const r = f.invoke(500, 'real', 10);
    expect(r).toMatchObject({ started: true, interference: false });
  });

  it('pings keep containers from being reaped', () => {
    const f = new SimFunction(base);
    f.ping(0, 2, 100);
    for (let t = 4 * MIN; t <= 60 * MIN; t += 4 * MIN) f.ping(t, 2, 100);
    expect(f.invoke(61 * MIN, 'real', 1).started).toBe(false);
    expect(f.stats().prewarms).toBe(2);
  });
});

describe('SimFunction warming without holding (the interference-free reference)', () => {
  it('leaves the pool a round would, but a request arriving during the hold finds a warm container', () => {
    const held = new SimFunction(base);
    const free = new SimFunction(base);
    for (const f of [held, free]) f.invoke(0, 'real', 10); // one warm container each
    held.ping(1_000, 3, 2_000);
    free.warmWithoutHolding(1_000, 3, 2_000);
    expect(held.invoke(1_500, 'real', 10)).toMatchObject({ started: true, interference: true });
    expect(free.invoke(1_500, 'real', 10)).toMatchObject({ started: false, interference: false });
    // Same containers, same bill: 3 pings of 2 s, 2 of them new.
    expect(free.containers).toBe(3);
    expect(free.stats()).toMatchObject({ pings: 3, prewarms: 2, pingBilledMs: 6_000, prewarmInitMs: 200 });
    expect(held.stats()).toMatchObject({ pings: 3, prewarms: 2, pingBilledMs: 6_000 });
  });

  it('restarts the idle timer of the containers it reaches, so they outlive the idle time', () => {
    const f = new SimFunction(base);
    f.invoke(0, 'real', 10);
    f.invoke(0, 'real', 10); // two warm containers
    for (let t = 4 * MIN; t <= 40 * MIN; t += 4 * MIN) f.warmWithoutHolding(t, 2, 100);
    expect(f.containers).toBe(2);
    expect(f.invoke(41 * MIN, 'real', 10).started).toBe(false);
    expect(f.invoke(41 * MIN, 'real', 10).started).toBe(false);
    expect(f.stats()).toMatchObject({ coldStarts: 2, prewarms: 0, reaped: 0 });
  });

  it('cannot reach a busy container, as a round cannot: it starts a new one', () => {
    const f = new SimFunction(base);
    f.invoke(0, 'real', 60_000); // busy for a minute
    f.warmWithoutHolding(1_000, 1, 100);
    expect(f.containers).toBe(2);
    expect(f.invoke(2_000, 'real', 10).started).toBe(false);
  });
});

describe('SimFunction Provisioned Concurrency', () => {
  it('serves from PC containers first, spills to on-demand, and accrues configured time', () => {
    const f = new SimFunction(base);
    f.setProvisioned(0, 2);
    const a = f.invoke(1_000, 'real', 5_000);
    const b = f.invoke(1_000, 'real', 5_000);
    const c = f.invoke(1_000, 'real', 5_000);
    expect([a.provisioned, b.provisioned, c.provisioned]).toEqual([true, true, false]);
    expect([a.started, b.started, c.started]).toEqual([false, false, true]);
    f.setProvisioned(MIN, 0);
    f.advanceTo(2 * MIN);
    expect(f.stats()).toMatchObject({
      coldStarts: 1,
      provisionedContainerMs: 2 * MIN,
      provisionedBusyMs: 10_000,
    });
    expect(f.provisionedConcurrency).toBe(0);
  });

  it('PC containers are never reaped', () => {
    const f = new SimFunction(base);
    f.setProvisioned(0, 1);
    expect(f.invoke(60 * MIN, 'real', 1).started).toBe(false);
  });
});

describe('SimFunction metrics lag', () => {
  it('hides minutes not yet reported and reads empty minutes as missing, as CloudWatch', () => {
    const f = new SimFunction({ ...base, metricLagMs: 90_000 });
    f.invoke(10_000, 'real', 10);
    f.invoke(70_000, 'real', 10);
    f.advanceTo(5 * MIN);
    const q = f.metrics.query('invocations', 0, 5 * MIN, 4 * MIN);
    // Visible at 4:00 with a 90 s lag: minutes ending by 2:30, i.e. minutes 0 and 1.
    expect(q.values).toEqual([1, 1, null, null, null]);
    const later = f.metrics.query('invocations', 0, 5 * MIN, 10 * MIN);
    expect(later.values).toEqual([1, 1, null, null, null]);
    expect(f.metrics.query('invocations', 0, 5 * MIN, 10 * MIN, { empty: 'zero' }).values).toEqual([
      1, 1, 0, 0, 0,
    ]);
  });

  it('aligns minutes to the epoch minute containing startMs', () => {
    const origin = 28_333_333 * MIN; // a whole epoch minute
    const f = new SimFunction({ ...base, startMs: origin + 30_000 });
    f.invoke(origin + 40_000, 'real', 1);
    f.invoke(origin + 70_000, 'real', 1);
    f.advanceTo(origin + 200_000);
    const q = f.metrics.query('invocations', origin, origin + 2 * MIN, origin + 200_000);
    expect(q).toEqual({ startMs: origin, values: [1, 1] });
  });
});

describe('SimFunction invariants', () => {
  it('without pings, every cold start is a started container and concurrency never exceeds containers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 1, max: 20_000 })), {
          maxLength: 60,
        }),
        (reqs) => {
          const f = new SimFunction(base);
          let t = 0;
          for (const [gap, d] of reqs) {
            t += gap;
            f.invoke(t, 'real', d);
            expect(f.busy).toBeLessThanOrEqual(f.containers);
          }
          const s = f.stats();
          expect(s.coldStarts).toBe(s.containersStarted);
          expect(s.realInvocations).toBe(reqs.length);
          expect(s.interference).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('SimFunction input checks', () => {
  it('rejects a negative or non-finite duration, naming the field', () => {
    const f = new SimFunction(base);
    expect(() => f.invoke(0, 'real', -1)).toThrow(/durationMs: must be a finite number >= 0/);
    expect(() => f.invoke(0, 'ping', Number.NaN)).toThrow(/durationMs/);
  });
});
