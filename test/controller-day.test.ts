import { fileURLToPath } from 'node:url';
import { TrafficReplay } from '@warmpool/cli';
import { buildWorkload, type FunctionWorkload, readTrace } from '@warmpool/lab';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../packages/cli/src/cli/main.js';
import './harness/fixtures.js';
import { Stack } from './harness/stack.js';
import { recorded, TICK_MS, TickDriver } from './harness/ticks.js';

/**
 * A compressed simulated day: two real functions from the bundled Azure Functions 2019 trace (CC-BY 4.0, see
 * packages/cli/data/traces/azure2019-dev/ATTRIBUTION.md), each replayed into two simulated functions with the same traffic and
 * seed: one the controller warms, one it only records (dryRun), so the cold starts users felt compare like
 * for like. The controller ticks every simulated 5 minutes through its Lambda handler, with the real SDK
 * clients, against the stand-ins and DynamoDB Local.
 */
const dynamodbEndpoint = inject('dynamodbEndpoint');
const DAY_TICKS = 288;
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000;
/** Bursty, 11 s requests, up to ~28 concurrent in its busiest hour, idle at night. */
const API_FN = '4efaecb307eedc78dcac4c0ae43d79be97d8aed442fbc7f4cf54b415d9caab09';
/** Light, 15 s requests, about 0 to 2 concurrent. */
const JOBS_FN = '2885ad02b8aa90767904b5396c051902f6eb9c784fb045ecced364e8242c9b42';
const BOUNDS = { api: { min: 1, max: 40 }, jobs: { min: 0, max: 10 } };

const handler = async () => ({ statusCode: 200 });
const fn = (name: string) => ({
  name,
  qualifiers: ['live'],
  handler,
  realInitDelay: false,
  sim: { initMs: 400, metricLagMs: 60_000, seed: 7 },
});

let stack: Stack;
let driver: TickDriver;
let traffic: TrafficReplay;
let workloads: Record<'api' | 'jobs', FunctionWorkload>;
let realMs = 0;

beforeAll(async () => {
  const trace = await readTrace(
    fileURLToPath(new URL('../packages/cli/data/traces/azure2019-dev', import.meta.url)),
  );
  const pick = (id: string) => {
    const f = trace.functions.find((x) => x.id === id);
    if (!f) throw new Error(`trace function ${id} not found`);
    return buildWorkload(trace, f, { seed: 11, mode: 'invocations' });
  };
  workloads = { api: pick(API_FN), jobs: pick(JOBS_FN) };
  stack = await Stack.start({
    startMs: T0,
    functions: ['api', 'api-cold', 'jobs', 'jobs-cold'].map(fn),
    dynamodbEndpoint,
  });
  const stream = (name: string, w: FunctionWorkload) => ({
    functionName: name,
    qualifier: 'live',
    arrivals: w.arrivals as Float64Array,
    durations: w.durations as Float64Array,
  });
  traffic = new TrafficReplay(stack.world, stack.clock, T0, [
    stream('api', workloads.api),
    stream('api-cold', workloads.api),
    stream('jobs', workloads.jobs),
    stream('jobs-cold', workloads.jobs),
  ]);
  const config = {
    tickIntervalSeconds: 300,
    defaults: { holdMs: 60 },
    targets: [
      { functionName: 'api', qualifier: 'live', ...BOUNDS.api },
      { functionName: 'api-cold', qualifier: 'live', ...BOUNDS.api, dryRun: true },
      { functionName: 'jobs', qualifier: 'live', ...BOUNDS.jobs },
      { functionName: 'jobs-cold', qualifier: 'live', ...BOUNDS.jobs, dryRun: true },
    ],
  };
  driver = new TickDriver(stack, JSON.stringify(config), traffic);
  const started = performance.now();
  for (let k = 1; k <= DAY_TICKS; k++) await driver.tickAt(T0 + k * TICK_MS);
  traffic.feed(T0 + (DAY_TICKS + 1) * TICK_MS);
  realMs = performance.now() - started;
  // The whole simulated day runs here; under a full parallel `pnpm test` on 2 cores it can take a while.
}, 280_000);

afterAll(async () => {
  await stack?.stop();
});

const windows = Array.from({ length: DAY_TICKS }, (_, i) => T0 + (i + 1) * TICK_MS);

