import { parseConfig } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { runTick } from '../src/tick/run-tick.js';
import { FakeDecisionStore } from './fakes/decision-store-fake.js';
import { FakeMetricsSource } from './fakes/metrics-source-fake.js';
import { fakeTickDeps, T0 } from './fixtures.js';

const MIN = 60_000;

function steady(level: number): Record<number, number> {
  const out: Record<number, number> = {};
  for (let t = T0 - 6 * 60 * MIN; t < T0 + 10 * MIN; t += MIN) out[t] = level;
  return out;
}

function setup() {
  const config = parseConfig({
    targets: [
      { functionName: 'busy', qualifier: 'live' },
      { functionName: 'quiet', qualifier: 'live' },
    ],
    defaults: { min: 1, max: 50 },
  });
  const metrics = new FakeMetricsSource();
  metrics.set('busy:live', { concurrency: steady(8), coldStarts: {} });
  metrics.set('quiet:live', { concurrency: {}, coldStarts: {} });
  const store = new FakeDecisionStore();
  const deps = fakeTickDeps({ metrics, store });
  return { config, metrics, store, deps };
}

describe('runTick reads only what the decisions need', () => {
  it('asks for a cold-start count only where the function ran beyond its own pings', async () => {
    const s = setup();
    const first = await runTick(s.deps, s.config, T0);
    expect(first.metrics).toEqual({ ok: true, calls: 1, queries: 3, coldStartsSkipped: 1 });

    // The quiet target's only reading is its own round of 1 at T0: still nothing to read.
    s.metrics.set('quiet:live', { concurrency: { [T0]: 1 }, coldStarts: {} });
    const second = await runTick(s.deps, s.config, T0 + 5 * MIN);
    expect(second.metrics).toMatchObject({ queries: 3, coldStartsSkipped: 1 });

    // A real request beside the next round reads 2: now its cold starts may count, and are read.
    s.metrics.set('quiet:live', {
      concurrency: { [T0]: 1, [T0 + 5 * MIN]: 2 },
      coldStarts: { [T0 + 5 * MIN]: 1 },
    });
    const third = await runTick(s.deps, s.config, T0 + 10 * MIN);
    expect(third.metrics).toEqual({ ok: true, calls: 1, queries: 4 });

    // The same tick delivered again: its feedback is applied already, so neither target needs a count for it.
    const again = await runTick(s.deps, s.config, T0 + 10 * MIN + 1);
    expect(again.metrics).toMatchObject({ queries: 2, coldStartsSkipped: 2 });
  });

  it('hands each target the past decisions it read first, and reads every cold-start count when they fail', async () => {
    const s = setup();
    s.store.failNext('listDecisions', new Error('store down'), 2);
    const r = await runTick(s.deps, s.config, T0);
    expect(r.metrics).toEqual({ ok: true, calls: 1, queries: 4 });
    expect(s.store.calls.filter((c) => c.op === 'listDecisions')).toHaveLength(2); // once per target, not twice
    for (const t of r.targets) expect(t.degraded.join()).toContain('past decisions unreadable');
  });
});
