import { FakeClock, parseConfig, type TargetConfig } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { memoryEmitter } from '../src/emf/emf.js';
import type { FanOutResult } from '../src/fanout/types.js';
import { memoryLogger } from '../src/log/logger.js';
import { DecisionOutbox } from '../src/tick/outbox.js';
import { runTick } from '../src/tick/run-tick.js';
import type { TickDeps, WarmTarget } from '../src/tick/types.js';
import { FakeDecisionStore } from './fakes/decision-store-fake.js';
import { FakeMetricsSource } from './fakes/metrics-source-fake.js';
import { fullRound, T0 } from './fixtures.js';

const MIN = 60_000;

function fanOut(target: TargetConfig, count: number): FanOutResult {
  return fullRound(target, count, { wallMs: 120 });
}

/** A warm function that records its calls; `behave` can make a target's round throw or hang. */
function fakeWarm(behave: (t: TargetConfig) => 'ok' | 'throw' | 'hang' | 'no-helper' = () => 'ok') {
  const calls: { target: string; count: number }[] = [];
  const warm: WarmTarget = async (target, count) => {
    calls.push({ target: target.id, count });
    const b = behave(target);
    if (b === 'throw') throw new Error('ResourceNotFoundException: Function not found');
    if (b === 'hang') return new Promise<FanOutResult>(() => {});
    if (b === 'no-helper') {
      return { ...fanOut(target, count), succeeded: 0, distinctContainers: 0, unrecognised: count };
    }
    return fanOut(target, count);
  };
  return { warm, calls };
}

/** Steady traffic of `level` concurrent executions every minute of the last six hours. */
function steady(level: number, nowMs: number): Record<number, number> {
  const out: Record<number, number> = {};
  for (let t = nowMs - 6 * 60 * MIN; t < nowMs; t += MIN) out[t] = level;
  return out;
}

function setup(
  targets = [
    { functionName: 'api', qualifier: 'live' },
    { functionName: 'jobs', qualifier: 'live' },
  ],
) {
  const config = parseConfig({ targets, defaults: { min: 1, max: 50 } });
  const metrics = new FakeMetricsSource();
  for (const t of config.targets) metrics.set(t.id, { concurrency: steady(8, T0), coldStarts: {} });
  const store = new FakeDecisionStore();
  const clock = new FakeClock(T0);
  const log = memoryLogger();
  const emf = memoryEmitter();
  const w = fakeWarm();
  const deps: TickDeps = { metrics, store, warm: w.warm, clock, log, emf };
  return { config, metrics, store, clock, log, emf, deps, warmCalls: w.calls };
}

