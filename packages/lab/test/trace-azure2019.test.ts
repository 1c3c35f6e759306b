import { readFileSync } from 'node:fs';
import { TraceError } from '@warmpool/core';
import { parseTrace } from '@warmpool/lab';
import { describe, expect, it } from 'vitest';
import { parseAzure2019 } from '../src/trace/azure2019.js';

const fixture = (name: string) => ({
  name,
  text: readFileSync(new URL(`./fixtures/trace/azure2019-original/${name}`, import.meta.url), 'utf8'),
});
const ORIGINAL = {
  invocations: fixture('invocations_per_function_md.anon.d01.csv'),
  durations: fixture('function_durations_percentiles.anon.d01.csv'),
  memory: fixture('app_memory_percentiles.anon.d01.csv'),
};

/** The vHive InVitro layout: HashFunction first, minute_N columns. */
function sampleLayout(rows: string[], minutes = 3): string {
  const cols = Array.from({ length: minutes }, (_, i) => `minute_${i + 1}`);
  return [`HashFunction,HashOwner,HashApp,${cols.join(',')}`, ...rows].join('\n');
}

function traceError(fn: () => unknown): TraceError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TraceError) return e;
    throw e;
  }
  throw new Error('expected a TraceError');
}

describe('Azure 2019 loader', () => {
  it('reads the original layout (HashOwner,HashApp,HashFunction,Trigger,1..N) by header name', () => {
    const t = parseAzure2019(ORIGINAL);
    expect(t).toMatchObject({ format: 'azure2019', binSeconds: 60, startMs: 0, durationMs: 5 * 60_000 });
    // f1 appears under two apps, so ids become owner/app/function.
    expect(t.functions.map((f) => f.id)).toEqual(['o1/a1/f1', 'o1/a1/f2', 'o2/a2/f1']);
    expect(t.functions[0]?.counts).toEqual([3, 0, 7, 1, 0]);
    expect(t.functions[2]?.counts).toEqual([0, 0, 0, 12, 2]);
  });

  it('joins durations by owner+app+function and memory by app, rounded up to a Lambda size >= 128 MB', () => {
    const [f1, f2, other] = parseAzure2019(ORIGINAL).functions;
    expect(f1?.durations).toEqual({
      p0: 10,
      p1: 12,
      p25: 60,
      p50: 100,
      p75: 150,
      p99: 380,
      p100: 400,
      average: 120,
    });
    expect(other?.durations?.p50).toBe(4900);
    expect(f2?.durations).toBeUndefined(); // no row in the durations file
    expect(f1?.memoryMb).toBe(128); // p50 88 MB → Lambda's minimum
    expect(other?.memoryMb).toBe(300); // p50 299.2 MB → 300
  });

  it('reads the shared-copy layout (HashFunction first, minute_N) and keeps HashFunction as the id', () => {
    const t = parseAzure2019({
      invocations: { name: 'inv.csv', text: sampleLayout(['h1,h1,h1,1,2,3', 'h2,h2,h2,0,0,5']) },
    });
    expect(t.functions.map((f) => [f.id, f.counts])).toEqual([
      ['h1', [1, 2, 3]],
      ['h2', [0, 0, 5]],
    ]);
    expect(t.functions[0]?.durations).toBeUndefined();
    expect(t.functions[0]?.memoryMb).toBeUndefined();
  });

  it('orders minute columns by number, whatever their position', () => {
    const text = 'minute_2,HashApp,minute_1,HashOwner,HashFunction\n20,a,10,o,f\n';
    expect(parseAzure2019({ invocations: { name: 'x.csv', text } }).functions[0]?.counts).toEqual([10, 20]);
  });

  it('names file, line and column for a bad count', () => {
    const e = traceError(() =>
      parseAzure2019({
        invocations: { name: 'invocations.csv', text: sampleLayout(['h1,h1,h1,1,2,3', 'h2,h2,h2,0,x,5']) },
      }),
    );
    expect(e.message).toBe('invocations.csv:3: column minute_2: expected a non-negative integer, got "x"');
    expect([e.file, e.line, e.column]).toEqual(['invocations.csv', 3, 'minute_2']);
    expect(
      traceError(() =>
        parseAzure2019({ invocations: { name: 'i.csv', text: sampleLayout(['h1,h1,h1,1,-2,3']) } }),
      ).message,
    ).toContain('got "-2"');
  });

  it('rejects a missing required column, a gap in the minutes, ragged rows, no rows, an empty file', () => {
    const bad = (text: string) =>
      traceError(() => parseAzure2019({ invocations: { name: 'i.csv', text } })).message;
    expect(bad('HashOwner,HashApp,minute_1\no,a,1')).toBe(
      'i.csv:1: column HashFunction: required column "HashFunction" is missing',
    );
    expect(bad('HashFunction,HashOwner,HashApp,minute_1,minute_3\nf,o,a,1,2')).toContain(
      'column minute_3: minute columns must run 1..N',
    );
    expect(bad(sampleLayout(['h1,h1,h1,1,2']))).toBe(
      'i.csv:2: column minute_3: row has 5 fields, the header has 6',
    );
    expect(bad(sampleLayout([]))).toContain('no functions');
    expect(bad('')).toBe('i.csv:1: column 1: file is empty (no header line)');
    expect(bad('HashFunction,HashOwner,HashApp\nf,o,a')).toContain('no minute columns');
  });

  it('names the durations file when it is bad', () => {
    const e = traceError(() =>
      parseAzure2019({
        invocations: { name: 'i.csv', text: sampleLayout(['h1,h1,h1,1,2,3']) },
        durations: { name: 'durations.csv', text: 'HashFunction,Average,percentile_Average_50\nh1,12,abc\n' },
      }),
    );
    expect(e.message).toBe(
      'durations.csv:2: column percentile_Average_50: expected a non-negative number, got "abc"',
    );
  });

  it('parses the bundled dev day: 674 functions, 439,367 invocations, every one with durations and memory', () => {
    const dir = new URL('../../cli/data/traces/azure2019-dev/', import.meta.url);
    const files = [
      'invocations_per_function.csv',
      'function_durations_percentiles.csv',
      'app_memory_percentiles.csv',
    ].map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') }));
    const t = parseTrace({ files });
    expect(t.functions).toHaveLength(674);
    let total = 0;
    for (const f of t.functions) for (const c of f.counts ?? []) total += c;
    expect(total).toBe(439_367);
    expect(
      t.functions.every((f) => f.counts?.length === 1440 && f.durations && (f.memoryMb ?? 0) >= 128),
    ).toBe(true);
  });
});
