import { parseConfig, type WarmpoolConfig } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../src/ports/decision-store.js';
import { ContainerCache } from '../src/tick/container-cache.js';
import { refreshSince } from '../src/tick/run-target.js';
import { runTick } from '../src/tick/run-tick.js';
import { FakeDecisionStore } from './fakes/decision-store-fake.js';
import { FakeMetricsSource } from './fakes/metrics-source-fake.js';
import { fakeTickDeps, T0 } from './fixtures.js';

const MIN = 60_000;
const TICK = 5 * MIN;
const LOOKBACK_START = (now: number) => Math.floor((now - 2 * MIN) / MIN) * MIN - 360 * MIN;

function busy(level: number): Record<number, number> {
  const out: Record<number, number> = {};
  for (let t = T0 - 7 * 60 * MIN; t < T0 + 24 * 60 * MIN; t += MIN) out[t] = level;
  return out;
}

/** One "container": its own cache over a shared store and metrics (a second one is a second container). */
function container(store: FakeDecisionStore, metrics: FakeMetricsSource, cache = new ContainerCache()) {
  const deps = fakeTickDeps({ metrics, store, cache: { cache, scope: 'table-a' } });
  return { deps, cache };
}

function setup(targets = [{ functionName: 'api', qualifier: 'live' }]) {
  // Reads every tick: these tests are about the cache and the cold-start read, not the steady-read back-off
  // (run-tick-steady-reads.test.ts), which would defer whole reads here.
  const config: WarmpoolConfig = parseConfig({
    targets,
    defaults: { min: 1, max: 50, maxTicksBetweenReads: 1 },
  });
  const metrics = new FakeMetricsSource();
  for (const t of config.targets)
    metrics.set(t.id, { concurrency: busy(8), coldStarts: { [T0 - 5 * MIN]: 1 } });
  const store = new FakeDecisionStore();
  return { config, metrics, store };
}

const lists = (store: FakeDecisionStore) => store.calls.filter((c) => c.op === 'listDecisions');

