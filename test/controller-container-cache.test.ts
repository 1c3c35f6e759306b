import { TrafficReplay } from '@warmpool/cli';
import { ContainerCache, createHandler, type DecisionStore, type TickResult } from '@warmpool/controller';
import { afterEach, describe, expect, inject, it } from 'vitest';
import './harness/fixtures.js';
import type { Stack } from './harness/stack.js';
import { recorded } from './harness/ticks.js';
import { steadyStream } from './harness/traffic.js';
import { CONFIG, HOUR, startTwoTargets, T0, tick } from './harness/two-targets.js';

// Issue 13, item 7: the controller keeps past decisions (and the last cold-start read) per container, and reads
// only the newest windows once warm. Against DynamoDB Local with the real SDK clients, the stand-ins and the
// Lambda handler: two controller containers (two caches) taking turns must each still see the truth.
const dynamodbEndpoint = inject('dynamodbEndpoint');
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** One controller container: its own cache, and the store calls its ticks made (where each query started). */
function container(s: Stack) {
  const cache = new ContainerCache();
  const base = s.deps();
  const since: (number | undefined)[] = [];
  const store: DecisionStore = {
    putDecision: (r, o) => base.store.putDecision(r, o),
    recordOutcome: (t, w, o, opt) => base.store.recordOutcome(t, w, o, opt),
    listDecisions: (t, o) => {
      since.push(o?.sinceMs);
      return base.store.listDecisions(t, o);
    },
  };
  const deps = { ...base, store, cache: { cache, scope: s.table } };
  const handler = createHandler({
    deps: () => deps,
    env: { WARMPOOL_CONFIG: JSON.stringify(CONFIG), WARMPOOL_TABLE: s.table },
  });
  let seq = 0;
  const deliver = (tickMs: number): Promise<TickResult> =>
    handler(
      { id: `event-${tickMs}`, time: new Date(tickMs).toISOString() },
      { awsRequestId: `${s.table}-${++seq}-${Math.random()}`, getRemainingTimeInMillis: () => 30_000 },
    );
  return { cache, since, deliver };
}

describe('controller e2e: the container cache of past decisions (DynamoDB Local)', () => {
  it('two containers taking turns see each other’s decisions and outcomes; a duplicated tick warms nothing', async () => {
    const { s } = await startTwoTargets(dynamodbEndpoint);
    stack = s;
    const traffic = new TrafficReplay(s.world, s.clock, T0, [
      steadyStream('api', 'live', 500, 1_500, 4 * HOUR),
      steadyStream('jobs', 'live', 2_000, 1_000, 4 * HOUR),
    ]);
    const a = container(s);
    const b = container(s);
    const at = async (c: ReturnType<typeof container>, k: number) => {
      traffic.feed(tick(k));
      return c.deliver(tick(k));
    };
    for (let k = 1; k <= 3; k++) await at(a, k);
    // A's first query read the lookback, the next ones only from the newest cached window minus one interval.
    expect(a.since.slice(2)).toEqual([tick(0), tick(0), tick(1), tick(1)]);

    const fromB = await at(b, 4); // a cold container: reads everything A wrote
    expect(b.since[0]).toBeLessThan(tick(1));
    expect(fromB.targets.map((t) => t.status)).not.toContain('duplicate');

    const again = await at(a, 4); // the same tick delivered to A: found, not warmed again
    expect(again.targets.map((t) => t.status)).toEqual(['duplicate', 'duplicate']);
    const r5 = await at(a, 5);
    expect(r5.targets.map((t) => t.write)).toEqual(['recorded', 'recorded']);
    // A's cache now holds B's window with its outcome, as DynamoDB does
    for (const target of ['api:live', 'jobs:live']) {
      const inTable = (await recorded(s, target)).find((r) => r.windowStartMs === tick(4));
      const inCache = a.cache.pastOf(s.table, target)?.records.get(tick(4));
      expect(inCache?.outcome).toEqual(inTable?.outcome);
      expect(inCache?.tickId).toBe(inTable?.tickId);
      // one record per window, each with its outcome
      const items = await recorded(s, target);
      expect(items.map((r) => r.windowStartMs).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5].map(tick));
      for (const r of items) expect(r.outcome).not.toBeNull();
    }
  });
});
