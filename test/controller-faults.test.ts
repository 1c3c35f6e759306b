import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@warmpool/core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { main } from '../packages/cli/src/cli/main.js';
import './harness/fixtures.js';
import type { Stack } from './harness/stack.js';
import { recorded } from './harness/ticks.js';
import { CONFIG, pings, startTwoTargets, tick } from './harness/two-targets.js';

const dynamodbEndpoint = inject('dynamodbEndpoint');
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** A stack with steady traffic (about 3 concurrent on api, 1 on jobs) and a driver over the handler. */
async function setup(config: unknown = CONFIG) {
  const started = await startTwoTargets(dynamodbEndpoint, config);
  stack = started.s;
  return started;
}

/** Exactly one record per target for each window in `windows`, and no other. */
async function expectOneDecisionPerWindow(s: Stack, target: string, windows: number[]) {
  const items = await recorded(s, target);
  expect(items.map((r) => r.windowStartMs).sort((a, b) => a - b)).toEqual([...windows].sort((a, b) => a - b));
}

describe('controller e2e: faults (stand-ins, DynamoDB Local, real SDK clients)', () => {
  it('CloudWatch throttles are ridden out; errors and a hung call degrade to the last decision and say why', async () => {
    // Both targets read every tick: a steady target's back-off would skip the reads these faults are put on.
    const { s, driver } = await setup({
      ...CONFIG,
      defaults: { ...CONFIG.defaults, maxTicksBetweenReads: 1 },
    });
    for (let k = 1; k <= 3; k++) expect((await driver.tickAt(tick(k))).metrics.ok).toBe(true);

    s.cloudwatch.failNext('throttling', 2);
    const before = s.cloudwatch.requests.length;
    const throttled = await driver.tickAt(tick(4));
    expect(throttled.metrics.ok).toBe(true); // the SDK retried Throttling (3 attempts)
    // Two throttled attempts, then each call of the read once (concurrency, and cold starts where needed).
    expect(s.cloudwatch.requests.length - before).toBe(2 + throttled.metrics.calls);

    const lastCount = throttled.targets.find((t) => t.target === 'api:live')?.decision?.count;
    s.cloudwatch.failNext('internal', 3); // every attempt fails
    const pingsBefore = pings(s);
    const down = await driver.tickAt(tick(5));
    expect(down.metrics.ok).toBe(false);
    const api = down.targets.find((t) => t.target === 'api:live');
    expect(api?.status).toBe('warmed');
    expect(api?.decision?.count).toBe(lastCount);
    expect(api?.decision?.reasons.map((r) => r.code)).toContain('metrics-missing-last-decision');
    expect(pings(s)).toBeGreaterThan(pingsBefore);

    s.cloudwatch.failNext('invalid'); // not retryable: one call, then degrade
    const invalid = await driver.tickAt(tick(6));
    expect(invalid.metrics).toMatchObject({ ok: false });
    expect(invalid.metrics.error).toMatch(/InvalidParameterValue/);

    expect((await driver.tickAt(tick(7))).metrics.ok).toBe(true);

    // CloudWatch never answers: the read is abandoned at its share of the Lambda's remaining time, and the
    // tick still decides, records and warms before the timeout.
    s.cloudwatch.failNext('hang');
    driver.traffic.feed(tick(8));
    const hung = await driver.deliver(tick(8), 6_000);
    expect(hung.metrics.ok).toBe(false);
    expect(hung.targets.map((t) => [t.status, t.write])).toEqual([
      ['warmed', 'recorded'],
      ['warmed', 'recorded'],
    ]);
    const windows = [1, 2, 3, 4, 5, 6, 7, 8].map(tick);
    await expectOneDecisionPerWindow(s, 'api:live', windows);
    await expectOneDecisionPerWindow(s, 'jobs:live', windows);
    const rec5 = (await recorded(s, 'api:live')).find((r) => r.windowStartMs === tick(5));
    expect(rec5?.degraded[0]).toMatch(/metrics unavailable \(InternalService/);
    expect(rec5?.outcome?.status).toBe('warmed');
    const emf = s.lines.filter((l) => l.includes('"MetricsUnavailable":1'));
    expect(emf.length).toBe(6); // ticks 5, 6 and 8, two targets each
  });

  it('DynamoDB down: still warms and reports the lost write, which lands once the store is back; back mid-tick: recovered at once', async () => {
    const { s, driver } = await setup();
    await driver.tickAt(tick(1));
    await driver.tickAt(tick(2));

    s.dynamodbProxy.down();
    const pingsBefore = pings(s);
    const lost = await driver.tickAt(tick(3));
    expect(lost.lostWrites).toEqual(['api:live', 'jobs:live']);
    expect(lost.targets.map((t) => [t.status, t.write])).toEqual([
      ['warmed', 'lost'],
      ['warmed', 'lost'],
    ]);
    expect(pings(s)).toBeGreaterThan(pingsBefore);
    expect(s.lines.filter((l) => l.includes('"DecisionWriteFailed":1'))).toHaveLength(2);
    expect(
      s.lines.some((l) => l.includes('decision lost: the store was unavailable before and after warming')),
    ).toBe(true);

    // Down when the tick starts, back once both targets' pings reach Lambda (each target pings only after its
    // decision write failed; slow pings keep the rounds open meanwhile): the retry after warming lands.
    const seen = s.lambda.invocations.length;
    s.lambda.injectFault({ kind: 'slow', delayMs: 800 }, { times: 1_000 });
    const watcher = setInterval(() => {
      const names = new Set(s.lambda.invocations.slice(seen).map((i) => i.functionName));
      if (names.has('api') && names.has('jobs')) s.dynamodbProxy.restore();
    }, 1);
    try {
      const recovered = await driver.tickAt(tick(4));
      expect(recovered.lostWrites).toEqual([]);
      expect(recovered.targets.map((t) => t.write)).toEqual(['recovered', 'recovered']);
    } finally {
      clearInterval(watcher);
      s.lambda.clearFaults();
      s.dynamodbProxy.restore();
    }
    // tick 3's decisions waited in the controller's outbox (same warm container) and land at tick 5
    const after = await driver.tickAt(tick(5));
    expect(after.recoveredWrites.map((k) => k.split('@')[0]).sort()).toEqual(['api:live', 'jobs:live']);
    await expectOneDecisionPerWindow(s, 'api:live', [1, 2, 3, 4, 5].map(tick));
    await expectOneDecisionPerWindow(s, 'jobs:live', [1, 2, 3, 4, 5].map(tick));
    const rec3 = (await recorded(s, 'api:live')).find((r) => r.windowStartMs === tick(3));
    expect(rec3?.outcome?.status).toBe('warmed');
    const rec4 = (await recorded(s, 'api:live')).find((r) => r.windowStartMs === tick(4));
    expect(rec4?.outcome?.status).toBe('warmed');
  });

  it('a duplicated tick (redelivered, or delivered twice at once) warms once and records once', async () => {
    const { s, driver } = await setup();
    await driver.tickAt(tick(1));
    const pingsAfterFirst = pings(s);
    s.clock.jump(40_000); // EventBridge redelivers the same event 40 s later
    const again = await driver.deliver(tick(1));
    expect(again.targets.map((t) => t.status)).toEqual(['duplicate', 'duplicate']);
    expect(pings(s)).toBe(pingsAfterFirst);

    driver.traffic.feed(tick(2));
    const [a, b] = await Promise.all([driver.deliver(tick(2)), driver.deliver(tick(2))]);
    const statuses = [...(a?.targets ?? []), ...(b?.targets ?? [])].map((t) => t.status).sort();
    expect(statuses).toEqual(['duplicate', 'duplicate', 'warmed', 'warmed']);
    for (const t of ['api:live', 'jobs:live']) await expectOneDecisionPerWindow(s, t, [tick(1), tick(2)]);
  });

  it('a target deleted mid-run fails alone, with its decision and the reason recorded', async () => {
    const { s, driver } = await setup();
    await driver.tickAt(tick(1));
    await driver.tickAt(tick(2));
    s.world.removeFunction('jobs');
    for (const k of [3, 4]) {
      const r = await driver.tickAt(tick(k));
      expect(r.targets.map((t) => [t.target, t.status])).toEqual([
        ['api:live', 'warmed'],
        ['jobs:live', 'warm-failed'],
      ]);
      expect(r.targets[1]?.error).toMatch(/ResourceNotFoundException/);
    }
    await expectOneDecisionPerWindow(s, 'api:live', [1, 2, 3, 4].map(tick));
    await expectOneDecisionPerWindow(s, 'jobs:live', [1, 2, 3, 4].map(tick));
    const jobs = await recorded(s, 'jobs:live');
    expect(jobs[0]?.outcome?.status).toBe('warm-failed');
    expect(jobs[0]?.outcome?.fanOut?.failures).toHaveProperty('ResourceNotFoundException');
  });

  it('a bad config is refused before any AWS call: no decision, no ping; the CLI names the field and rule', async () => {
    const bad = { targets: [{ functionName: 'api', qualifier: 'live', min: 8, max: 2 }] };
    const { s, driver } = await setup(bad);
    await expect(driver.tickAt(tick(1))).rejects.toBeInstanceOf(ConfigError);
    await expect(driver.deliver(tick(1))).rejects.toThrow(/targets\[0\]\.(min|max)/);
    expect(s.lambda.invocations).toHaveLength(0);
    expect(s.cloudwatch.requests).toHaveLength(0);
    expect(await recorded(s, 'api:live')).toEqual([]);

    const file = join(mkdtempSync(join(tmpdir(), 'warmpool-e2e-')), 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const err: string[] = [];
    const code = await main(
      ['tick', '--config', file, '--table', s.table, '--endpoint-url', `dynamodb=${s.endpoints.dynamodb}`],
      { out: () => {}, err: (t) => err.push(t) },
    );
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(new RegExp(`invalid config in ${file.replaceAll('/', '\\/')}`));
    expect(await recorded(s, 'api:live')).toEqual([]);
  });

  it('`warmpool tick` runs one tick from a laptop against the stand-ins (real clients, real clock)', async () => {
    const { s } = await setup();
    const file = join(mkdtempSync(join(tmpdir(), 'warmpool-e2e-')), 'warmpool.json');
    writeFileSync(file, JSON.stringify(CONFIG));
    const out: string[] = [];
    const err: string[] = [];
    const args = [
      'tick',
      '--config',
      file,
      '--table',
      s.table,
      '--endpoint-url',
      `cloudwatch=${s.endpoints.cloudwatch}`,
      '--endpoint-url',
      `dynamodb=${s.endpoints.dynamodb}`,
      '--endpoint-url',
      `lambda=${s.endpoints.lambda}`,
      '--json',
    ];
    const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const result = JSON.parse(out.join('')) as {
      targets: { target: string; status: string; write: string }[];
    };
    expect(result.targets.map((t) => [t.target, t.status, t.write])).toEqual([
      ['api:live', 'warmed', 'recorded'],
      ['jobs:live', 'warmed', 'recorded'],
    ]);
    expect(pings(s)).toBeGreaterThanOrEqual(2); // min 1 each
    expect(s.cloudwatch.requests.map((r) => r.operation)).toEqual(['GetMetricData']);
    expect(await recorded(s, 'api:live')).toHaveLength(1);
  });

  it('Lambda throttles during a warm round are recorded with their Reason and emitted as Throttled', async () => {
    const { s, driver } = await setup();
    await driver.tickAt(tick(1));
    s.lambda.injectFault(
      { kind: 'throttle', reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' },
      { times: 1_000, functionName: 'api' },
    );
    const r = await driver.tickAt(tick(2));
    s.lambda.clearFaults();
    const api = r.targets.find((t) => t.target === 'api:live');
    // Stopped to keep the pool for real traffic: not a controller failure, but not `warmed` either.
    expect(api?.status).toBe('short');
    expect(api?.fanOut?.shortfall?.reasons).toContain('throttled');
    expect(api?.fanOut?.throttled).toBeGreaterThan(0);
    expect(api?.fanOut?.throttleReasons).toHaveProperty('ReservedFunctionConcurrentInvocationLimitExceeded');
    expect(api?.fanOut?.stoppedEarly).toMatch(/ReservedFunctionConcurrentInvocationLimitExceeded/);
    expect(r.targets.find((t) => t.target === 'jobs:live')?.fanOut?.throttled).toBe(0);
    const rec = (await recorded(s, 'api:live')).find((x) => x.windowStartMs === tick(2));
    expect(rec?.outcome?.fanOut?.throttled).toBe(api?.fanOut?.throttled);
    const emf = s.lines
      .map(
        (l) => JSON.parse(l) as { _aws?: unknown; Target?: string; Throttled?: number; ShortRound?: number },
      )
      .filter((l) => l._aws && l.Target === 'api:live');
    expect(emf.at(-1)?.Throttled).toBe(api?.fanOut?.throttled);
    expect(emf.at(-1)?.ShortRound).toBe(1);
  });
});