describe('the container cache of past decisions', () => {
  it('reads the whole lookback on a cold container, then only the newest windows', async () => {
    const s = setup();
    const a = container(s.store, s.metrics);
    await runTick(a.deps, s.config, T0);
    await runTick(a.deps, s.config, T0 + TICK);
    await runTick(a.deps, s.config, T0 + 2 * TICK);
    expect(lists(s.store).map((c) => c.sinceMs)).toEqual([
      LOOKBACK_START(T0),
      T0 - TICK, // newest cached window (T0) minus one interval
      T0, // newest cached window (T0 + TICK) minus one interval
    ]);
  });

  it('decides exactly as a container without a cache does', async () => {
    const cached = setup();
    const plain = setup();
    const a = container(cached.store, cached.metrics);
    const b = { ...container(plain.store, plain.metrics).deps, cache: undefined };
    for (let k = 0; k < 30; k++) {
      const now = T0 + k * TICK;
      cached.metrics.set('api:live', {
        concurrency: busy(4 + (k % 7)),
        coldStarts: { [now - 5 * MIN]: k % 3 },
      });
      plain.metrics.set('api:live', {
        concurrency: busy(4 + (k % 7)),
        coldStarts: { [now - 5 * MIN]: k % 3 },
      });
      // every cold-start count read, so only the past decisions' cache differs
      const every = { coldStartEveryTicks: 1 };
      const x = await runTick(a.deps, cached.config, now, every);
      const y = await runTick(b, plain.config, now, every);
      expect(x.targets[0]?.decision).toEqual(y.targets[0]?.decision);
    }
  });

  it('a duplicated tick on the same container finds its window decided and warms nothing', async () => {
    const s = setup();
    const a = container(s.store, s.metrics);
    await runTick(a.deps, s.config, T0);
    const again = await runTick(a.deps, s.config, T0, { tickId: 'redelivered' });
    expect(again.targets[0]?.status).toBe('duplicate');
  });

  it('sees what a second container wrote, including an outcome written after its own read', async () => {
    const s = setup();
    const a = container(s.store, s.metrics);
    const b = container(s.store, s.metrics);
    await runTick(a.deps, s.config, T0);
    await runTick(b.deps, s.config, T0 + TICK); // B is cold: reads everything, decides T0 + TICK
    // A's cache lacks T0 + TICK; its refresh from T0 - TICK picks it up, with its outcome.
    const r = await runTick(a.deps, s.config, T0 + TICK, { tickId: 'late-duplicate' });
    expect(r.targets[0]?.status).toBe('duplicate');
    const cached = a.cache.pastOf('table-a', 'api:live')?.records.get(T0 + TICK);
    expect(cached?.outcome?.status).toBe('warmed');

    // An outcome that lands after A read the window (another container's slow round) is still picked up.
    const w = T0 + 2 * TICK;
    const record = s.store.all('api:live')[0] as DecisionRecord;
    await s.store.putDecision({ ...record, windowStartMs: w, tickId: 'b-2', outcome: null });
    await runTick(a.deps, s.config, w, { tickId: 'a-2' }); // duplicate: caches the window without outcome
    expect(a.cache.pastOf('table-a', 'api:live')?.records.get(w)?.outcome).toBeNull();
    await s.store.recordOutcome('api:live', w, { status: 'warmed', fanOut: null, completedAtMs: w + 1_000 });
    await runTick(a.deps, s.config, w + TICK);
    await runTick(a.deps, s.config, w + 2 * TICK);
    // the refresh starts at the oldest record still waiting for its outcome
    expect(lists(s.store).at(-1)?.sinceMs).toBe(w + TICK - TICK);
    expect(a.cache.pastOf('table-a', 'api:live')?.records.get(w)?.outcome?.status).toBe('warmed');
  });

  it('leaves out records past their TTL, read or cached', async () => {
    const s = setup();
    const a = container(s.store, s.metrics);
    const first = await runTick(container(s.store, s.metrics).deps, s.config, T0 - 4 * TICK);
    const record = s.store.all('api:live')[0] as DecisionRecord;
    expect(first.targets[0]?.write).toBe('recorded');
    // one window already expired, one that expires between the next two ticks
    await s.store.putDecision({ ...record, windowStartMs: T0 - 3 * TICK, expiresAt: (T0 - MIN) / 1000 });
    await s.store.putDecision({ ...record, windowStartMs: T0 - 2 * TICK, expiresAt: (T0 + MIN) / 1000 });
    await runTick(a.deps, s.config, T0);
    const windows = () => [...(a.cache.pastOf('table-a', 'api:live')?.records.keys() ?? [])].sort();
    expect(windows()).toEqual([T0 - 4 * TICK, T0 - 2 * TICK, T0]);
    await runTick(a.deps, s.config, T0 + TICK);
    expect(windows()).toEqual([T0 - 4 * TICK, T0, T0 + TICK]);
  });

  it('is bounded: the least recently used targets go first', () => {
    const cache = new ContainerCache(2);
    cache.setPast('t', 'a', []);
    cache.setPast('t', 'b', []);
    cache.pastOf('t', 'a');
    cache.setPast('t', 'c', []);
    expect([cache.pastOf('t', 'a'), cache.pastOf('t', 'b'), cache.pastOf('t', 'c')].map(Boolean)).toEqual([
      true,
      false,
      true,
    ]);
    expect(cache.size).toBe(2);
  });

  it('keys by table: another table reads its own lookback', async () => {
    const s = setup();
    const cache = new ContainerCache();
    const a = container(s.store, s.metrics, cache);
    await runTick(a.deps, s.config, T0);
    await runTick({ ...a.deps, cache: { cache, scope: 'table-b' } }, s.config, T0 + TICK);
    expect(lists(s.store).at(-1)?.sinceMs).toBe(LOOKBACK_START(T0 + TICK));
  });

  it.each([
    { name: 'nothing cached: the lookback', windows: [], pending: [], since: 0 },
    { name: 'newest minus one interval', windows: [10, 15, 20], pending: [], since: 15 },
    { name: 'an older record without outcome', windows: [10, 15, 20], pending: [10], since: 10 },
    { name: 'never before the lookback', windows: [-5, 0], pending: [-5], since: 0 },
  ])('refreshSince: $name', ({ windows, pending, since }) => {
    const recs = windows.map(
      (m) => ({ windowStartMs: m * MIN, outcome: pending.includes(m) ? null : {} }) as DecisionRecord,
    );
    expect(refreshSince(recs, 300, 0)).toBe(since * MIN);
  });
});

