import { FakeClock, parseConfig } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { memoryEmitter } from '../src/emf/emf.js';
import { fanOut } from '../src/fanout/fan-out.js';
import { pickHoldMs } from '../src/fanout/hold.js';
import { planRamp } from '../src/fanout/ramp.js';
import { SharedBudget } from '../src/fanout/shared-budget.js';
import { shortfallOf } from '../src/fanout/shortfall.js';
import { InFlightSlots } from '../src/fanout/slots.js';
import { createWarmTarget } from '../src/fanout/warm-target.js';
import { memoryLogger } from '../src/log/logger.js';
import type { InvokeResult } from '../src/ports/invoker.js';
import { toPastDecisions } from '../src/tick/past-decisions.js';
import { runTick } from '../src/tick/run-tick.js';
import type { TickDeps } from '../src/tick/types.js';
import { FakeDecisionStore } from './fakes/decision-store-fake.js';
import { FakeInvoker, protocolResponder } from './fakes/invoker-fake.js';
import { FakeMetricsSource } from './fakes/metrics-source-fake.js';
import { fullRound, T0 } from './fixtures.js';

const round = (invoker: FakeInvoker, extra: Partial<Parameters<typeof fanOut>[0]> = {}) =>
  fanOut({
    invoker,
    functionName: 'api',
    qualifier: 'live',
    n: 6,
    holdMs: 10,
    tickId: 'tick-1',
    timeoutMs: 2_000,
    scaling: null,
    ...extra,
  });

/** A tick over fakes whose targets all decide `n` (min = max = n), warmed through a FakeInvoker. */
function tick(
  n: number,
  targets: string[],
  invoker = new FakeInvoker(),
  unreserved: number | null = null,
  holdMs: number | 'auto' = 10,
) {
  const config = parseConfig({
    targets: targets.map((functionName) => ({ functionName, qualifier: 'live' })),
    defaults: { min: n, max: n, holdMs, budget: { source: 'unreserved', share: 0.5 } },
  });
  invoker.capacity = { reservedConcurrency: null, unreservedConcurrency: unreserved };
  const store = new FakeDecisionStore();
  const emf = memoryEmitter();
  const log = memoryLogger();
  const deps: TickDeps = {
    metrics: new FakeMetricsSource(),
    store,
    warm: createWarmTarget(invoker, { slots: new InFlightSlots(1_000) }),
    capacity: (t) => invoker.readCapacity(t.functionName, { account: false }),
    account: () => invoker.readUnreservedConcurrency(),
    clock: new FakeClock(T0),
    log,
    emf,
  };
  return { config, deps, store, emf, log, invoker };
}

