import { readFileSync } from 'node:fs';
import { TraceError } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { parseAzure2021 } from '../src/trace/azure2021.js';
import { exactPeakConcurrency } from '../src/trace/concurrency.js';

const SAMPLE = {
  name: 'invocations_sample.csv',
  text: readFileSync(
    new URL('../../cli/data/traces/azure2021-sample/invocations_sample.csv', import.meta.url),
    'utf8',
  ),
};

describe('Azure 2021 per-invocation loader', () => {
  it('derives starts (end − duration), sorts them, and keys functions by app/func', () => {
    const text = 'func,app,duration,end_timestamp\nf,a,1.5,10\nf,a,0.25,3\ng,a,2,2\n';
    const t = parseAzure2021({ name: 'x.csv', text });
    expect(t).toMatchObject({ format: 'azure2021', startMs: 0, durationMs: 60_000 });
    const f = t.functions.find((fn) => fn.id === 'a/f');
    expect([...(f?.invocations?.startMs ?? [])]).toEqual([2750, 8500]);
    expect([...(f?.invocations?.durationMs ?? [])]).toEqual([250, 1500]);
    expect(t.functions.find((fn) => fn.id === 'a/g')?.invocations?.startMs[0]).toBe(0);
  });

  it('computes exact peak concurrency by sweep line; back-to-back invocations do not overlap', () => {
    const text = 'app,func,end_timestamp,duration\na,f,2,2\na,f,4,2\na,f,3,2\na,f,3.5,0.5\n';
    // [0,2) [2,4) [1,3) [3,3.5): at most 2 at any instant.
    expect(exactPeakConcurrency(parseAzure2021({ name: 'x.csv', text }).functions[0] as never)).toBe(2);
    expect(exactPeakConcurrency({ id: 'binned', counts: [1, 2] })).toBeUndefined();
  });

  it('reads the bundled sample: 998 invocations, 49 functions, exact peak 16', () => {
    const t = parseAzure2021(SAMPLE);
    expect(t.functions).toHaveLength(49);
    expect(t.functions.reduce((s, f) => s + (f.invocations?.startMs.length ?? 0), 0)).toBe(998);
    expect(Math.max(...t.functions.map((f) => exactPeakConcurrency(f) ?? 0))).toBe(16);
    for (const f of t.functions) {
      const s = f.invocations?.startMs ?? new Float64Array();
      for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThanOrEqual(s[i - 1] as number);
    }
  });

  it('names file, line and column for bad rows', () => {
    const bad = (text: string) => {
      try {
        parseAzure2021({ name: 'inv.csv', text });
      } catch (e) {
        if (e instanceof TraceError) return e.message;
        throw e;
      }
      throw new Error('expected a TraceError');
    };
    expect(bad('app,func,end_timestamp,duration\na,f,1,0.5\na,f,soon,1\n')).toBe(
      'inv.csv:3: column end_timestamp: expected a non-negative number, got "soon"',
    );
    expect(bad('app,func,end_timestamp,duration\na,f,1,2\n')).toContain('inv.csv:2: column duration:');
    expect(bad('app,func,end_timestamp\na,f,1\n')).toContain('required column "duration" is missing');
    expect(bad('app,func,end_timestamp,duration\n')).toContain('no invocations');
  });
});