describe('one write per tick that warms nothing', () => {
  it('records a dry run or a count of 0 with its outcome in the one conditional put', async () => {
    const s = setup([
      { functionName: 'dry', qualifier: 'live' },
      { functionName: 'idle', qualifier: 'live' },
    ]);
    s.metrics.set('idle:live', { concurrency: {}, coldStarts: {} });
    const config = parseConfig({
      targets: [
        { functionName: 'dry', qualifier: 'live', dryRun: true },
        { functionName: 'idle', qualifier: 'live', min: 0 },
      ],
      defaults: { max: 50 },
    });
    const a = container(s.store, s.metrics);
    const r = await runTick(a.deps, config, T0);
    expect(r.targets.map((t) => [t.status, t.write, t.outcomeWrite])).toEqual([
      ['dry-run', 'recorded', 'recorded'],
      ['nothing-to-warm', 'recorded', 'recorded'],
    ]);
    expect(s.store.calls.filter((c) => c.op !== 'listDecisions').map((c) => c.op)).toEqual([
      'putDecision',
      'putDecision',
    ]);
    expect(s.store.all('dry:live')[0]?.outcome?.status).toBe('dry-run');
    expect(s.store.all('idle:live')[0]?.outcome?.status).toBe('nothing-to-warm');
  });

  it('a put whose answer was lost and whose retry finds its own complete record carries on as the writer', async () => {
    const s = setup();
    const config = parseConfig({ targets: [{ functionName: 'idle', qualifier: 'live', min: 0 }] });
    s.metrics.set('idle:live', { concurrency: {}, coldStarts: {} });
    s.store.loseAnswerNext('putDecision');
    const r = await runTick(container(s.store, s.metrics).deps, config, T0);
    expect(r.targets[0]).toMatchObject({
      status: 'nothing-to-warm',
      write: 'recovered',
      outcomeWrite: 'recorded',
    });
    expect(s.store.all('idle:live')).toHaveLength(1);
  });

  it('a round that warms still writes the decision first, then its outcome', async () => {
    const s = setup();
    await runTick(container(s.store, s.metrics).deps, s.config, T0);
    expect(s.store.calls.filter((c) => c.op !== 'listDecisions').map((c) => c.op)).toEqual([
      'putDecision',
      'recordOutcome',
    ]);
  });
});

describe('a busy target’s cold-start count, read at most every K ticks', () => {
  it('reads on a cold container and every K ticks, and reuses the last read in between', async () => {
    const s = setup();
    const a = container(s.store, s.metrics);
    const queries: number[] = [];
    for (let k = 0; k < 7; k++)
      queries.push(
        (await runTick(a.deps, s.config, T0 + k * TICK, { coldStartEveryTicks: 3 })).metrics.queries,
      );
    expect(queries).toEqual([2, 1, 1, 2, 1, 1, 2]);
    // a second, cold container reads it at once
    const b = container(s.store, s.metrics);
    const r = await runTick(b.deps, s.config, T0 + 7 * TICK, { coldStartEveryTicks: 3 });
    expect(r.metrics.queries).toBe(2);
  });

  it('reads before it is due when real traffic rises to a new high', async () => {
    const s = setup();
    const level: Record<number, number> = busy(8);
    // From the third tick on, traffic runs at 20: above anything the last read saw.
    for (let t = T0 + TICK; t < T0 + 24 * 60 * MIN; t += MIN) level[t] = 20;
    s.metrics.set('api:live', { concurrency: level, coldStarts: { [T0 - 5 * MIN]: 1 } });
    const a = container(s.store, s.metrics);
    const queries: number[] = [];
    for (let k = 0; k < 5; k++)
      queries.push(
        (await runTick(a.deps, s.config, T0 + k * TICK, { coldStartEveryTicks: 12 })).metrics.queries,
      );
    // read cold; steady; the rise shows (minutes up to 2 min before the tick): read; at 20 since, no new high
    expect(queries).toEqual([2, 1, 2, 1, 1]);
  });

  it('hands decide() the reused count with when it was read, and the tuning holds', async () => {
    const s = setup();
    const a = container(s.store, s.metrics);
    await runTick(a.deps, s.config, T0, { coldStartEveryTicks: 3 });
    const second = await runTick(a.deps, s.config, T0 + TICK, { coldStartEveryTicks: 3 });
    const cached = a.cache.coldStartsOf('table-a', 'api:live');
    expect(cached?.readMs).toBe(T0);
    // the minutes after the read stay missing (null), never 0
    expect(cached?.series.values.at(-1)).toBeNull();
    expect(second.targets[0]?.decision?.state.headroom).toBe(
      (await runTick(container(new FakeDecisionStore(), s.metrics).deps, s.config, T0)).targets[0]?.decision
        ?.state.headroom,
    );
  });

  it('without a container cache, reads every needed count every tick', async () => {
    const s = setup();
    const deps = { ...container(s.store, s.metrics).deps, cache: undefined };
    for (let k = 0; k < 3; k++)
      expect((await runTick(deps, s.config, T0 + k * TICK, { coldStartEveryTicks: 3 })).metrics.queries).toBe(
        2,
      );
  });
});
