import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DecisionRecord } from '@warmpool/controller';
import { describe, expect, it } from 'vitest';
import { FakeDecisionStore } from '../../controller/test/fakes/decision-store-fake.js';
import { fullRound, io, T0 } from '../../controller/test/fixtures.js';
import { decisionsCommand } from '../src/cli/commands/decisions.js';
import { main } from '../src/cli/main.js';

const W = 300_000;

function rec(
  i: number,
  count: number,
  peak: number,
  actualPeak: number | null,
  cold: number,
): DecisionRecord {
  const windowStartMs = T0 + i * W;
  return {
    target: 'api:live',
    windowStartMs,
    tickId: `t${i}`,
    recordedAtMs: windowStartMs,
    expiresAt: windowStartMs / 1000 + 86_400,
    decision: {
      target: 'api:live',
      functionName: 'api',
      qualifier: 'live',
      windowStartMs,
      windowEndMs: windowStartMs + W,
      decidedAtMs: windowStartMs,
      forecast: {
        peak,
        model: 'holt',
        score: 1,
        candidates: [
          { model: 'peak-quantile', score: 2 },
          { model: 'holt', score: 1 },
        ],
        why: 'x',
        horizonMinutes: 5,
      },
      headroom: 1.25,
      rawCount: count,
      bounds: { min: 0, max: 50 },
      boundedCount: count,
      budget: { source: 'reserved', share: 0.2, limit: null },
      count,
      dryRun: false,
      reasons: [{ code: 'model-chosen', message: 'x' }],
      state: {
        version: 1,
        headroom: 1.25,
        updatedForWindowMs: windowStartMs,
        quietWindows: 0,
        lastCount: count,
      },
    },
    degraded: i === 2 ? ['metrics unavailable (Throttling)'] : [],
    outcome: {
      status: i === 2 ? 'short' : 'warmed',
      fanOut: fullRound({ id: 'api:live', qualifier: 'live' }, count, { distinctContainers: count - 1 }),
      completedAtMs: windowStartMs + 1000,
    },
    // the tick of window i observed window i-1
    observed: {
      windowStartMs: windowStartMs - W,
      peakConcurrency: actualPeak,
      // the newest record carries the real-traffic peak (pings masked); older ones predate it
      ...(i === 2 ? { realPeak: (actualPeak ?? 0) - 1 } : {}),
      coldStarts: cold,
      reportedMinutes: 3,
    },
  };
}

async function seeded() {
  const store = new FakeDecisionStore();
  await store.putDecision(rec(0, 3, 2, null, 0));
  await store.putDecision(rec(1, 6, 4.5, 2, 1));
  await store.putDecision(rec(2, 9, 7, 5, 4));
  return store;
}