describe('short rounds', () => {
  it('a round that reaches fewer containers than decided is recorded `short`, with its reasons and ShortRound', async () => {
    const invoker = new FakeInvoker().respond((req, i) =>
      i % 3 === 0
        ? { kind: 'throttled', reason: 'SomeNewReason', retryAfterSeconds: undefined }
        : protocolResponder(req, i),
    );
    const t = tick(6, ['api'], invoker);
    const r = await runTick(t.deps, t.config, T0);
    const [api] = r.targets;
    expect(api?.status).toBe('short');
    const outcome = t.store.all('api:live')[0]?.outcome;
    expect(outcome?.status).toBe('short');
    expect(outcome?.fanOut?.shortfall).toMatchObject({
      decided: 6,
      missing: 6 - (api?.fanOut?.distinctContainers ?? 0),
    });
    expect(outcome?.fanOut?.shortfall?.reasons).toContain('throttled');
    expect(t.emf.emitted.at(-1)?.values.shortRound).toBe(1);
    // Its pings still inflated the metrics: the next decide() masks them like a full round's.
    const past = toPastDecisions(t.store.all('api:live'));
    expect(past[0]?.count).toBe(api?.fanOut?.sent);
    expect(past[0]?.count).toBeGreaterThan(0);
  });

  it('a round that reaches all it decided stays `warmed`, with ShortRound 0', async () => {
    const t = tick(4, ['api']);
    t.invoker.failNext(new Error('AccessDeniedException: lambda:GetAccountSettings'));
    const r = await runTick(t.deps, t.config, T0);
    expect(r.targets[0]?.status).toBe('warmed');
    // The account pool could not be read: nothing was cut, and the tick says why.
    expect(r.sharedBudget).toMatchObject({ unreserved: null, error: expect.stringMatching(/AccessDenied/) });
    expect(r.targets[0]?.fanOut?.shortfall).toBeNull();
    expect(t.emf.emitted.at(-1)?.values.shortRound).toBe(0);
  });

  it('names the reason it can see: deadline, a capped hold, queueing, a hold shorter than the spread', () => {
    const base = fullRound({ id: 'api:live', qualifier: 'live' }, 10, { distinctContainers: 7, holdMs: 100 });
    expect(shortfallOf(10, { ...base, stoppedEarly: 'deadline' })?.reasons).toEqual(['deadline']);
    expect(shortfallOf(10, { ...base, heldLessMs: 50 })?.reasons).toEqual(['hold-capped']);
    expect(shortfallOf(10, { ...base, maxDispatchDelayMs: 400 })?.reasons).toEqual(['queued']);
    expect(shortfallOf(10, { ...base, dispatchSpreadMs: 150 })?.reasons).toEqual([
      'hold-shorter-than-spread',
    ]);
    expect(shortfallOf(10, base)?.reasons).toEqual(['containers-reused']);
    expect(shortfallOf(7, base)).toBeNull();
  });
});

describe('sent counts what was dispatched', () => {
  it('a ping whose connection never opened is not sent; one the round never started is not either', async () => {
    const refused: InvokeResult = {
      kind: 'failed',
      error: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED',
      dispatched: false,
    };
    const invoker = new FakeInvoker().failNext(refused, 2);
    const r = await round(invoker, { n: 6 });
    expect(r).toMatchObject({ requested: 6, sent: 4, failed: 2, succeeded: 4 });

    // A concurrency throttle stops the round: the pings still waiting for slots are never created.
    const stopping = new FakeInvoker().respond(() => ({
      kind: 'throttled',
      reason: 'ConcurrentInvocationLimitExceeded',
      retryAfterSeconds: undefined,
    }));
    const slots = new InFlightSlots(2);
    const held = await slots.acquire(1);
    expect(held).toBe(true);
    const stopped = fanOut({
      invoker: stopping,
      functionName: 'api',
      qualifier: 'live',
      n: 1,
      holdMs: 10,
      tickId: 't',
      timeoutMs: 1_000,
      slots,
      scaling: null,
    });
    const r2 = await stopped;
    expect(r2).toMatchObject({ sent: 1, throttled: 1 });
    expect(stopping.calls.length).toBe(1);
  });
});

describe('the dispatch rate a new controller container starts from', () => {
  it('is the one the last recorded round measured, not the assumed one', async () => {
    const t = tick(10, ['api'], new FakeInvoker(), null, 'auto');
    // An earlier tick (another container) recorded a round whose 10 answers spread over 2 s.
    const slow = fullRound({ id: 'api:live', qualifier: 'live' }, 10, { dispatchSpreadMs: 2_000 });
    await runTick({ ...t.deps, warm: async () => slow }, t.config, T0 - 300_000);
    const r = await runTick(t.deps, t.config, T0);
    expect(r.targets[0]?.fanOut?.holdMs).toBe(pickHoldMs(10, (9 / 2_000) * 1_000));
    expect(r.targets[0]?.fanOut?.holdMs).toBeGreaterThan(pickHoldMs(10, null));
  });
});

