import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrafficReplay } from '@warmpool/cli';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { main } from '../packages/cli/src/cli/main.js';
import './harness/fixtures.js';
import type { FaultProxy } from './harness/fault-proxy.js';
import { Stack } from './harness/stack.js';
import { recorded, TICK_MS, TickDriver } from './harness/ticks.js';
import { steadyStream } from './harness/traffic.js';
import { CONFIG, FUNCTIONS, HOUR, handler, pings, startTwoTargets, T0, tick } from './harness/two-targets.js';

// Issue 11, "warming skipped or lost": DynamoDB Local behind a fault proxy that black-holes, resets after
// forwarding, or refuses; the real SDK clients, the Lambda and CloudWatch stand-ins, the Lambda handler.
const dynamodbEndpoint = inject('dynamodbEndpoint');
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

async function setup(config: unknown = CONFIG) {
  const started = await startTwoTargets(dynamodbEndpoint, config);
  stack = started.s;
  return started;
}
/** The per-tick EMF lines without dimensions (what the construct's alarms watch). */
const tickFaultLines = (s: Stack) =>
  s.lines
    .map(
      (l) =>
        JSON.parse(l) as Record<string, unknown> & {
          _aws?: { CloudWatchMetrics: { Dimensions: string[][] }[] };
        },
    )
    .filter((l) => l._aws && l._aws.CloudWatchMetrics[0]?.Dimensions[0]?.length === 0);

