import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FanOutResult, TickDeps } from '@warmpool/controller';
import { createLogger, memoryEmitter } from '@warmpool/controller';
import { FakeClock, REASON_CODES, type TargetConfig } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { FakeDecisionStore } from '../../controller/test/fakes/decision-store-fake.js';
import { FakeMetricsSource } from '../../controller/test/fakes/metrics-source-fake.js';
import { fullRound, io, T0 } from '../../controller/test/fixtures.js';
import { tickCommand } from '../src/cli/commands/tick.js';

function configFile(json: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'warmpool-tick-')), 'warmpool.json');
  writeFileSync(file, JSON.stringify(json));
  return file;
}

function run(schedules: unknown[]) {
  const store = new FakeDecisionStore();
  const warmed: number[] = [];
  const build = (req: { sink: Parameters<typeof createLogger>[0] }): TickDeps => ({
    metrics: new FakeMetricsSource(),
    store,
    clock: new FakeClock(T0),
    log: createLogger(req.sink),
    emf: memoryEmitter(),
    warm: async (t: TargetConfig, count: number): Promise<FanOutResult> => {
      warmed.push(count);
      return fullRound(t, count);
    },
  });
  const config = { targets: [{ functionName: 'api', qualifier: 'live', schedules }] };
  const x = io();
  return {
    done: tickCommand({ buildDeps: build, env: { WARMPOOL_TABLE: 't' } })(
      ['--config', configFile(config)],
      x.io,
    ),
    store,
    warmed,
    x,
  };
}

describe('warmpool tick reads schedules from the config file', () => {
  it('warms the scheduled min while a known event holds, and records why', async () => {
    const started = new Date(T0 - 60_000).toISOString();
    const r = run([{ expression: 'rate(1 day)', start: started, duration: '30m', min: 7 }]);
    expect(await r.done).toBe(0);
    expect(r.warmed).toEqual([7]);
    const decision = r.store.all('api:live')[0]?.decision;
    expect(decision?.reasons.map((x) => x.code)).toContain(REASON_CODES.scheduledMin);
  });

  it('exits 2 naming the file, the field and the rule for a bad schedule', async () => {
    const r = run([{ expression: 'rate(1 fortnight)', duration: '30m', min: 7 }]);
    expect(await r.done).toBe(2);
    expect(r.x.err.join('\n')).toMatch(
      /warmpool\.json[\s\S]*targets\[0\]\.schedules\[0\]\.expression: rate unit must be minutes, hours or days/,
    );
    expect(r.warmed).toEqual([]);
  });
});