describe('in-flight slots', () => {
  it('dispatches a wave only when all its pings fit, and never holds more than the capacity', async () => {
    let inFlight = 0;
    let peak = 0;
    const invoker = new FakeInvoker().respond(async (req, i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return protocolResponder(req, i);
    });
    const slots = new InFlightSlots(10);
    const rounds = await Promise.all([6, 6, 6].map((n, k) => round(invoker, { n, slots, target: `t${k}` })));
    expect(peak).toBeLessThanOrEqual(10);
    expect(rounds.every((r) => r.distinctContainers === 6)).toBe(true);
    // Two rounds of 6 cannot be in flight together within 10: at least one waited for its whole wave.
    expect(rounds.some((r) => (r.queuedMs ?? 0) > 0)).toBe(true);
    expect(slots.inFlight).toBe(0);
  });

  it('sizes an auto hold to every ping in flight when its wave leaves, not to its own round alone', async () => {
    const invoker = new FakeInvoker().respond(async (req, i) => {
      await new Promise((r) => setTimeout(r, 5));
      return protocolResponder(req, i);
    });
    // An Invoker that cannot tell when a request has left: waves cannot take turns, so they leave together.
    invoker.tracksDispatch = false;
    const warm = createWarmTarget(invoker, { slots: new InFlightSlots(1_000) });
    const config = parseConfig({
      targets: ['a', 'b', 'c'].map((functionName) => ({ functionName, qualifier: 'live' })),
    });
    const options = { signal: new AbortController().signal, deadlineMs: Date.now() + 60_000, tickId: 't' };
    const results = await Promise.all(config.targets.map((t) => warm(t, 100, options)));
    // Each holds for the 300 pings in flight, not for its own 100.
    expect(results.map((r) => r.holdMs)).toEqual([300, 300, 300].map((k) => pickHoldMs(k, null)));
    expect(pickHoldMs(300, null)).toBeGreaterThan(pickHoldMs(100, null));

    // One that can tell lets the waves leave one at a time: each round's hold is its own.
    invoker.tracksDispatch = true;
    const fresh = createWarmTarget(invoker, { slots: new InFlightSlots(1_000) });
    const gated = await Promise.all(config.targets.map((t) => fresh(t, 100, { ...options, tickId: 't2' })));
    expect(gated.map((r) => r.holdMs)).toEqual([100, 100, 100].map((k) => pickHoldMs(k, null)));
    expect(results.every((r) => r.distinctContainers === 100)).toBe(true);
  });

  it('cuts a round larger than the slots to the slots, and says so', async () => {
    const r = await round(new FakeInvoker(), { n: 12, slots: new InFlightSlots(8) });
    expect(r).toMatchObject({ sent: 8, inFlightCap: 8 });
    expect(shortfallOf(12, r)?.reasons).toContain('in-flight-cap');
  });

  it('lets one wave leave at a time', async () => {
    const slots = new InFlightSlots(10);
    const order: string[] = [];
    let letFirstFinish = () => {};
    const first = slots.oneAtATime(async () => {
      order.push('first starts');
      await new Promise<void>((resolve) => {
        letFirstFinish = resolve;
      });
      order.push('first written');
    });
    const second = slots.oneAtATime(async () => {
      order.push('second starts');
    });
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['first starts']);
    letFirstFinish();
    await Promise.all([first, second]);
    expect(order).toEqual(['first starts', 'first written', 'second starts']);
  });

  it('an aborted wait holds nothing', async () => {
    const slots = new InFlightSlots(3);
    await slots.acquire(3);
    const ac = new AbortController();
    const waiting = slots.acquire(2, ac.signal);
    ac.abort();
    expect(await waiting).toBe(false);
    slots.release(3);
    expect(slots.inFlight).toBe(0);
  });
});