describe('controller e2e: DynamoDB faults through a loopback fault proxy (DynamoDB Local, real SDK clients)', () => {
  it('a DynamoDB that accepts connections but never answers: every target still warms, the loss is reported, and the record written later says what happened', async () => {
    const { s, driver } = await setup();
    await driver.tickAt(tick(1));

    await s.dynamodbFaults.inject({ mode: 'black-hole' });
    const before = pings(s);
    const hung = await driver.tickAt(tick(2));
    expect(hung.timedOut).toBe(false);
    expect(hung.targets.map((t) => [t.status, t.write, t.outcomeWrite])).toEqual([
      ['warmed', 'lost', 'lost'],
      ['warmed', 'lost', 'lost'],
    ]);
    expect(hung.targets.every((t) => (t.fanOut?.sent ?? 0) > 0)).toBe(true);
    expect(pings(s)).toBeGreaterThan(before);
    expect(hung.targets[0]?.degraded[0]).toMatch(/StoreTimeoutError: listDecisions did not answer/);
    expect(hung.lostWrites).toEqual(['api:live', 'jobs:live']);
    expect(tickFaultLines(s).at(-1)).toMatchObject({ DecisionWriteFailed: 2, TargetFailed: 0 });

    // Still hung at the next tick, with the outbox full: the flush gives up at its own bound, warming goes on.
    const again = await driver.tickAt(tick(3));
    expect(again.recoveredWrites).toEqual([]);
    expect(again.targets.map((t) => [t.status, t.write])).toEqual([
      ['warmed', 'lost'],
      ['warmed', 'lost'],
    ]);
    expect(s.lines.some((l) => l.includes('outbox still pending: the store is unavailable'))).toBe(true);
    // From a laptop against the hung store: the CLI says so with exit 1.
    const file = join(mkdtempSync(join(tmpdir(), 'warmpool-e2e-')), 'warmpool.json');
    writeFileSync(file, JSON.stringify(CONFIG));
    const cli = await main(['tick', '--config', file, '--table', s.table, ...endpointFlags(s)], {
      out: () => {},
      err: () => {},
    });
    expect(cli).toBe(1);

    // Back: both lost windows land from the outbox, each with the outcome its own tick reported.
    s.dynamodbFaults.cutAll();
    await s.dynamodbFaults.clear();
    const back = await driver.tickAt(tick(4));
    expect(back.recoveredWrites).toHaveLength(4);
    expect(back.targets.map((t) => t.write)).toEqual(['recorded', 'recorded']);
    for (const target of ['api:live', 'jobs:live']) {
      const items = await recorded(s, target);
      expect(items.map((r) => r.windowStartMs).sort()).toEqual([1, 2, 3, 4].map(tick).sort());
      for (const k of [2, 3]) {
        const r = items.find((x) => x.windowStartMs === tick(k));
        const reported = (k === 2 ? hung : again).targets.find((t) => t.target === target);
        expect(r?.outcome?.status).toBe(reported?.status);
        expect(r?.outcome?.fanOut?.sent).toBe(reported?.fanOut?.sent);
      }
    }
  });

  it('a PutItem that landed but whose answer was lost: the tick recognises its own tickId and warms as the writer', async () => {
    const { s, driver } = await setup();
    await driver.tickAt(tick(1));
    await s.dynamodbFaults.inject({
      mode: 'reset-after-forward',
      match: 'DynamoDB_20120810.PutItem',
      times: 1,
    });
    const before = pings(s);
    const r = await driver.tickAt(tick(2));
    expect(s.dynamodbFaults.hits['reset-after-forward']).toBe(1);
    expect(r.targets.map((t) => [t.status, t.write, t.outcomeWrite])).toEqual([
      ['warmed', 'recorded', 'recorded'],
      ['warmed', 'recorded', 'recorded'],
    ]);
    expect(pings(s)).toBeGreaterThan(before);
    expect(s.lines.some((l) => l.includes('carrying on as its writer'))).toBe(true);
    for (const target of ['api:live', 'jobs:live']) {
      const rec = (await recorded(s, target)).find((x) => x.windowStartMs === tick(2));
      expect(rec?.tickId).toBe(r.tickId);
      expect(rec?.outcome?.status).toBe('warmed');
    }
  });

  it('a PutItem answered only after its bound: the write is given up, lands anyway, and the retry after warming adds the outcome to our own record', async () => {
    const { s, driver } = await setup();
    await driver.tickAt(tick(1));
    await s.dynamodbFaults.inject({
      mode: 'delay',
      match: 'DynamoDB_20120810.PutItem',
      times: 2,
      delayMs: 3_000,
    });
    const r = await driver.tickAt(tick(2));
    expect(s.dynamodbFaults.hits.delay).toBe(2);
    expect(r.targets.map((t) => [t.status, t.write, t.outcomeWrite])).toEqual([
      ['warmed', 'recovered', 'recorded'],
      ['warmed', 'recovered', 'recorded'],
    ]);
    expect(r.lostWrites).toEqual([]);
    for (const target of ['api:live', 'jobs:live']) {
      const rec = (await recorded(s, target)).find((x) => x.windowStartMs === tick(2));
      expect(rec?.tickId).toBe(r.tickId);
      expect(rec?.outcome?.status).toBe('warmed');
    }
  });

  it('refused connections: warms anyway, reports the lost write; the CLI exits 1', async () => {
    const { s, driver } = await setup();
    await s.dynamodbFaults.inject({ mode: 'refuse' });
    const r = await driver.tickAt(tick(1));
    expect(r.targets.map((t) => [t.status, t.write])).toEqual([
      ['warmed', 'lost'],
      ['warmed', 'lost'],
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'warmpool-e2e-')), 'warmpool.json');
    writeFileSync(file, JSON.stringify(CONFIG));
    const code = await main(['tick', '--config', file, '--table', s.table, ...endpointFlags(s)], {
      out: () => {},
      err: () => {},
    });
    expect(code).toBe(1);
  });

  it('`warmpool tick --dry-run` against the live table does not claim the window: the scheduled tick still warms it', async () => {
    const { s, driver } = await setup();
    const file = join(mkdtempSync(join(tmpdir(), 'warmpool-e2e-')), 'warmpool.json');
    writeFileSync(file, JSON.stringify(CONFIG));
    const out: string[] = [];
    const code = await main(
      ['tick', '--config', file, '--table', s.table, '--dry-run', '--json', ...endpointFlags(s)],
      { out: (t) => out.push(t), err: () => {} },
    );
    expect(code).toBe(0);
    const dry = JSON.parse(out.join('')) as { targets: { status: string; write: string }[] };
    expect(dry.targets.map((t) => [t.status, t.write])).toEqual([
      ['dry-run', 'dry-run'],
      ['dry-run', 'dry-run'],
    ]);
    expect(pings(s)).toBe(0);
    expect(await recorded(s, 'api:live')).toEqual([]);

    // The scheduled tick of the window the dry run ran in (the CLI uses the real clock).
    const k = Math.floor((Date.now() - T0) / TICK_MS);
    const real = await driver.tickAt(tick(k));
    expect(real.targets.map((t) => [t.status, t.write])).toEqual([
      ['warmed', 'recorded'],
      ['warmed', 'recorded'],
    ]);
    expect(pings(s)).toBeGreaterThan(0);
  });
});

