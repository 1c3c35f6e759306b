import { createWarmTarget, fanOut, pickHold } from '@warmpool/controller';
import { DEFAULT_TARGET, FakeClock, type TargetConfig } from '@warmpool/core';
import { readMarker, verifyMarker } from '@warmpool/warmup/protocol';
import { describe, expect, it } from 'vitest';
import { classifyInvokeError } from '../src/adapters/lambda-invoker.js';
import { measuredDispatchRate, pickHoldMs } from '../src/fanout/hold.js';
import { backoffMs, throttleAction } from '../src/fanout/throttle.js';
import { FakeInvoker } from './fakes/invoker-fake.js';

const SECRET = 'a-shared-secret-of-32-characters';
const decode = (b64: string) => readMarker(JSON.parse(Buffer.from(b64, 'base64').toString('utf8')));

const base = (invoker: FakeInvoker, extra: Partial<Parameters<typeof fanOut>[0]> = {}) =>
  fanOut({
    invoker,
    functionName: 'api',
    qualifier: 'live',
    n: 5,
    holdMs: 10,
    tickId: 'tick-9',
    timeoutMs: 2_000,
    ...extra,
  });

describe('fanOut (FakeInvoker)', () => {
  it('sends one marker per ping, all to the qualifier, indexed, signed once per round', async () => {
    const invoker = new FakeInvoker();
    const clock = new FakeClock(1_764_000_000_000);
    const result = await base(invoker, { sharedSecret: SECRET, clock });
    expect(result).toMatchObject({
      target: 'api:live',
      requested: 5,
      sent: 5,
      succeeded: 5,
      distinctContainers: 5,
    });
    const markers = invoker.calls.map((c) => decode(c.clientContext));
    expect(invoker.calls.every((c) => c.functionName === 'api' && c.qualifier === 'live')).toBe(true);
    expect(markers.map((m) => m?.i).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(markers.map((m) => m?.sig)).size).toBe(1);
    for (const m of markers) {
      expect(m).toMatchObject({ tick: 'tick-9', holdMs: 10, ts: clock.now() });
      expect(verifyMarker(m as NonNullable<typeof m>, SECRET, clock.now())).toBe('ok');
    }
  });

  it('sends no signature without a secret', async () => {
    const invoker = new FakeInvoker();
    await base(invoker, { n: 1 });
    expect(decode(invoker.calls[0]?.clientContext ?? '')?.sig).toBeUndefined();
  });

  it('counts each container once even when answers repeat a container', async () => {
    const invoker = new FakeInvoker().respond((req, i) => {
      const r = i % 2;
      const m = decode(req.clientContext);
      return {
        kind: 'ok',
        executedVersion: 'live',
        functionError: undefined,
        payload: {
          warmpool: {
            v: 1,
            containerId: `c-${r}`,
            started: i < 2,
            ageMs: 1,
            heldMs: m?.holdMs,
            tick: m?.tick,
            i: m?.i,
          },
        },
      };
    });
    expect(await base(invoker, { n: 6 })).toMatchObject({
      succeeded: 6,
      distinctContainers: 2,
      newContainers: 2,
    });
  });

  it('stops on a concurrency-limit throttle: no retry', async () => {
    const invoker = new FakeInvoker().failNext(
      { kind: 'throttled', reason: 'ConcurrentInvocationLimitExceeded', retryAfterSeconds: undefined },
      5,
    );
    const result = await base(invoker);
    expect(invoker.calls).toHaveLength(5);
    expect(result).toMatchObject({
      throttled: 5,
      stoppedEarly: 'stopped: ConcurrentInvocationLimitExceeded',
    });
  });

  it('retries a rate throttle up to maxRetries, then counts it as throttled', async () => {
    const invoker = new FakeInvoker().failNext(
      { kind: 'throttled', reason: 'FunctionInvocationRateLimitExceeded', retryAfterSeconds: undefined },
      4,
    );
    const result = await base(invoker, { n: 1, maxRetries: 3, backoffBaseMs: 1 });
    expect(invoker.calls).toHaveLength(4);
    expect(result).toMatchObject({ sent: 1, throttled: 1, succeeded: 0, stoppedEarly: null });
  });

  it('does not retry a throttle with an unknown reason', async () => {
    const invoker = new FakeInvoker().failNext({
      kind: 'throttled',
      reason: 'Unknown',
      retryAfterSeconds: undefined,
    });
    const result = await base(invoker, { n: 1 });
    expect(invoker.calls).toHaveLength(1);
    expect(result.throttleReasons).toEqual({ Unknown: 1 });
  });

  it('turns an Invoker that throws into one failed ping', async () => {
    const invoker = new FakeInvoker().failNext(new TypeError('boom'));
    const result = await base(invoker, { n: 3 });
    expect(result).toMatchObject({ succeeded: 2, failed: 1, failures: { TypeError: 1 } });
  });

  it('caps the round by share x pool and leaves it uncapped when the pool is unknown', async () => {
    const capped = await base(new FakeInvoker(), {
      n: 50,
      budget: { source: 'reserved', share: 0.2 },
      capacity: { reservedConcurrency: 100, unreservedConcurrency: null },
    });
    expect(capped).toMatchObject({ requested: 50, sent: 20, budgetLimit: 20 });
    const unknown = await base(new FakeInvoker(), {
      n: 50,
      budget: { source: 'reserved', share: 0.2 },
      capacity: { reservedConcurrency: null, unreservedConcurrency: 900 },
    });
    expect(unknown).toMatchObject({ sent: 50, budgetLimit: null });
  });

  it('reports an aborted round', async () => {
    const invoker = new FakeInvoker().respond(
      (req) =>
        new Promise((resolve) =>
          req.signal?.addEventListener('abort', () =>
            resolve({ kind: 'failed', error: 'Timeout', message: 'aborted' }),
          ),
        ),
    );
    const outer = new AbortController();
    const pending = base(invoker, { signal: outer.signal });
    outer.abort();
    expect(await pending).toMatchObject({ failed: 5, failures: { Timeout: 5 }, stoppedEarly: 'deadline' });
  });

  it.each([
    [{ n: -1 }, /n: must be an integer >= 0/],
    [{ n: 1.5 }, /n: must be an integer >= 0/],
    [{ holdMs: 100, timeoutMs: 100 }, /timeoutMs: must be longer than holdMs/],
    [{ qualifier: '' }, /qualifier: is required/],
  ])('rejects bad input naming the field (%o)', async (extra, message) => {
    await expect(base(new FakeInvoker(), extra)).rejects.toThrow(message);
  });
});