describe('shared budget', () => {
  it('cuts the targets that come after the pool is claimed, records which and why, and leaves reserved functions alone', () => {
    const config = parseConfig({
      targets: ['a', 'b', 'c'].map((functionName) => ({ functionName, qualifier: 'live' })),
      defaults: { budget: { source: 'unreserved', share: 0.5 } },
    });
    const [a, b, c] = config.targets;
    const budget = new SharedBudget(100);
    expect(budget.claim(a!, 40, null)).toEqual({ granted: 40, cut: null });
    const cutB = budget.claim(b!, 40, null);
    expect(cutB.granted).toBe(10);
    expect(cutB.cut).toMatchObject({ wanted: 40, granted: 10, pool: 100, share: 0.5, claimedByOthers: 40 });
    expect(cutB.cut?.why).toMatch(/0.5 x 100 unreserved = 50/);
    expect(budget.claim(c!, 30, 200)).toEqual({ granted: 30, cut: null });
    expect(new SharedBudget(null).claim(a!, 500, null)).toEqual({ granted: 500, cut: null });
    // Once a round met the account limit, nobody on the unreserved pool claims more this tick.
    budget.markFull('a:live');
    expect(budget.claim(c!, 5, null).cut?.why).toMatch(/a:live met ConcurrentInvocationLimitExceeded/);
    expect(budget.claim(c!, 5, 200)).toEqual({ granted: 5, cut: null });
  });

  it('in a tick: the account pool read once bounds all targets together; cut targets are short with budget-cut', async () => {
    const t = tick(30, ['a', 'b', 'c'], new FakeInvoker(), 100);
    const r = await runTick(t.deps, t.config, T0);
    const sent = r.targets.reduce((s, x) => s + (x.fanOut?.sent ?? 0), 0);
    expect(sent).toBe(50);
    const cut = r.targets.filter((x) => x.fanOut?.budgetCut);
    expect(cut.length).toBeGreaterThan(0);
    for (const x of cut) {
      expect(x.status).toBe('short');
      expect(x.fanOut?.shortfall?.reasons).toContain('budget-cut');
      expect(x.fanOut?.requested).toBe(30);
    }
    expect(t.invoker.capacityCalls.filter((c) => c.functionName === '').length).toBe(1);
    expect(r.sharedBudget).toEqual({ unreserved: 100, claimed: 50 });
  });
});

describe('planRamp', () => {
  it('leaves a round within the scaling rate alone', () => {
    expect(planRamp(1_000, { baseHoldMs: 500 })).toBeNull();
  });

  it('ramps 3,000 in waves within 90% of the rate, a window plus a spread apart, whose holds all end together', () => {
    const ramp = planRamp(3_000, { baseHoldMs: 1_000, waveSpreadMs: 500 });
    expect(ramp?.waves.map((w) => w.size)).toEqual([750, 750, 750, 750]);
    expect(ramp?.waves.map((w) => w.offsetMs)).toEqual([0, 11_000, 22_000, 33_000]);
    expect(ramp?.waves.map((w) => w.offsetMs + w.holdMs)).toEqual([34_000, 34_000, 34_000, 34_000]);
    expect(ramp?.totalMs).toBe(34_000);
    expect(planRamp(3_000, { baseHoldMs: 1_000, fill: 1 })?.waves.map((w) => w.size)).toEqual([
      1_000, 1_000, 1_000,
    ]);
  });

  it('drops the waves that cannot end before the deadline, and says so', () => {
    const ramp = planRamp(3_000, { baseHoldMs: 1_000, maxTotalMs: 15_000 });
    expect(ramp?.waves.length).toBe(2);
    expect(ramp?.cutByDeadline).toBe(true);
    expect(ramp?.why).toMatch(/cut to 1800 pings/);
  });
});

describe('many targets', () => {
  it('no MaxListenersExceededWarning with 60 targets', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const t = tick(
        3,
        Array.from({ length: 60 }, (_, i) => `f${i}`),
      );
      const r = await runTick(t.deps, t.config, T0);
      expect(r.targets.every((x) => x.status === 'warmed')).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
