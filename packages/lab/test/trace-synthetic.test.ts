import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@warmpool/core';
import { parseTrace, syntheticTrace, type TraceFunction } from '@warmpool/lab';
import { describe, expect, it } from 'vitest';
import { parseAzure2021 } from '../src/trace/azure2021.js';
import { estimatePeakConcurrency } from '../src/trace/estimate-peak.js';
import { SYNTHETIC_SHAPES } from '../src/trace/synthetic.js';

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('syntheticTrace', () => {
  const base = { seed: 7, functions: 3, minutes: 240, shape: 'steady', level: 40 } as const;

  it('gives the same trace for the same seed, and a different one for another seed', () => {
    for (const shape of Object.values(SYNTHETIC_SHAPES)) {
      const a = syntheticTrace({ ...base, shape });
      expect(syntheticTrace({ ...base, shape })).toEqual(a);
      expect(syntheticTrace({ ...base, shape, seed: 8 }).functions.map((f) => f.counts)).not.toEqual(
        a.functions.map((f) => f.counts),
      );
    }
  });

  it('draws counts around the level: function i at level / i', () => {
    const t = syntheticTrace(base);
    expect(t.functions.map((f) => f.id)).toEqual(['fn-1', 'fn-2', 'fn-3']);
    const [f1, , f3] = t.functions.map((f) => mean(f.counts ?? []));
    expect(f1).toBeGreaterThan(36);
    expect(f1).toBeLessThan(44);
    expect(f3).toBeGreaterThan(11);
    expect(f3).toBeLessThan(15.7);
    for (const f of t.functions) {
      expect(f.counts).toHaveLength(240);
      expect(f.durations?.p50).toBeGreaterThan(0);
      expect(f.memoryMb).toBeGreaterThanOrEqual(128);
    }
  });

  it('shapes the rate: step doubles up, diurnal peaks at noon, bursty has rare bursts', () => {
    const step = syntheticTrace({ ...base, functions: 1, shape: 'step' }).functions[0]?.counts ?? [];
    expect(mean(step.slice(120))).toBeGreaterThan(5 * mean(step.slice(0, 120)));
    const day = syntheticTrace({ ...base, functions: 1, minutes: 1440, binSeconds: 300, shape: 'diurnal' });
    const counts = day.functions[0]?.counts ?? [];
    expect(day.binSeconds).toBe(300);
    expect(counts).toHaveLength(288);
    expect(mean(counts.slice(132, 156))).toBeGreaterThan(4 * mean(counts.slice(0, 12)));
    const bursty =
      syntheticTrace({ ...base, functions: 1, minutes: 1440, shape: 'bursty' }).functions[0]?.counts ?? [];
    const high = bursty.filter((c) => c > 100).length;
    expect(high).toBeGreaterThan(0);
    expect(high).toBeLessThan(bursty.length / 4);
  });

  it('rejects bad options naming the field', () => {
    expect(() => syntheticTrace({ ...base, functions: 0 })).toThrow(ValidationError);
    expect(() => syntheticTrace({ ...base, binSeconds: 7 })).toThrow(/binSeconds/);
    expect(() => syntheticTrace({ ...base, shape: 'wavy' as 'steady' })).toThrow(/shape/);
    expect(() => syntheticTrace({ ...base, level: -1 })).toThrow(/level/);
  });
});

describe('estimatePeakConcurrency (peak per-bin count × mean duration / bin seconds)', () => {
  it('uses the trace average, else p50, else the default duration', () => {
    const counts = [3, 120, 40];
    const f = (durations?: TraceFunction['durations']): TraceFunction => ({ id: 'f', counts, durations });
    expect(estimatePeakConcurrency(f({ p50: 100, average: 1500 }), 60, 9)).toBeCloseTo(3, 9);
    expect(estimatePeakConcurrency(f({ p50: 500 }), 60, 9)).toBeCloseTo(1, 9);
    expect(estimatePeakConcurrency(f(), 60, 2000)).toBeCloseTo(4, 9);
    expect(estimatePeakConcurrency(f(), 300, 2000)).toBeCloseTo(0.8, 9);
  });

  it('bins per-invocation functions and uses their own mean duration', () => {
    const fn: TraceFunction = {
      id: 'i',
      invocations: {
        startMs: Float64Array.from([0, 1000, 61_000]),
        durationMs: Float64Array.from([3000, 6000, 9000]),
      },
    };
    // Busiest 60 s bin has 2 starts; mean duration 6 s: 2 × 6 / 60.
    expect(estimatePeakConcurrency(fn, 60, 1)).toBeCloseTo(0.2, 9);
    const sample = parseAzure2021({
      name: 's.csv',
      text: readFileSync(
        fileURLToPath(
          new URL('../../cli/data/traces/azure2021-sample/invocations_sample.csv', import.meta.url),
        ),
        'utf8',
      ),
    });
    expect(sample.functions.every((f) => estimatePeakConcurrency(f, 60, 1) >= 0)).toBe(true);
  });

  it('on the bundled Azure 2019 day, 32 functions reach 2 or more and 11 reach 10 or more (the README figures)', () => {
    const dir = new URL('../../cli/data/traces/azure2019-dev/', import.meta.url);
    const files = ['invocations_per_function.csv', 'function_durations_percentiles.csv'].map((name) => ({
      name,
      text: readFileSync(fileURLToPath(new URL(name, dir)), 'utf8'),
    }));
    const trace = parseTrace({ files });
    const est = trace.functions.map((f) => estimatePeakConcurrency(f, trace.binSeconds, 1000));
    expect(est.filter((x) => x >= 2)).toHaveLength(32);
    expect(est.filter((x) => x >= 10)).toHaveLength(11);
  });
});