describe('pickHold', () => {
  it.each([
    // n, measured rate, expected hold, rate source
    // hold = ceil(spread x 1.5 + 25 ms), spread = (n - 1) / rate; 500/s assumed when none was measured
    [1, null, 25, 'assumed'],
    [100, null, 322, 'assumed'],
    [1_000, 1_000, 1_524, 'measured'],
    [1_000, 2_000, 775, 'measured'],
    [10_000, null, 10_000, 'assumed'],
    [50, 0, 172, 'assumed'],
    [50, Number.NaN, 172, 'assumed'],
  ] as const)('n=%i at %s/s holds %i ms (%s rate)', (n, rate, hold, source) => {
    const choice = pickHold(n, rate);
    expect(choice.holdMs).toBe(hold);
    expect(choice.rateSource).toBe(source);
    expect(pickHoldMs(n, rate)).toBe(hold);
  });

  it('holds longer than the dispatch spread, and says when the cap cut it short', () => {
    const c = pickHold(400, 800);
    expect(c.holdMs).toBeGreaterThan(c.spreadMs);
    expect(c.capped).toBe(false);
    const big = pickHold(10_000, 100);
    expect(big).toMatchObject({ holdMs: 10_000, capped: true });
    expect(big.why).toMatch(/capped at 10000 ms/);
  });

  it('derives the dispatch rate from a round’s spread', () => {
    expect(measuredDispatchRate({ succeeded: 101, dispatchSpreadMs: 200 })).toBe(500);
    expect(measuredDispatchRate({ succeeded: 1, dispatchSpreadMs: 0 })).toBeNull();
    expect(measuredDispatchRate({ succeeded: 10, dispatchSpreadMs: null })).toBeNull();
  });
});