describe('controller e2e: a target without the helper', () => {
  it('is a failed round and emits HelperMissing, per target and in the per-tick line the alarm watches', async () => {
    stack = await Stack.start({
      startMs: T0,
      functions: [
        { name: 'api', qualifiers: ['live'], handler, sim: { initMs: 20, metricLagMs: 60_000 } },
        {
          name: 'jobs',
          qualifiers: ['live'],
          handler,
          warmup: false,
          sim: { initMs: 20, metricLagMs: 60_000 },
        },
      ],
      dynamodbEndpoint,
    });
    const s = stack;
    const driver = new TickDriver(s, JSON.stringify(CONFIG), new TrafficReplay(s.world, s.clock, T0, []));
    const r = await driver.tickAt(tick(1));
    expect(r.targets.map((t) => [t.target, t.status])).toEqual([
      ['api:live', 'warmed'],
      ['jobs:live', 'warm-failed'],
    ]);
    const perTarget = s.lines
      .map((l) => JSON.parse(l) as { _aws?: unknown; Target?: string; HelperMissing?: number })
      .filter((l) => l._aws && l.Target);
    expect(perTarget.map((l) => [l.Target, l.HelperMissing]).sort()).toEqual([
      ['api:live', 0],
      ['jobs:live', 1],
    ]);
    expect(tickFaultLines(s).at(-1)).toMatchObject({ HelperMissing: 1, TargetFailed: 1 });
  });
});

describe('controller e2e: Lambda and CloudWatch faults through the proxy', () => {
  async function proxied() {
    stack = await Stack.start({ startMs: T0, functions: FUNCTIONS, dynamodbEndpoint, proxyStandIns: true });
    const s = stack;
    const traffic = new TrafficReplay(s.world, s.clock, T0, [
      steadyStream('api', 'live', 500, 1_500, 4 * HOUR),
      steadyStream('jobs', 'live', 2_000, 1_000, 4 * HOUR),
    ]);
    return {
      s,
      driver: new TickDriver(s, JSON.stringify(CONFIG), traffic),
      lambda: s.lambdaFaults as FaultProxy,
    };
  }

  it('CloudWatch black-holed: the read is cut at its share of the budget, the tick decides from the last decision and warms', async () => {
    const { s, driver } = await proxied();
    await driver.tickAt(tick(1));
    await s.cloudwatchFaults?.inject({ mode: 'black-hole' });
    driver.traffic.feed(tick(2));
    // 12 s left in the Lambda: the read is given 40% of the 10 s budget, the rest stays for the targets.
    const r = await driver.deliver(tick(2), 12_000);
    expect(r.metrics.ok).toBe(false);
    expect(r.targets.map((t) => [t.status, t.write])).toEqual([
      ['warmed', 'recorded'],
      ['warmed', 'recorded'],
    ]);
    expect(r.targets[0]?.decision?.reasons.map((x) => x.code)).toContain('metrics-missing-last-decision');
  });

  it('every Invoke to one target reset after it reached Lambda: that target is warm-failed and TargetFailed fires; the other warms', async () => {
    const { s, driver, lambda } = await proxied();
    await lambda.inject({ mode: 'reset-after-forward', match: '/functions/jobs/' });
    const r = await driver.tickAt(tick(1));
    expect(r.targets.map((t) => [t.target, t.status, t.write])).toEqual([
      ['api:live', 'warmed', 'recorded'],
      ['jobs:live', 'warm-failed', 'recorded'],
    ]);
    expect(r.targets[1]?.error).toMatch(/no ping succeeded/);
    expect(lambda.hits['reset-after-forward']).toBeGreaterThan(0);
    const rec = (await recorded(s, 'jobs:live')).find((x) => x.windowStartMs === tick(1));
    expect(rec?.outcome?.status).toBe('warm-failed');
    expect(tickFaultLines(s).at(-1)).toMatchObject({ TargetFailed: 1, DecisionWriteFailed: 0 });
  });
});

function endpointFlags(s: Stack): string[] {
  return (['cloudwatch', 'dynamodb', 'lambda'] as const).flatMap((k) => [
    '--endpoint-url',
    `${k}=${s.endpoints[k]}`,
  ]);
}
