import { type Decision, decide, parseConfig, pickHold, type TargetConfig } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import type { FanOutResult } from '../src/fanout/types.js';
import type { DecisionRecord } from '../src/ports/decision-store.js';
import { toPastDecisions } from '../src/tick/past-decisions.js';
import { T0 } from './fixtures.js';

const MIN = 60_000;

function record(atMs: number, count: number, dispatchSpreadMs: number | null): DecisionRecord {
  const decision = { decidedAtMs: atMs, count } as Decision;
  return {
    target: 'api:live',
    windowStartMs: atMs,
    decision,
    outcome: {
      status: 'warmed',
      completedAtMs: atMs + 1_000,
      fanOut: {
        sent: count,
        succeeded: count,
        distinctContainers: count,
        dispatchSpreadMs,
      } as FanOutResult,
    },
  } as DecisionRecord;
}

describe('toPastDecisions', () => {
  it("carries each round's measured dispatch spread, so decide() picks the next hold from it", () => {
    const records = [
      record(T0 - 5 * MIN, 21, 100),
      record(T0 - 10 * MIN, 21, 100),
      record(T0 - 15 * MIN, 21, null),
    ];
    const past = toPastDecisions(records);
    expect(past.map((p) => p.dispatchSpreadMs)).toEqual([100, 100, undefined]);
    const target = parseConfig({ targets: [{ functionName: 'api', qualifier: 'live' }] })
      .targets[0] as TargetConfig;
    const values = Array.from({ length: 360 }, () => 10);
    const d = decide(
      { target, tickIntervalSeconds: 300 },
      {
        concurrency: { startMs: T0 - 360 * MIN, values },
        coldStarts: { startMs: T0 - 360 * MIN, values: values.map(() => 0) },
        pastDecisions: past,
        capacity: { reservedConcurrency: null, unreservedConcurrency: null },
      },
      null,
      T0,
    );
    // 21 answers over 100 ms: 200 pings/s measured.
    expect(d.hold?.source).toBe('measured');
    expect(d.hold?.holdMs).toBe(pickHold(d.count, 200).holdMs);
  });
});

describe('toPastDecisions and scale-down stabilization', () => {
  it('carries the raw count of decisions that made a forecast, and nothing for the others', () => {
    const withForecast = {
      ...record(T0 - 5 * MIN, 4, null),
      decision: {
        decidedAtMs: T0 - 5 * MIN,
        count: 4,
        rawCount: 7,
        forecast: { candidates: [{}] },
      } as unknown as Decision,
    };
    const kept = {
      ...record(T0 - 10 * MIN, 4, null),
      decision: {
        decidedAtMs: T0 - 10 * MIN,
        count: 4,
        rawCount: 4,
        forecast: { candidates: [] },
      } as unknown as Decision,
    };
    const partial = record(T0 - 15 * MIN, 4, null); // an odd record without a forecast: holds nothing, throws nothing
    expect(toPastDecisions([withForecast, kept, partial]).map((p) => p.rawCount)).toEqual([
      7,
      undefined,
      undefined,
    ]);
  });
});