describe('throttle handling', () => {
  it.each([
    ['ReservedFunctionConcurrentInvocationLimitExceeded', 'stop'],
    ['ConcurrentInvocationLimitExceeded', 'stop'],
    ['FunctionInvocationRateLimitExceeded', 'retry'],
    ['ReservedFunctionInvocationRateLimitExceeded', 'retry'],
    ['CallerRateLimitExceeded', 'retry'],
    ['ConcurrentSnapshotCreateLimitExceeded', 'retry'],
    ['SomethingNew', 'give-up'],
  ])('%s -> %s', (reason, action) => {
    expect(throttleAction(reason)).toBe(action);
  });

  it('backs off at least retryAfterSeconds, with exponential jitter on top', () => {
    expect(backoffMs(0, 2, 100, () => 0)).toBe(2_000);
    expect(backoffMs(3, 2, 100, () => 0.5)).toBe(2_400);
    expect(backoffMs(1, undefined, 100, () => 0.999)).toBe(200);
  });

  it('classifies SDK errors as data', () => {
    expect(
      classifyInvokeError({
        name: 'TooManyRequestsException',
        Reason: 'CallerRateLimitExceeded',
        retryAfterSeconds: '3',
      }),
    ).toEqual({ kind: 'throttled', reason: 'CallerRateLimitExceeded', retryAfterSeconds: 3 });
    expect(classifyInvokeError({ name: 'ResourceNotFoundException', message: 'gone' })).toEqual({
      kind: 'failed',
      error: 'ResourceNotFoundException',
      message: 'gone',
    });
    expect(
      classifyInvokeError({ name: 'TimeoutError', code: 'ECONNRESET', message: 'socket hang up' }),
    ).toMatchObject({
      error: 'ECONNRESET',
    });
    const aborted = new AbortController();
    aborted.abort();
    expect(classifyInvokeError(new Error('x'), aborted.signal)).toMatchObject({ error: 'Timeout' });
  });
});

describe('createWarmTarget', () => {
  const target = (holdMs: TargetConfig['holdMs']): TargetConfig => ({
    ...DEFAULT_TARGET,
    id: 'api:live',
    functionName: 'api',
    logGroupName: '/aws/lambda/api',
    qualifier: 'live',
    holdMs,
  });
  const opts = (signal = new AbortController().signal) => ({
    signal,
    deadlineMs: Date.now() + 10_000,
    tickId: 'tick-1',
  });

  it('uses the configured hold, or picks one from N and says how', async () => {
    const invoker = new FakeInvoker();
    const why: string[] = [];
    const warm = createWarmTarget(invoker, { onHold: (_t, w) => why.push(w) });
    await warm(target(123), 3, opts());
    expect(decode(invoker.calls[0]?.clientContext ?? '')?.holdMs).toBe(123);
    const fresh = new FakeInvoker();
    await createWarmTarget(fresh, { onHold: (_t, w) => why.push(w) })(target('auto'), 3, opts());
    expect(decode(fresh.calls[0]?.clientContext ?? '')?.holdMs).toBe(pickHoldMs(3, null));
    expect(why[0]).toMatch(/3 pings at 500\/s \(assumed\)/);
  });

  it('stamps markers with the given clock (simulated time keeps signed pings within the skew)', async () => {
    const invoker = new FakeInvoker();
    const clock = new FakeClock(1_900_000_000_000);
    await createWarmTarget(invoker, { sharedSecret: SECRET, clock })(target(50), 1, opts());
    const marker = decode(invoker.calls[0]?.clientContext ?? '');
    expect(marker?.ts).toBe(clock.now());
    expect(verifyMarker(marker as NonNullable<typeof marker>, SECRET, clock.now())).toBe('ok');
  });

  it('never holds longer than half the time left', async () => {
    const invoker = new FakeInvoker();
    const warm = createWarmTarget(invoker);
    await warm(target(5_000), 1, { ...opts(), deadlineMs: Date.now() + 1_000 });
    expect(decode(invoker.calls[0]?.clientContext ?? '')?.holdMs).toBeLessThanOrEqual(500);
  });
});
