import { parseConfig, REASON_CODES } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../src/log/logger.js';
import { ContainerCache } from '../src/tick/container-cache.js';
import { runTick } from '../src/tick/run-tick.js';
import { FakeDecisionStore } from './fakes/decision-store-fake.js';
import { FakeMetricsSource } from './fakes/metrics-source-fake.js';
import { FakeWakeStore } from './fakes/wake-store-fake.js';
import { fakeTickDeps, fullRound, T0 } from './fixtures.js';

const MIN = 60_000;
const TICK = 5 * MIN;

function level(n: number): Record<number, number> {
  const out: Record<number, number> = {};
  for (let t = T0 - 6 * 60 * MIN; t < T0 + 120 * MIN; t += MIN) out[t] = n;
  return out;
}

function setup(maxTicksBetweenReads: number, cache: ContainerCache | null = new ContainerCache()) {
  const config = parseConfig({
    targets: [{ functionName: 'api', qualifier: 'live', maxTicksBetweenReads, model: 'peak-quantile' }],
    defaults: { min: 0, max: 50 },
  });
  const metrics = new FakeMetricsSource();
  metrics.set('api:live', { concurrency: level(6), coldStarts: {} });
  const store = new FakeDecisionStore();
  const deps = fakeTickDeps({ metrics, store, ...(cache ? { cache: { cache, scope: 't' } } : {}) });
  return { config, metrics, store, deps };
}

/** Which of `ticks` consecutive ticks read the target's metrics. */
async function readsOver(s: ReturnType<typeof setup>, ticks: number): Promise<boolean[]> {
  const read: boolean[] = [];
  for (let i = 0; i < ticks; i++) {
    const before = s.metrics.calls.length;
    const r = await runTick(s.deps, s.config, T0 + i * TICK);
    const didRead = s.metrics.calls.length > before;
    read.push(didRead);
    const t = r.targets[0];
    expect(t?.status).not.toBe('failed');
    if (!didRead) {
      expect(t?.decision?.reasons.map((x) => x.code)).toContain(REASON_CODES.readDeferred);
      expect(r.metrics.readsDeferred).toBe(1);
      expect(t?.degraded).toEqual([]); // a deferred read is not a degraded tick
    }
  }
  return read;
}

describe('a steady target’s metric reads back off (maxTicksBetweenReads)', () => {
  it('reads every tick by default', async () => {
    const s = setup(1);
    expect(await readsOver(s, 8)).toEqual(Array(8).fill(true));
  });

  it('doubles the wait while the count stays the same, up to the target’s most, and keeps the count between', async () => {
    const s = setup(4);
    const reads = await readsOver(s, 12);
    // read, read (same count: wait 2), skip, read (wait 4), skip ×3, read, skip ×3
    expect(reads).toEqual([true, true, false, true, false, false, false, true, false, false, false, true]);
    const counts = (await s.store.listDecisions('api:live', { limit: 20 })).items.map(
      (r) => r.decision.count,
    );
    expect(new Set(counts).size).toBe(1); // the kept decision is the read one
  });

  it('reads at once after a short round', async () => {
    const s = setup(4);
    await readsOver(s, 3); // read, read, then skipping
    s.deps = { ...s.deps, warm: async (t, count) => fullRound(t, count, { distinctContainers: count - 2 }) };
    await runTick(s.deps, s.config, T0 + 3 * TICK); // due anyway: read, and the round comes back short
    const before = s.metrics.calls.length;
    await runTick(s.deps, s.config, T0 + 4 * TICK);
    expect(s.metrics.calls.length).toBe(before + 1);
  });

  it('starts over when a read decides another count', async () => {
    const s = setup(8);
    expect(await readsOver(s, 4)).toEqual([true, true, false, true]);
    s.metrics.set('api:live', { concurrency: level(20), coldStarts: {} });
    const more = [];
    for (let i = 4; i < 9; i++) {
      const before = s.metrics.calls.length;
      await runTick(s.deps, s.config, T0 + i * TICK);
      more.push(s.metrics.calls.length > before);
    }
    // ticks 4–6 wait out the back-off; tick 7 reads the new level (another count: wait 1), tick 8 reads again
    expect(more).toEqual([false, false, false, true, true]);
  });

  it('reads every tick without a container cache (nothing remembers the last read)', async () => {
    const s = setup(4, null);
    expect(await readsOver(s, 6)).toEqual(Array(6).fill(true));
  });
});

