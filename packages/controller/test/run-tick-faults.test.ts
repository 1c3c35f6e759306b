import { FakeClock, parseConfig, type TargetConfig } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { memoryEmitter } from '../src/emf/emf.js';
import type { FanOutResult } from '../src/fanout/types.js';
import { memoryLogger } from '../src/log/logger.js';
import type { DecisionStore } from '../src/ports/decision-store.js';
import { DecisionOutbox } from '../src/tick/outbox.js';
import { runTick } from '../src/tick/run-tick.js';
import type { TickDeps, WarmTarget } from '../src/tick/types.js';
import { FakeDecisionStore } from './fakes/decision-store-fake.js';
import { FakeMetricsSource } from './fakes/metrics-source-fake.js';
import { fullRound, T0 } from './fixtures.js';

const MIN = 60_000;

function steady(level: number, nowMs: number): Record<number, number> {
  const out: Record<number, number> = {};
  for (let t = nowMs - 6 * 60 * MIN; t < nowMs; t += MIN) out[t] = level;
  return out;
}

function setup(names = ['api', 'jobs']) {
  const config = parseConfig({
    targets: names.map((functionName) => ({ functionName, qualifier: 'live' })),
    defaults: { min: 1, max: 50 },
  });
  const metrics = new FakeMetricsSource();
  for (const t of config.targets) metrics.set(t.id, { concurrency: steady(8, T0), coldStarts: {} });
  const store = new FakeDecisionStore();
  const warmCalls: string[] = [];
  const warm: WarmTarget = async (target, count) => {
    warmCalls.push(target.id);
    return fullRound(target, count);
  };
  const log = memoryLogger();
  const emf = memoryEmitter();
  const deps: TickDeps = { metrics, store, warm, clock: new FakeClock(T0), log, emf };
  return { config, store, deps, warmCalls, log, emf };
}

/** The per-tick line without dimensions that the construct's alarms watch. */
const tickFaults = (emf: ReturnType<typeof memoryEmitter>) =>
  emf.emitted.filter((e) => Object.keys(e.dimensions).length === 0).map((e) => e.values);

