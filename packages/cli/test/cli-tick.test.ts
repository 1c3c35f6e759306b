import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FanOutResult, TickDeps } from '@warmpool/controller';
import { createLogger, memoryEmitter } from '@warmpool/controller';
import { FakeClock, type TargetConfig } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { FakeDecisionStore } from '../../controller/test/fakes/decision-store-fake.js';
import { FakeMetricsSource } from '../../controller/test/fakes/metrics-source-fake.js';
import { fullRound, io, T0 } from '../../controller/test/fixtures.js';
import { type TickDepsRequest, tickCommand } from '../src/cli/commands/tick.js';

function configFile(json: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'warmpool-tick-'));
  const file = join(dir, 'warmpool.json');
  writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
  return file;
}

function harness(reach: (count: number) => number = (count) => count) {
  const requests: TickDepsRequest[] = [];
  const warmed: string[] = [];
  const store = new FakeDecisionStore();
  const build = (req: TickDepsRequest): TickDeps => {
    requests.push(req);
    return {
      metrics: new FakeMetricsSource(),
      store,
      clock: new FakeClock(T0),
      log: createLogger(req.sink),
      emf: memoryEmitter(),
      warm: async (t: TargetConfig, count: number): Promise<FanOutResult> => {
        warmed.push(t.id);
        return fullRound(t, count, { distinctContainers: reach(count), holdMs: 100, dispatchSpreadMs: 400 });
      },
    };
  };
  return { build, requests, warmed, store };
}

const CONFIG = { targets: [{ functionName: 'api', qualifier: 'live', min: 3 }] };

describe('warmpool tick', () => {
  it('a short round is not OK: exit 1, with how short and why in the notes', async () => {
    const h = harness((count) => count - 1);
    const x = io();
    const code = await tickCommand({ buildDeps: h.build, env: {} })(
      ['--config', configFile(CONFIG), '--table', 'decisions'],
      x.io,
    );
    expect(code).toBe(1);
    expect(x.out.join('\n')).toMatch(
      /api:live\s+short\s+0\.0\s+3\s+2\b.*short 2\/3: hold-shorter-than-spread/,
    );
  });

  it('runs one tick and prints a summary; endpoints per service', async () => {
    const h = harness();
    const x = io();
    const code = await tickCommand({ buildDeps: h.build, env: {} })(
      [
        '--config',
        configFile(CONFIG),
        '--table',
        'decisions',
        '--endpoint-url',
        'http://127.0.0.1:9000',
        '--endpoint-url',
        'dynamodb=http://127.0.0.1:8000',
      ],
      x.io,
    );
    expect(code).toBe(0);
    expect(h.requests[0]?.endpoints).toEqual({
      cloudwatch: 'http://127.0.0.1:9000',
      dynamodb: 'http://127.0.0.1:8000',
      lambda: 'http://127.0.0.1:9000',
    });
    expect(h.requests[0]?.table).toBe('decisions');
    expect(h.warmed).toEqual(['api:live']);
    expect(x.out.join('\n')).toMatch(/api:live\s+warmed\s+0\.0\s+3\s+3\s+0\s+recorded\/recorded/);
  });

  it('--dry-run decides without warming or writing; --json prints the result', async () => {
    const h = harness();
    const x = io();
    const code = await tickCommand({ buildDeps: h.build, env: { WARMPOOL_TABLE: 't' } })(
      ['--config', configFile(CONFIG), '--dry-run', '--json'],
      x.io,
    );
    expect(code).toBe(0);
    expect(h.warmed).toEqual([]);
    const result = JSON.parse(x.out.join('')) as {
      targets: { status: string; write: string; decision: { dryRun: boolean } }[];
    };
    expect(result.targets[0]).toMatchObject({
      status: 'dry-run',
      write: 'dry-run',
      decision: { dryRun: true },
    });
    // Nothing written: the scheduled tick of this window must not find it claimed.
    expect(h.store.all('api:live')).toEqual([]);
  });

  it('--verbose sends JSON log lines to stderr', async () => {
    const h = harness();
    const x = io();
    await tickCommand({ buildDeps: h.build, env: { WARMPOOL_TABLE: 't' } })(
      ['--config', configFile(CONFIG), '--verbose'],
      x.io,
    );
    expect(x.err.some((l) => (JSON.parse(l) as { msg: string }).msg === 'tick done')).toBe(true);
  });

  it('exits 1 when a decision write is lost', async () => {
    const h = harness();
    h.store.failNext('*', new Error('ECONNREFUSED'), 10);
    const x = io();
    const code = await tickCommand({ buildDeps: h.build, env: { WARMPOOL_TABLE: 't' } })(
      ['--config', configFile(CONFIG)],
      x.io,
    );
    expect(code).toBe(1);
    expect(x.out.join('\n')).toMatch(/LOST decision writes: api:live/);
    expect(h.warmed).toEqual(['api:live']);
  });

  it.each([
    [[], /--config: is required/],
    [['--config', '/nonexistent.json', '--table', 't'], /--config: must name a readable file/],
    [['--config', 'x.json'], /--table: is required/],
    [
      ['--config', 'x.json', '--table', 't', '--endpoint-url', 's3=http://x'],
      /--endpoint-url: must be a URL \(http:\/\/host:port\) or SERVICE=URL, SERVICE one of cloudwatch, dynamodb, lambda/,
    ],
    [['--config', 'x.json', '--dry-run=yes'], /--dry-run: takes no value/],
    [
      ['--config', 'x.json', '--table', 't', '--region', 'bad region!'],
      /--region: must be an AWS region such as us-east-1/,
    ],
  ])('flag errors name the flag and the rule: %j', async (args, message) => {
    const h = harness();
    const x = io();
    expect(await tickCommand({ buildDeps: h.build, env: {} })(args, x.io)).toBe(2);
    expect(x.err.join('\n')).toMatch(message);
    expect(h.requests).toHaveLength(0);
  });

  it('-h prints the usage', async () => {
    const x = io();
    expect(await tickCommand({ buildDeps: harness().build, env: {} })(['-h'], x.io)).toBe(0);
    expect(x.out.join('')).toMatch(/^usage: warmpool tick/);
  });

  it('a bad config exits 2 naming the file, field and rule, and builds nothing', async () => {
    const h = harness();
    const x = io();
    const file = configFile({ targets: [{ functionName: 'api', qualifier: 'live', min: 9, max: 2 }] });
    expect(
      await tickCommand({ buildDeps: h.build, env: { WARMPOOL_TABLE: 't' } })(['--config', file], x.io),
    ).toBe(2);
    expect(x.err.join('\n')).toContain(`invalid config in ${file}`);
    expect(x.err.join('\n')).toMatch(/targets\[0\]\.(min|max)/);
    expect(h.requests).toHaveLength(0);
  });
});