describe('cold starts delivered since the last read wake a steady target (wakeAfterColdStarts)', () => {
  function wakeSetup(wakeAfterColdStarts = 2) {
    const config = parseConfig({
      targets: [
        { functionName: 'api', qualifier: 'live', maxTicksBetweenReads: 4, model: 'peak-quantile' },
        { functionName: 'jobs', qualifier: 'live', maxTicksBetweenReads: 4, model: 'peak-quantile' },
      ],
      defaults: { min: 0, max: 50, wakeAfterColdStarts },
    });
    const metrics = new FakeMetricsSource();
    for (const id of ['api:live', 'jobs:live']) metrics.set(id, { concurrency: level(6), coldStarts: {} });
    const store = new FakeDecisionStore();
    const wakes = new FakeWakeStore();
    const log = memoryLogger();
    const deps = fakeTickDeps({
      metrics,
      store,
      wakes,
      log,
      cache: { cache: new ContainerCache(), scope: 't' },
    });
    return { config, metrics, store, wakes, deps, log };
  }
  const readIds = (metrics: FakeMetricsSource, from: number) =>
    metrics.calls.slice(from).flatMap((c) => c.targets.map((t) => t.id));

  // With maxTicksBetweenReads 4, ticks 0, 1 and 3 read, 4 to 6 are deferred, 7 reads again.
  const warmUp = async (s: ReturnType<typeof wakeSetup>) => {
    for (let i = 0; i < 4; i++) await runTick(s.deps, s.config, T0 + i * TICK);
  };

  it('reads a deferred target at once when enough cold starts were delivered, and says why', async () => {
    const s = wakeSetup();
    await warmUp(s);
    // a burst: three cold-start lines delivered for api, one for jobs
    await s.wakes.addColdStarts('api:live', 3, T0 + 4 * TICK - 20_000);
    await s.wakes.addColdStarts('jobs:live', 1, T0 + 4 * TICK - 20_000);
    const before = s.metrics.calls.length;
    const r = await runTick(s.deps, s.config, T0 + 4 * TICK);
    expect(readIds(s.metrics, before)).toEqual(['api:live']); // jobs: 1 < 2, still deferred
    expect(r.metrics.readsWoken).toBe(1);
    expect(r.metrics.readsDeferred).toBe(1);
    const api = r.targets.find((t) => t.target === 'api:live');
    const woken = api?.decision?.reasons.find((x) => x.code === REASON_CODES.readWoken);
    expect(woken?.message).toMatch(/3 user-felt cold start/);
    const jobs = r.targets.find((t) => t.target === 'jobs:live');
    expect(jobs?.decision?.reasons.map((x) => x.code)).toContain(REASON_CODES.readDeferred);
  });

  it('counts only what was delivered since the read: the mark at the read is the baseline', async () => {
    const s = wakeSetup();
    await s.wakes.addColdStarts('api:live', 5, T0 - 60_000); // before the first read
    await warmUp(s);
    let before = s.metrics.calls.length;
    await runTick(s.deps, s.config, T0 + 4 * TICK);
    expect(readIds(s.metrics, before)).toEqual([]); // 5 at the read, 5 now: nothing new
    await s.wakes.addColdStarts('api:live', 1, T0 + 5 * TICK - 10_000);
    before = s.metrics.calls.length;
    await runTick(s.deps, s.config, T0 + 5 * TICK);
    expect(readIds(s.metrics, before)).toEqual([]); // one since the read: under 2
    await s.wakes.addColdStarts('api:live', 1, T0 + 6 * TICK - 10_000);
    before = s.metrics.calls.length;
    await runTick(s.deps, s.config, T0 + 6 * TICK);
    expect(readIds(s.metrics, before)).toEqual(['api:live']); // two since the read
    // that read is the new baseline: one more is not enough
    await s.wakes.addColdStarts('api:live', 1, T0 + 7 * TICK - 10_000);
    before = s.metrics.calls.length;
    await runTick(s.deps, s.config, T0 + 7 * TICK);
    expect(readIds(s.metrics, before)).toEqual(['jobs:live']); // jobs due anyway; api read a tick ago
  });

  it('never wakes with wakeAfterColdStarts 0, and reads no mark', async () => {
    const s = wakeSetup(0);
    await warmUp(s);
    await s.wakes.addColdStarts('api:live', 50, T0 + 4 * TICK - 20_000);
    const before = s.metrics.calls.length;
    await runTick(s.deps, s.config, T0 + 4 * TICK);
    expect(readIds(s.metrics, before)).toEqual([]);
    expect(s.wakes.calls.filter((c) => c.op === 'readWakes')).toEqual([]);
  });

  it('waits out the back-off when the marks are unreadable, and logs it', async () => {
    const s = wakeSetup();
    await warmUp(s);
    await s.wakes.addColdStarts('api:live', 9, T0 + 4 * TICK - 20_000);
    s.wakes.failNext('readWakes');
    const before = s.metrics.calls.length;
    const r = await runTick(s.deps, s.config, T0 + 4 * TICK);
    expect(readIds(s.metrics, before)).toEqual([]);
    expect(r.targets.every((t) => t.status !== 'failed')).toBe(true);
    expect(s.log.lines.some((l) => /wake marks unreadable/.test(String(l.msg)))).toBe(true);
    // read at the next tick, once the marks can be read
    const next = s.metrics.calls.length;
    await runTick(s.deps, s.config, T0 + 5 * TICK);
    expect(readIds(s.metrics, next)).toEqual(['api:live']);
  });
});