describe('runTick under store faults', () => {
  it('a store that never answers: each call is cut at its bound, every target still warms, the loss is reported', async () => {
    const s = setup();
    s.store.hangNext('*', 100);
    const r = await runTick(s.deps, s.config, T0, { storeCallTimeoutMs: 50, timeBudgetMs: 20_000 });
    expect(r.targets.map((t) => [t.status, t.write, t.outcomeWrite])).toEqual([
      ['warmed', 'lost', 'lost'],
      ['warmed', 'lost', 'lost'],
    ]);
    expect(r.timedOut).toBe(false);
    expect(s.warmCalls.sort()).toEqual(['api:live', 'jobs:live']);
    // list, put, retry put per target: every one was aborted by its own bound, none ran to the tick's budget
    expect(s.store.aborted).toBe(6);
    expect(r.targets[0]?.degraded[0]).toMatch(/StoreTimeoutError: listDecisions did not answer within 50 ms/);
    expect(r.lostWrites).toEqual(['api:live', 'jobs:live']);
    expect(tickFaults(s.emf)).toEqual([
      { targetFailed: 0, decisionWriteFailed: 2, shortRound: 0, helperMissing: 0 },
    ]);
  });

  it('an abandoned target never writes after the tick reported it timed-out, nor queues a late outcome', async () => {
    const s = setup(['api']);
    let release: (r: FanOutResult) => void = () => {};
    const target = s.config.targets[0] as TargetConfig;
    // A fan-out that ignores its abort signal and finishes only after the tick has returned.
    const warm: WarmTarget = () => new Promise<FanOutResult>((resolve) => (release = resolve));
    const outbox = new DecisionOutbox();
    const r = await runTick({ ...s.deps, warm, outbox }, s.config, T0, { timeBudgetMs: 300 });
    expect(r.targets[0]?.status).toBe('timed-out');
    release({ ...fullRound(target, 3), sent: 0, stoppedEarly: 'aborted' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.store.calls.filter((c) => c.op === 'recordOutcome')).toEqual([]);
    expect(s.store.all('api:live')[0]?.outcome).toBeNull();
    expect(outbox.size).toBe(0);
    expect(s.log.lines.some((l) => String(l.msg).startsWith('abandoned target stopped'))).toBe(true);
    expect(tickFaults(s.emf)[0]?.targetFailed).toBe(1);
  });

  it('bounds the outbox flush on its own, so a store hung since the last tick does not eat this one', async () => {
    const s = setup(['api']);
    const outbox = new DecisionOutbox();
    const earlier = await runTick({ ...s.deps, store: new FakeDecisionStore() }, s.config, T0 - 5 * MIN);
    expect(earlier.targets[0]?.status).toBe('warmed');
    const queued = new FakeDecisionStore();
    await runTick({ ...s.deps, store: queued }, s.config, T0 - 5 * MIN);
    outbox.add(queued.all('api:live')[0] as never);
    s.store.hangNext('putDecision'); // the flush's write hangs; per-call bound set far beyond the budget
    const r = await runTick({ ...s.deps, outbox }, s.config, T0, {
      storeCallTimeoutMs: 60_000,
      timeBudgetMs: 20_000,
    });
    expect(s.store.aborted).toBe(1);
    expect(r.targets[0]).toMatchObject({ status: 'warmed', write: 'recorded', outcomeWrite: 'recorded' });
    expect(outbox.size).toBe(1);
    expect(s.log.lines.some((l) => l.msg === 'outbox still pending: the store is unavailable')).toBe(true);
  });
});

describe('runTick and its own tickId', () => {
  it('a write that landed but whose answer was lost: the retry finds our own record and we warm as its writer', async () => {
    const s = setup(['api']);
    // What the SDK does on a lost answer: send the same conditional put again, which now hits the condition.
    const retrying: DecisionStore = {
      ...s.store,
      listDecisions: s.store.listDecisions.bind(s.store),
      recordOutcome: s.store.recordOutcome.bind(s.store),
      putDecision: async (record, options) => {
        await s.store.putDecision(record, options);
        return s.store.putDecision(record, options);
      },
    };
    const r = await runTick({ ...s.deps, store: retrying }, s.config, T0, { tickId: 'tick-1' });
    expect(r.targets[0]).toMatchObject({ status: 'warmed', write: 'recorded', outcomeWrite: 'recorded' });
    expect(s.warmCalls).toEqual(['api:live']);
    expect(s.store.all('api:live')[0]?.outcome?.status).toBe('warmed');
  });

  it('a put whose answer was lost, then warmed: the retry recognises our record and adds the outcome', async () => {
    const s = setup(['api']);
    s.store.loseAnswerNext('putDecision');
    const r = await runTick(s.deps, s.config, T0, { tickId: 'tick-1' });
    expect(r.targets[0]).toMatchObject({ status: 'warmed', write: 'recovered', outcomeWrite: 'recorded' });
    expect(r.lostWrites).toEqual([]);
    expect(s.store.all('api:live')[0]).toMatchObject({ tickId: 'tick-1', outcome: { status: 'warmed' } });
  });

  it('our own tickId with an outcome already recorded is a duplicate: the round is not run twice', async () => {
    const s = setup(['api']);
    await runTick(s.deps, s.config, T0, { tickId: 'tick-1' });
    const again = await runTick(s.deps, s.config, T0, { tickId: 'tick-1' });
    expect(again.targets[0]?.status).toBe('duplicate');
    expect(s.warmCalls).toEqual(['api:live']);
  });

  it('the outbox adds the outcome to a record whose first write landed unseen', async () => {
    const s = setup(['api']);
    const outbox = new DecisionOutbox();
    let puts = 0;
    const flaky: DecisionStore = {
      listDecisions: s.store.listDecisions.bind(s.store),
      recordOutcome: s.store.recordOutcome.bind(s.store),
      putDecision: async (record, options) => {
        puts++;
        if (puts === 1) {
          await s.store.putDecision(record, options); // the first put lands, its answer is lost
          throw new Error('socket hang up');
        }
        if (puts === 2) throw new Error('ECONNRESET'); // the retry after warming fails outright
        return s.store.putDecision(record, options);
      },
    };
    const down = await runTick({ ...s.deps, store: flaky, outbox }, s.config, T0, { tickId: 'tick-1' });
    expect(down.targets[0]).toMatchObject({ status: 'warmed', write: 'lost', outcomeWrite: 'lost' });
    expect(s.store.all('api:live')[0]?.outcome).toBeNull();
    const next = await runTick({ ...s.deps, outbox }, s.config, T0 + 5 * MIN, { tickId: 'tick-2' });
    expect(next.recoveredWrites).toHaveLength(1);
    expect(s.store.all('api:live').find((x) => x.windowStartMs === T0)?.outcome?.status).toBe('warmed');
  });
});

describe('runTick --dry-run', () => {
  it('writes nothing, so the scheduled tick of the same window still records and warms', async () => {
    const s = setup();
    const dry = await runTick(s.deps, s.config, T0, { dryRun: true });
    expect(dry.targets.map((t) => [t.status, t.write, t.outcomeWrite])).toEqual([
      ['dry-run', 'dry-run', 'dry-run'],
      ['dry-run', 'dry-run', 'dry-run'],
    ]);
    expect(dry.targets[0]?.decision?.count).toBeGreaterThan(0);
    expect(s.store.calls.map((c) => c.op)).not.toContain('putDecision');
    expect(s.warmCalls).toEqual([]);
    const real = await runTick(s.deps, s.config, T0 + 1_000);
    expect(real.targets.map((t) => [t.status, t.write])).toEqual([
      ['warmed', 'recorded'],
      ['warmed', 'recorded'],
    ]);
  });
});

describe('runTick metrics for alarms', () => {
  it('emits HelperMissing for a round answered without the protocol, and sums faults in one tick line', async () => {
    const s = setup();
    const warm: WarmTarget = async (target, count) =>
      target.id === 'api:live'
        ? { ...fullRound(target, count), succeeded: 0, distinctContainers: 0, unrecognised: count }
        : fullRound(target, count);
    s.store.failNext('*', new Error('ECONNREFUSED'), 3); // jobs or api: one target loses its write
    await runTick({ ...s.deps, warm }, s.config, T0);
    const api = s.emf.emitted.find((e) => e.dimensions.Target === 'api:live');
    const jobs = s.emf.emitted.find((e) => e.dimensions.Target === 'jobs:live');
    expect(api?.values.helperMissing).toBe(1);
    expect(jobs?.values.helperMissing).toBe(0);
    const [line] = tickFaults(s.emf);
    expect(line?.helperMissing).toBe(1);
    expect(line?.decisionWriteFailed).toBe(
      (api?.values.decisionWriteFailed ?? 0) + (jobs?.values.decisionWriteFailed ?? 0),
    );
  });
});
