import { describe, expect, it } from 'vitest';
import { windowPeaks } from '../src/backtest/run.js';
import { fixedFromPeaksPolicy, oraclePolicy, reactivePolicy } from '../src/policies/baselines.js';
import { provisionedPolicy } from '../src/policies/provisioned.js';
import type { PolicySetup } from '../src/policies/types.js';
import { SimFunction } from '../src/sim/sim-function.js';
import type { FunctionWorkload } from '../src/sim/workload.js';

const MIN = 60_000;

function workload(peaks: number[]): FunctionWorkload {
  const minutePeaks = Float64Array.from(peaks);
  return {
    id: 'f',
    memoryMb: 1024,
    mode: 'invocations',
    spanMs: peaks.length * MIN,
    meanDurationMs: 100,
    minuteCounts: minutePeaks,
    minutePeaks,
    totalInvocations: 0,
  };
}

function setup(peaks: number[], intervalMin = 5): PolicySetup {
  const w = workload(peaks);
  return {
    workload: w,
    intervalMs: intervalMin * MIN,
    idleMs: 10 * MIN,
    windowPeaks: windowPeaks(w, intervalMin * MIN),
  };
}

describe('baseline policies', () => {
  it('oracle warms the true peak of the window ahead', () => {
    const s = setup([0, 1, 0, 0, 0, 7, 2, 0, 0, 0, 0, 0, 0, 0, 3]);
    const r = oraclePolicy.create(s);
    const metrics = new SimFunction().metrics;
    expect(r.act({ nowMs: 0, metrics }).warm).toBe(1);
    expect(r.act({ nowMs: 5 * MIN, metrics }).warm).toBe(7);
    expect(r.act({ nowMs: 10 * MIN, metrics }).warm).toBe(3);
  });

  it('fixed-p50 and fixed-max size from the window peaks in hindsight, never below 1', () => {
    const s = setup([1, 0, 0, 0, 0, 4, 0, 0, 0, 0, 9, 0, 0, 0, 0]);
    const metrics = new SimFunction().metrics;
    expect(fixedFromPeaksPolicy('p50').create(s).act({ nowMs: 0, metrics }).warm).toBe(4);
    expect(fixedFromPeaksPolicy('max').create(s).act({ nowMs: 0, metrics }).warm).toBe(9);
    const quiet = setup(Array(15).fill(0));
    expect(fixedFromPeaksPolicy('p50').create(quiet).act({ nowMs: 0, metrics }).warm).toBe(1);
  });

  it('reactive warms twice the last window peak it can see, ignoring the minutes it pinged in', () => {
    const f = new SimFunction({ metricLagMs: 0 });
    for (let i = 0; i < 3; i++) f.invoke(2 * MIN, 'real', 30_000); // 3 concurrent in minute 2
    const r = reactivePolicy.create(setup(Array(20).fill(0)));
    f.advanceTo(5 * MIN);
    const first = r.act({ nowMs: 5 * MIN, metrics: f.metrics });
    expect(first.warm).toBe(6);
    f.ping(5 * MIN, 6, 500);
    f.advanceTo(10 * MIN);
    // Only its own 6 pings in the last window: it must not read them as traffic.
    expect(r.act({ nowMs: 10 * MIN, metrics: f.metrics }).warm).toBe(0);
  });
});

describe('provisioned policy', () => {
  it('scales out after three minutes above 70% and only after the allocation delay', () => {
    const f = new SimFunction({ metricLagMs: 0 });
    const r = provisionedPolicy({ allocationDelayMs: 2 * MIN }).create(setup(Array(30).fill(0)));
    const actions: { t: number; pc: number | undefined }[] = [];
    for (let m = 0; m < 12; m++) {
      const t = m * MIN;
      f.advanceTo(t);
      const a = r.act({ nowMs: t, metrics: f.metrics });
      if (a.provisioned !== undefined) {
        f.setProvisioned(t, a.provisioned);
        actions.push({ t: m, pc: a.provisioned });
      }
      for (let i = 0; i < 7; i++) f.invoke(t + 1_000, 'real', 20_000); // 7 concurrent every minute
    }
    expect(actions[0]).toEqual({ t: 0, pc: 1 });
    // Minutes 0-2 are visible at minute 3: decision at 3, effective at 5 = ceil(7 / 0.7) = 10.
    expect(actions[1]).toEqual({ t: 5, pc: 10 });
  });

  it('scales in after fifteen quiet minutes, not before, and never below 1', () => {
    const f = new SimFunction({ metricLagMs: 0 });
    const r = provisionedPolicy({ allocationDelayMs: MIN }).create(setup(Array(60).fill(0)));
    let pc = 0;
    const seen: number[] = [];
    for (let m = 0; m < 40; m++) {
      const t = m * MIN;
      f.advanceTo(t);
      const a = r.act({ nowMs: t, metrics: f.metrics });
      if (a.provisioned !== undefined) {
        pc = a.provisioned;
        f.setProvisioned(t, pc);
      }
      seen.push(pc);
      if (m < 6) for (let i = 0; i < 7; i++) f.invoke(t + 1_000, 'real', 20_000);
    }
    expect(Math.max(...seen)).toBe(10);
    expect(seen[20]).toBe(10);
    expect(seen[39]).toBe(1);
  });
});