describe('runTick', () => {
  it('decides, records, warms and records the outcome for every target', async () => {
    const s = setup();
    const r = await runTick(s.deps, s.config, T0, { tickId: 'tick-1' });
    expect(r.metrics).toEqual({ ok: true, calls: 1, queries: 6 });
    expect(s.metrics.calls).toHaveLength(1);
    expect(r.targets.map((t) => [t.target, t.status, t.write, t.outcomeWrite])).toEqual([
      ['api:live', 'warmed', 'recorded', 'recorded'],
      ['jobs:live', 'warmed', 'recorded', 'recorded'],
    ]);
    const [rec] = s.store.all('api:live');
    // A steady 8: the target is 10 (headroom), and about 4 are busy when the round lands, out of its reach.
    expect(rec?.decision.count).toBeGreaterThan(0);
    expect(rec?.decision.count).toBeLessThanOrEqual(10);
    expect(rec?.tickId).toBe('tick-1');
    expect(rec?.expiresAt).toBe(T0 / 1000 + 14 * 86_400);
    expect(rec?.outcome?.status).toBe('warmed');
    expect(rec?.outcome?.fanOut?.distinctContainers).toBe(rec?.decision.count);
    expect(s.warmCalls).toContainEqual({ target: 'api:live', count: rec?.decision.count });
    const emitted = s.emf.emitted.find((e) => e.dimensions.Target === 'api:live');
    expect(emitted?.values).toMatchObject({
      decided: rec?.decision.count,
      reached: rec?.decision.count,
      throttled: 0,
    });
    expect(s.log.lines.some((l) => l.msg === 'tick done' && l.tickId === 'tick-1')).toBe(true);
  });

  it('a duplicated tick finds the decision and does not warm twice', async () => {
    const s = setup();
    await runTick(s.deps, s.config, T0 + 1_000);
    const again = await runTick(s.deps, s.config, T0 + 3_000);
    expect(again.targets.map((t) => t.status)).toEqual(['duplicate', 'duplicate']);
    expect(s.warmCalls).toHaveLength(2); // once per target, from the first run only
    expect(s.store.all('api:live')).toHaveLength(1);
    expect(again.targets[0]?.decision?.count).toBe(s.store.all('api:live')[0]?.decision.count);
  });

  it('records the last window’s actuals with the pings’ own inflation masked out of the real peak', async () => {
    const s = setup([{ functionName: 'api', qualifier: 'live' }]);
    await runTick(s.deps, s.config, T0);
    const warmed = s.store.all('api:live')[0]?.decision.count as number;
    // The warm round at T0 shows in CloudWatch: the minute of the pings reads load + pings.
    const next = T0 + 5 * MIN;
    const concurrency = steady(8, next);
    concurrency[T0] = 8 + warmed;
    s.metrics.set('api:live', { concurrency, coldStarts: {} });
    await runTick(s.deps, s.config, next);
    const observed = s.store.all('api:live').find((r) => r.windowStartMs === next)?.observed;
    expect(observed?.windowStartMs).toBe(T0);
    expect(observed?.peakConcurrency).toBe(8 + warmed);
    expect(observed?.realPeak).toBe(8);
    expect(s.emf.emitted.at(-1)?.values.observedRealPeak).toBe(8);
  });

  it('isolates targets: one failing warm round does not stop the other', async () => {
    const s = setup();
    const w = fakeWarm((t) => (t.id === 'api:live' ? 'throw' : 'ok'));
    const r = await runTick({ ...s.deps, warm: w.warm }, s.config, T0);
    expect(r.targets.map((t) => t.status)).toEqual(['warm-failed', 'warmed']);
    expect(r.targets[0]?.error).toMatch(/ResourceNotFound/);
    expect(s.store.all('api:live')[0]?.outcome).toMatchObject({ status: 'warm-failed', fanOut: null });
    expect(s.store.all('jobs:live')[0]?.outcome?.status).toBe('warmed');
  });

  it('a target whose handler lacks the helper is a failed round, named as such', async () => {
    const s = setup();
    const w = fakeWarm((t) => (t.id === 'api:live' ? 'no-helper' : 'ok'));
    const r = await runTick({ ...s.deps, warm: w.warm }, s.config, T0);
    expect(r.targets.map((t) => t.status)).toEqual(['warm-failed', 'warmed']);
    expect(r.targets[0]?.error).toMatch(/lacked the Warmpool protocol.*withWarmup/);
    expect(s.store.all('api:live')[0]?.outcome?.fanOut?.unrecognised).toBeGreaterThan(0);
    expect(s.log.lines.some((l) => l.msg === 'helper not installed')).toBe(true);
  });

  it('with metrics unavailable warms the last recorded decision and says why', async () => {
    const s = setup();
    const first = await runTick(s.deps, s.config, T0);
    const lastCount = first.targets[0]?.decision?.count;
    s.metrics.failNext(new Error('Throttling: Rate exceeded'));
    const r = await runTick(s.deps, s.config, T0 + 5 * MIN);
    expect(r.metrics.ok).toBe(false);
    const api = r.targets[0];
    expect(api?.status).toBe('warmed');
    expect(api?.decision?.count).toBe(lastCount);
    expect(api?.decision?.reasons.map((x) => x.code)).toContain('metrics-missing-last-decision');
    expect(api?.degraded[0]).toMatch(/metrics unavailable \(Error: Throttling/);
    expect(s.store.all('api:live')[0]?.degraded[0]).toMatch(/metrics unavailable/);
    expect(s.emf.emitted.at(-1)?.values.metricsUnavailable).toBe(1);
  });

  it('with metrics unavailable and no history warms min', async () => {
    const s = setup([{ functionName: 'api', qualifier: 'live' }]);
    s.metrics.failNext();
    const r = await runTick(s.deps, s.config, T0);
    expect(r.targets[0]?.decision?.count).toBe(1);
    expect(r.targets[0]?.decision?.reasons.map((x) => x.code)).toContain('metrics-missing-min');
  });

  it('with the store down still warms, and reports, logs and counts the lost write', async () => {
    const s = setup();
    s.store.failNext('*', new Error('connect ECONNREFUSED'), 100);
    const r = await runTick(s.deps, s.config, T0);
    expect(r.targets.map((t) => [t.status, t.write, t.outcomeWrite])).toEqual([
      ['warmed', 'lost', 'lost'],
      ['warmed', 'lost', 'lost'],
    ]);
    expect(r.lostWrites).toEqual(['api:live', 'jobs:live']);
    expect(s.warmCalls).toHaveLength(2);
    expect(s.emf.emitted.map((e) => e.values.decisionWriteFailed)).toEqual([1, 1]);
    expect(
      s.log.lines.filter((l) => l.level === 'error' && String(l.msg).startsWith('decision lost')),
    ).toHaveLength(2);
  });

  it('recovers the decision when the store comes back during the warm round', async () => {
    const s = setup([{ functionName: 'api', qualifier: 'live' }]);
    s.store.failNext('listDecisions');
    s.store.failNext('putDecision');
    const r = await runTick(s.deps, s.config, T0);
    expect(r.targets[0]).toMatchObject({ status: 'warmed', write: 'recovered', outcomeWrite: 'recorded' });
    expect(r.targets[0]?.degraded[0]).toMatch(/past decisions unreadable/);
    expect(r.lostWrites).toEqual([]);
    expect(s.store.all('api:live')[0]?.outcome?.status).toBe('warmed');
  });

  it('dryRun decides and records without warming', async () => {
    const s = setup();
    const r = await runTick(s.deps, s.config, T0, { dryRun: true });
    expect(r.targets.map((t) => t.status)).toEqual(['dry-run', 'dry-run']);
    expect(s.warmCalls).toHaveLength(0);
    expect(s.store.all('api:live')[0]?.decision.dryRun).toBe(true);
    expect(s.store.all('api:live')[0]?.outcome?.status).toBe('dry-run');
  });

  it('ends within its time budget when a warm round and the metrics read hang', async () => {
    const s = setup();
    const w = fakeWarm((t) => (t.id === 'api:live' ? 'hang' : 'ok'));
    const hangingMetrics = { read: () => new Promise<never>(() => {}) };
    const r = await runTick({ ...s.deps, warm: w.warm, metrics: hangingMetrics }, s.config, T0, {
      timeBudgetMs: 400,
    });
    expect(r.metrics.ok).toBe(false);
    expect(r.metrics.error).toMatch(/DeadlineError/);
    const api = r.targets.find((t) => t.target === 'api:live');
    // the fan-out is given an abort signal; one that ignores it is abandoned at the budget and reported
    expect(api?.status).toBe('timed-out');
    expect(r.timedOut).toBe(true);
    expect(r.targets.find((t) => t.target === 'jobs:live')?.status).toBe('warmed');
  });

  it('a target whose decide input is broken fails alone', async () => {
    const s = setup();
    const broken = { ...s.config, targets: [...s.config.targets] };
    const store = new FakeDecisionStore();
    const bad = s.config.targets[0] as TargetConfig;
    // a store returning a malformed record for one target makes that target throw before deciding
    const badStore = {
      ...store,
      putDecision: store.putDecision.bind(store),
      recordOutcome: store.recordOutcome.bind(store),
      listDecisions: async (target: string) => {
        if (target === bad.id) return { items: [null as never] };
        return store.listDecisions(target);
      },
    };
    const r = await runTick({ ...s.deps, store: badStore }, broken, T0);
    expect(r.targets.map((t) => t.status)).toEqual(['failed', 'warmed']);
    expect(s.emf.emitted.find((e) => e.dimensions.Target === bad.id)?.values.targetFailed).toBe(1);
  });

  it('queues lost writes in the outbox and writes them at the next tick once the store is back', async () => {
    const s = setup();
    const outbox = new DecisionOutbox();
    const deps = { ...s.deps, outbox };
    s.store.failNext('*', new Error('ECONNREFUSED'), 6); // list, put, retry put for each of two targets
    const down = await runTick(deps, s.config, T0);
    expect(down.lostWrites).toEqual(['api:live', 'jobs:live']);
    expect(outbox.size).toBe(2);
    const back = await runTick(deps, s.config, T0 + 5 * MIN);
    expect([...back.recoveredWrites].sort()).toEqual([
      'api:live@2026-01-01T12:00:00.000Z',
      'jobs:live@2026-01-01T12:00:00.000Z',
    ]);
    expect(outbox.size).toBe(0);
    expect(s.store.all('api:live').map((r) => [r.windowStartMs, r.outcome?.status])).toEqual([
      [T0 + 5 * MIN, 'warmed'],
      [T0, 'warmed'],
    ]);
  });

  it('keeps the outbox while the store stays down, and bounds it', async () => {
    const store = new FakeDecisionStore();
    const outbox = new DecisionOutbox(2);
    const s = setup();
    for (let i = 0; i < 3; i++) {
      const r = (await store.putDecision({ ...(await firstRecord(s)), windowStartMs: T0 + i * 5 * MIN }))
        .created;
      expect(r).toBe(true);
    }
    for (const r of store.all('api:live')) outbox.add(r);
    expect(outbox.size).toBe(2);
    expect(outbox.dropped).toBe(1);
    const down = new FakeDecisionStore();
    down.failNext('putDecision', new Error('ECONNREFUSED'), 5);
    expect(await outbox.flush(down)).toEqual({ written: [], failed: 1 });
    expect(outbox.size).toBe(2);
  });
});

/** One real record, from a tick against fakes. */
async function firstRecord(s: ReturnType<typeof setup>) {
  await runTick(s.deps, s.config, T0);
  const r = s.store.all('api:live')[0];
  if (!r) throw new Error('no record');
  return r;
}