describe('warmpool decisions', () => {
  it('prints the table newest first with the next tick’s actuals, and a chart', async () => {
    const store = await seeded();
    const x = io();
    const code = await decisionsCommand({ store, now: () => T0 + 3 * W })(
      ['--target', 'api:live', '--since', '1h'],
      x.io,
    );
    expect(code).toBe(0);
    const text = x.out.join('\n');
    const lines = text.split('\n');
    expect(lines[2]).toMatch(
      /^window \(UTC\)\s+forecast\s+model\s+headroom\s+decided\s+reached\s+cold starts\s+reasons$/,
    );
    expect(lines[3]).toMatch(
      /^2026-01-01 12:10\s+7\.0\s+holt\s+1\.25\s+9\s+8 short\s+-\s+model-chosen \[degraded: metrics unavailable/,
    );
    // window 12:05's cold starts (4) were observed by the 12:10 tick
    expect(lines[4]).toMatch(/^2026-01-01 12:05\s+4\.5\s+holt\s+1\.25\s+6\s+5\s+4\s+model-chosen$/);
    expect(text).toMatch(/forecast [▁-█]{3}\nactual {3}[▁-█·]{3}\nwarm {5}[▁-█]{3}/);
  });

  it('shows a kept decision (read deferred) without a forecast: "-" in the table, a gap in the chart', async () => {
    const store = await seeded();
    const kept = rec(3, 9, 0, 7, 0);
    await store.putDecision({
      ...kept,
      decision: {
        ...kept.decision,
        forecast: {
          ...kept.decision.forecast,
          peak: 0,
          candidates: [],
          why: 'read deferred: no forecast made',
        },
        reasons: [{ code: 'read-deferred', message: 'x' }],
      },
    });
    const x = io();
    await decisionsCommand({ store, now: () => T0 + 4 * W })(['--target', 'api:live', '--since', '1h'], x.io);
    const text = x.out.join('\n');
    expect(text.split('\n')[3]).toMatch(/^2026-01-01 12:15\s+-\s+-\s+1\.25\s+9\s+8\s+-\s+read-deferred$/);
    // oldest on the left: three forecasts, then the gap of the kept decision
    expect(text).toMatch(/forecast [▁-█]{3}·\n/);
  });

  it('--json prints the records with their actuals', async () => {
    const store = await seeded();
    const x = io();
    await decisionsCommand({ store, now: () => T0 + 3 * W })(
      ['--target=api:live', '--json', '--since', '2026-01-01T12:05:00Z'],
      x.io,
    );
    const doc = JSON.parse(x.out.join('')) as {
      target: string;
      decisions: (DecisionRecord & { actual: unknown })[];
    };
    expect(doc.target).toBe('api:live');
    expect(doc.decisions.map((d) => d.windowStartMs)).toEqual([T0 + 2 * W, T0 + W]);
    expect(doc.decisions[1]?.actual).toEqual({ peakConcurrency: 5, realPeak: 4, coldStarts: 4 });
  });

  it('falls back to the raw peak for records written before the real-traffic peak was recorded', async () => {
    const store = await seeded();
    const x = io();
    await decisionsCommand({ store, now: () => T0 + 3 * W })(
      ['--target=api:live', '--json', '--since', '2026-01-01T12:00:00Z'],
      x.io,
    );
    const doc = JSON.parse(x.out.join('')) as { decisions: { actual: unknown }[] };
    expect(doc.decisions[2]?.actual).toEqual({ peakConcurrency: 2, realPeak: 2, coldStarts: 1 });
  });

  it('pages through the store up to --limit', async () => {
    const store = new FakeDecisionStore();
    for (let i = 0; i < 130; i++) await store.putDecision(rec(i, 2, 1, 1, 0));
    const x = io();
    await decisionsCommand({ store, now: () => T0 + 200 * W })(
      ['--target', 'api:live', '--since', '2d', '--limit', '120', '--json'],
      x.io,
    );
    expect((JSON.parse(x.out.join('')) as { decisions: unknown[] }).decisions).toHaveLength(120);
  });

  it.each([
    [['--since', '6h'], /--target: is required/],
    [['--target', 'api'], /--target: must be NAME:QUALIFIER/],
    [['--target', 'api:live', '--since', 'yesterday'], /--since: must be a duration/],
    [['--target', 'api:live', '--limit', '0'], /--limit: must be a whole number > 0/],
    [['--target', 'api:live', '--bogus'], /--bogus: is not a flag of warmpool decisions/],
    [['--target'], /--target: needs a value/],
    [['--target', 'api:live', '--endpoint-url', 'nope'], /--endpoint-url: must be a URL/],
    [['--target', 'bad name!:live'], /--target: must be NAME:QUALIFIER: a function name \(1 to 64/],
    [['--target', 'api:not ok'], /--target: must be NAME:QUALIFIER/],
    [['--target', 'api:live', '--since', '0m'], /--since: must reach back more than 0/],
    [['--target', 'api:live', '--since', '2099-01-01T00:00:00Z'], /--since: must be a time in the past/],
    [
      ['--target', 'api:live', '--endpoint-url', 'lambda=http://127.0.0.1:1'],
      /--endpoint-url: .*SERVICE one of dynamodb \(got 'lambda=/,
    ],
    [
      ['--target', 'api:live', '--region', 'bad region!'],
      /--region: must be an AWS region such as us-east-1/,
    ],
    [['--target', 'api:live', '--demo', '--table', 't'], /--table: cannot be combined with --demo/],
  ])('flag errors name the flag and the rule: %j', async (args, message) => {
    const x = io();
    const code = await decisionsCommand({ store: new FakeDecisionStore(), now: () => T0 })(args, x.io);
    expect(code).toBe(2);
    expect(x.err.join('\n')).toMatch(message);
  });

  it('requires a table when none is configured, through main()', async () => {
    const x = io();
    const saved = process.env.WARMPOOL_TABLE;
    delete process.env.WARMPOOL_TABLE;
    try {
      expect(await main(['decisions', '--target', 'api:live'], x.io)).toBe(2);
    } finally {
      if (saved !== undefined) process.env.WARMPOOL_TABLE = saved;
    }
    expect(x.err.join('\n')).toMatch(/--table: is required/);
  });

  it('-h prints the usage', async () => {
    const x = io();
    expect(await decisionsCommand({ store: new FakeDecisionStore() })(['-h'], x.io)).toBe(0);
    expect(x.out.join('')).toMatch(/^usage: warmpool decisions/);
  });

  it('--demo before any demo ran says to run it, and creates nothing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'warmpool-no-demo-'));
    const demoDir = join(root, '.warmpool', 'demo');
    try {
      const x = io();
      expect(await decisionsCommand({ demoDir })(['--target', 'api:live', '--demo'], x.io)).toBe(1);
      expect(x.err.join('')).toMatch(
        /no demo decisions in .*\.warmpool\/demo: run `pnpm warmpool demo` first/,
      );
      expect(existsSync(join(root, '.warmpool'))).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('says so when the store cannot be read', async () => {
    const store = new FakeDecisionStore();
    store.failNext('listDecisions', new Error('ECONNREFUSED'));
    const x = io();
    expect(await decisionsCommand({ store })(['--target', 'api:live'], x.io)).toBe(1);
    expect(x.err.join('')).toMatch(/could not read the store: Error: ECONNREFUSED/);
  });
});