describe('controller e2e: a compressed simulated day from a real trace', () => {
  it('ran every tick cleanly and left exactly one decision per target per tick in DynamoDB', async () => {
    console.log(`simulated day: ${DAY_TICKS} ticks in ${(realMs / 1000).toFixed(1)} s real`);
    expect(driver.results).toHaveLength(DAY_TICKS);
    for (const r of driver.results) {
      expect(r.lostWrites).toEqual([]);
      expect(r.metrics.ok).toBe(true);
      for (const t of r.targets) {
        // A round the loaded machine dispatched slower than its hold is `short`, never passed off as `warmed`.
        expect(['warmed', 'short', 'nothing-to-warm', 'dry-run']).toContain(t.status);
        if (t.status === 'short') expect(t.fanOut?.shortfall?.reasons.length).toBeGreaterThan(0);
      }
    }
    for (const target of ['api:live', 'api-cold:live', 'jobs:live', 'jobs-cold:live']) {
      const items = await recorded(stack, target);
      expect(items.map((r) => r.windowStartMs).sort((a, b) => a - b)).toEqual(windows);
    }
  });

  it('the warm count followed the load up and down, within bounds', async () => {
    for (const [name, w] of Object.entries(workloads) as ['api' | 'jobs', FunctionWorkload][]) {
      const items = (await recorded(stack, `${name}:live`)).sort((a, b) => a.windowStartMs - b.windowStartMs);
      const counts = items.map((r) => r.decision.count);
      for (const c of counts) {
        expect(c).toBeGreaterThanOrEqual(BOUNDS[name].min);
        expect(c).toBeLessThanOrEqual(BOUNDS[name].max);
      }
      // the true peak of real traffic in each window (the trace's own concurrency, no pings)
      const truth = items.map((r) => {
        const first = (r.windowStartMs - T0) / 60_000;
        let peak = 0;
        for (let m = first; m < first + 5; m++) peak = Math.max(peak, w.minutePeaks[m] ?? 0);
        return peak;
      });
      const order = truth.map((_, i) => i).sort((a, b) => (truth[a] as number) - (truth[b] as number));
      const q = Math.floor(order.length / 4);
      const mean = (ix: number[]) => ix.reduce((s, i) => s + (counts[i] as number), 0) / ix.length;
      const busy = mean(order.slice(-q));
      const quiet = mean(order.slice(0, q));
      console.log(
        `${name}: mean warm count ${busy.toFixed(1)} in the busiest quarter of windows, ${quiet.toFixed(1)} in the quietest`,
      );
      expect(busy).toBeGreaterThan(quiet);
      let ups = 0;
      let downs = 0;
      for (let i = 1; i < counts.length; i++) {
        if ((counts[i] as number) > (counts[i - 1] as number)) ups++;
        if ((counts[i] as number) < (counts[i - 1] as number)) downs++;
      }
      expect(ups).toBeGreaterThan(3);
      expect(downs).toBeGreaterThan(3);
    }
  });

  it('users felt fewer cold starts on the warmed functions than on their unwarmed twins', () => {
    const t = (n: string) => traffic.totals.get(n);
    for (const name of ['api', 'jobs']) {
      const warm = t(name);
      const cold = t(`${name}-cold`);
      console.log(
        `${name}: ${warm?.coldStarts} cold starts warmed vs ${cold?.coldStarts} unwarmed, of ${warm?.requests} requests`,
      );
      expect(warm?.requests).toBe(cold?.requests);
      expect(warm?.coldStarts).toBeLessThan(cold?.coldStarts as number);
    }
  });

  it('the decisions read back through `warmpool decisions --json`, newest first', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      [
        'decisions',
        '--target',
        'api:live',
        '--since',
        new Date(T0).toISOString(),
        '--json',
        '--table',
        stack.table,
        '--endpoint-url',
        stack.endpoints.dynamodb,
      ],
      { out: (t) => out.push(t), err: (t) => err.push(t) },
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const doc = JSON.parse(out.join('')) as {
      decisions: { windowStartMs: number; decision: { count: number } }[];
    };
    expect(doc.decisions.map((d) => d.windowStartMs)).toEqual([...windows].reverse());
    const stored = await recorded(stack, 'api:live');
    expect(doc.decisions.map((d) => d.decision.count)).toEqual(stored.map((r) => r.decision.count));
    const table: string[] = [];
    await main(
      [
        'decisions',
        '--target',
        'api:live',
        '--since',
        new Date(T0).toISOString(),
        '--table',
        stack.table,
        '--endpoint-url',
        stack.endpoints.dynamodb,
      ],
      {
        out: (t) => table.push(t),
        err: () => {},
      },
    );
    const text = table.join('\n');
    expect(text).toMatch(
      /window \(UTC\)\s+forecast\s+model\s+headroom\s+decided\s+reached\s+cold starts\s+reasons/,
    );
    // A bar per window that made a forecast, `·` where the tick kept the last decision (read deferred).
    expect(text).toMatch(/^forecast [▁-█·]*[▁-█][▁-█·]*$/m);
    expect(text).toMatch(/^actual {3}[▁-█·]+$/m);
    expect(text).toMatch(/^warm {5}[▁-█]+$/m);
  });
});
