import { readFileSync } from 'node:fs';
import { ValidationError } from '@warmpool/core';
import { parseTrace, selectFunctions } from '@warmpool/lab';
import { describe, expect, it } from 'vitest';
import { estimatePeakConcurrency } from '../src/trace/estimate-peak.js';

describe('estimatePeakConcurrency (peak per-bin count × mean duration / bin width)', () => {
  it('uses the Average, else the p50, else the default duration', () => {
    expect(
      estimatePeakConcurrency(
        { id: 'a', counts: [3, 120, 7], durations: { p50: 100, average: 1500 } },
        60,
        1,
      ),
    ).toBe(3);
    expect(estimatePeakConcurrency({ id: 'b', counts: [120], durations: { p50: 500 } }, 60, 1)).toBe(1);
    expect(estimatePeakConcurrency({ id: 'c', counts: [600] }, 300, 1000)).toBe(2);
  });

  it('bins per-invocation arrivals and uses their own mean duration', () => {
    const fn = {
      id: 'i',
      invocations: {
        startMs: Float64Array.from([0, 100, 200, 70_000]),
        durationMs: Float64Array.from([6000, 6000, 6000, 2000]),
      },
    };
    expect(estimatePeakConcurrency(fn, 60, 1)).toBeCloseTo((3 * 5000) / 60_000);
  });

  it('on the bundled Azure 2019 day: 32 functions reach 2 or more, 11 reach 10 or more (as the README says)', () => {
    const dir = new URL('../../cli/data/traces/azure2019-dev/', import.meta.url);
    const files = ['invocations_per_function.csv', 'function_durations_percentiles.csv'].map((name) => ({
      name,
      text: readFileSync(new URL(name, dir), 'utf8'),
    }));
    const t = parseTrace({ files });
    const peaks = t.functions.map((f) => estimatePeakConcurrency(f, t.binSeconds, 1000));
    expect(peaks.filter((p) => p >= 2)).toHaveLength(32);
    expect(peaks.filter((p) => p >= 10)).toHaveLength(11);
  });
});

describe('selectFunctions on a parsed trace', () => {
  const trace = parseTrace({
    files: [{ name: 'l.csv', text: 'timestamp,function,count\n0,small,1\n0,big,90\n60,mid,30\n' }],
  });

  it('picks all, the top N, or named ids', () => {
    expect(selectFunctions(trace, 'all').map((s) => s.fn.id)).toEqual(['small', 'big', 'mid']);
    expect(selectFunctions(trace, { top: 2 }).map((s) => s.fn.id)).toEqual(['big', 'mid']);
    expect(selectFunctions(trace, ['mid', 'small']).map((s) => s.fn.id)).toEqual(['mid', 'small']);
  });

  it('names an unknown id', () => {
    expect(() => selectFunctions(trace, ['nope'])).toThrow(ValidationError);
    expect(() => selectFunctions(trace, ['nope'])).toThrow(/unknown id nope/);
  });
});
