import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, deployValuePlaceholder, FakeClock, type TargetConfig } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import type { FanOutResult } from '../src/fanout/types.js';
import { configFromEnv, tableFromEnv } from '../src/handler/config-from-env.js';
import { createHandler } from '../src/handler/create-handler.js';
import { FakeDecisionStore } from './fakes/decision-store-fake.js';
import { FakeMetricsSource } from './fakes/metrics-source-fake.js';
import { fakeTickDeps, fullRound, T0 } from './fixtures.js';

/** The placeholder the CDK construct writes for a deploy-time value. */
const v = deployValuePlaceholder;

const CONFIG = JSON.stringify({ targets: [{ functionName: 'api', qualifier: 'live', min: 2 }] });

function deps(clock: FakeClock) {
  const warmed: number[] = [];
  const store = new FakeDecisionStore();
  const d = fakeTickDeps({
    metrics: new FakeMetricsSource(),
    store,
    clock,
    warm: async (t: TargetConfig, count: number): Promise<FanOutResult> => {
      warmed.push(count);
      return fullRound(t, count, { newContainers: count });
    },
  });
  return { d, warmed, store };
}

const context = (remaining = 30_000) => ({
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => remaining,
});

describe('configFromEnv', () => {
  it('reads WARMPOOL_CONFIG', () => {
    expect(configFromEnv({ WARMPOOL_CONFIG: CONFIG }).targets[0]?.id).toBe('api:live');
  });

  it('reads WARMPOOL_CONFIG_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warmpool-'));
    const file = join(dir, 'warmpool.json');
    writeFileSync(file, CONFIG);
    expect(configFromEnv({ WARMPOOL_CONFIG_FILE: file }).targets[0]?.min).toBe(2);
  });

  it('fills the deploy-time values of WARMPOOL_CONFIG_VALUES into a config file, whole strings or parts of them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warmpool-'));
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        targets: [
          { functionName: v(0), qualifier: 'live' },
          {
            functionName: `arn:${v(1)}:lambda:${v(2)}:123456789012:function:orders`,
            qualifier: v(3),
          },
        ],
        sharedSecret: v(4),
      }),
    );
    const config = configFromEnv({
      WARMPOOL_CONFIG_FILE: file,
      WARMPOOL_CONFIG_VALUES: JSON.stringify([
        'Stack-Api-1AB2',
        'aws',
        'eu-west-1',
        '7',
        'a-secret-of-16-chars',
      ]),
    });
    expect(config.targets.map((t) => [t.id, t.functionName, t.qualifier])).toEqual([
      ['Stack-Api-1AB2:live', 'Stack-Api-1AB2', 'live'],
      ['orders:7', 'arn:aws:lambda:eu-west-1:123456789012:function:orders', '7'],
    ]);
    expect(config.sharedSecret).toBe('a-secret-of-16-chars');
  });

  it.each([
    [
      { WARMPOOL_CONFIG: JSON.stringify({ targets: [{ functionName: v(1), qualifier: 'live' }] }) },
      /targets\[0\]\.functionName: refers to a deploy-time value that WARMPOOL_CONFIG_VALUES lacks \(\$\{WARMPOOL_CONFIG_VALUES\[1\]\}; 0 value\(s\) given\)/,
    ],
    [
      { WARMPOOL_CONFIG: CONFIG, WARMPOOL_CONFIG_VALUES: '{"a":1}' },
      /WARMPOOL_CONFIG_VALUES: must be a JSON array of strings/,
    ],
    [
      { WARMPOOL_CONFIG: CONFIG, WARMPOOL_CONFIG_VALUES: '[1' },
      /WARMPOOL_CONFIG_VALUES: must be a JSON array of strings/,
    ],
    [{}, /WARMPOOL_CONFIG: must be set/],
    [
      { WARMPOOL_CONFIG_FILE: '/nonexistent/warmpool.json' },
      /WARMPOOL_CONFIG_FILE: must name a readable file/,
    ],
    [
      { WARMPOOL_CONFIG: '{"targets":[{"functionName":"api","qualifier":"live","min":5,"max":2}]}' },
      /in WARMPOOL_CONFIG/,
    ],
    [{ WARMPOOL_CONFIG: '{nope' }, /WARMPOOL_CONFIG/],
  ])('bad config %j is a ConfigError naming the field', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(ConfigError);
    expect(() => configFromEnv(env)).toThrow(message);
  });

  it('tableFromEnv requires WARMPOOL_TABLE', () => {
    expect(tableFromEnv({ WARMPOOL_TABLE: 't' })).toBe('t');
    expect(() => tableFromEnv({})).toThrow(/WARMPOOL_TABLE: must name the decision table/);
  });
});

describe('createHandler', () => {
  it('runs a tick at the scheduled time of the event; a redelivery a minute later warms nothing', async () => {
    const clock = new FakeClock(T0 + 4_000);
    const { d, warmed, store } = deps(clock);
    const handler = createHandler({ deps: () => d, env: { WARMPOOL_CONFIG: CONFIG } });
    const event = { id: 'ev-1', time: new Date(T0).toISOString() };
    const first = await handler(event, context());
    expect(first.nowMs).toBe(T0);
    expect(first.tickId).toBe('req-1');
    expect(first.targets[0]?.status).toBe('warmed');
    clock.advance(60_000);
    const second = await handler(event, { ...context(), awsRequestId: 'req-2' });
    expect(second.targets[0]?.status).toBe('duplicate');
    expect(warmed).toEqual([2]);
    expect(store.all('api:live')).toHaveLength(1);
  });

  it('ignores a scheduled time far from the clock (a replayed old event decides for now)', async () => {
    const clock = new FakeClock(T0);
    const { d } = deps(clock);
    const handler = createHandler({ deps: () => d, env: { WARMPOOL_CONFIG: CONFIG } });
    const r = await handler({ time: '2020-01-01T00:00:00Z' }, context());
    expect(r.nowMs).toBe(T0);
  });

  it('rejects a bad config before touching any port', async () => {
    const clock = new FakeClock(T0);
    const { d } = deps(clock);
    let built = 0;
    const handler = createHandler({
      deps: () => {
        built++;
        return d;
      },
      env: { WARMPOOL_CONFIG: '{"targets":[{"functionName":"api"}]}' },
    });
    await expect(handler({}, context())).rejects.toThrow(/targets\[0\]\.qualifier/);
    expect(built).toBe(0);
  });
});
