import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  detectTraceFormat,
  exactPeakConcurrency,
  parseAzure2019,
  parseAzure2021,
  parseBinsLong,
  parseBinsWide,
  parseTrace,
  TRACE_FILE_KINDS,
  type Trace,
  TraceError,
  type TraceFunction,
} from '@warmpool/core';
import { describe, expect, it } from 'vitest';

const fixture = (rel: string) => ({
  name: rel.split('/').pop() as string,
  text: readFileSync(fileURLToPath(new URL(`./fixtures/traces/${rel}`, import.meta.url)), 'utf8'),
});
const bundled = (rel: string) => ({
  name: rel.split('/').pop() as string,
  text: readFileSync(fileURLToPath(new URL(`../../../data/traces/${rel}`, import.meta.url)), 'utf8'),
});

/** The TraceError a parse throws, for asserting its file, line, column and message. */
function traceError(parse: () => unknown): TraceError {
  try {
    parse();
  } catch (e) {
    if (e instanceof TraceError) return e;
    throw e;
  }
  throw new Error('expected a TraceError, parsed without one');
}

const fn = (trace: Trace, id: string): TraceFunction => {
  const f = trace.functions.find((x) => x.id === id);
  if (!f) throw new Error(`no function ${id} in ${trace.functions.map((x) => x.id).join(', ')}`);
  return f;
};

const ORIGINAL = {
  invocations: fixture('azure2019-original/invocations_per_function_md.anon.d01.csv'),
  durations: fixture('azure2019-original/function_durations_percentiles.anon.d01.csv'),
  memory: fixture('azure2019-original/app_memory_percentiles.anon.d01.csv'),
};

describe('Azure 2019, the original layout (HashOwner,HashApp,HashFunction,Trigger,1..N)', () => {
  const trace = parseAzure2019(ORIGINAL);

  it('reads counts per minute by header name, Trigger ignored', () => {
    expect(trace.format).toBe('azure2019');
    expect(trace.binSeconds).toBe(60);
    expect(trace.durationMs).toBe(5 * 60_000);
    expect(fn(trace, 'o1/a1/f1').counts).toEqual([0, 3, 0, 12, 1]);
    expect(fn(trace, 'o2/a2/f1').counts).toEqual([5, 5, 5, 5, 5]);
  });

  it('keys a HashFunction that repeats across apps by owner/app/function, and joins durations on the full key', () => {
    expect(trace.functions.map((f) => f.id)).toEqual(['o1/a1/f1', 'o1/a1/f2', 'o2/a2/f1']);
    expect(fn(trace, 'o1/a1/f1').durations).toMatchObject({ p50: 100, average: 120, p99: 800, p0: 10 });
    expect(fn(trace, 'o2/a2/f1').durations).toMatchObject({ p50: 29000, average: 30000 });
  });

  it('joins memory by HashApp, the median allocation rounded up to a Lambda size of at least 128 MB', () => {
    expect(fn(trace, 'o1/a1/f1').memoryMb).toBe(128); // pct50 88 MB
    expect(fn(trace, 'o2/a2/f1').memoryMb).toBe(301); // pct50 300.4 MB
  });

  it('works without the optional durations and memory files', () => {
    const bare = parseAzure2019({ invocations: ORIGINAL.invocations });
    expect(bare.functions).toHaveLength(3);
    expect(bare.functions.every((f) => f.durations === undefined && f.memoryMb === undefined)).toBe(true);
  });

  it('is the same trace whatever the column order', () => {
    const reordered = ORIGINAL.invocations.text
      .trim()
      .split('\n')
      .map((line) => {
        const [owner, app, f, trigger, ...minutes] = line.split(',');
        // The header's minute names become minute_N, the other layout's spelling.
        const mins = minutes.map((m) => (line.startsWith('HashOwner') ? `minute_${m}` : m));
        return [f, ...mins.reverse(), trigger, app, owner].join(',');
      })
      .join('\n');
    const again = parseAzure2019({ ...ORIGINAL, invocations: { name: 'r.csv', text: reordered } });
    expect(again.functions.map((f) => [f.id, f.counts, f.durations, f.memoryMb])).toEqual(
      trace.functions.map((f) => [f.id, f.counts, f.durations, f.memoryMb]),
    );
  });
});

describe('Azure 2019, the bundled dev day (HashFunction,HashOwner,HashApp,minute_1..minute_1440)', () => {
  const trace = parseTrace({
    files: [
      bundled('azure2019-dev/invocations_per_function.csv'),
      bundled('azure2019-dev/function_durations_percentiles.csv'),
      bundled('azure2019-dev/app_memory_percentiles.csv'),
    ],
  });

  it('holds 674 functions, 1,440 minutes and 439,367 invocations, as the README says', () => {
    expect(trace.functions).toHaveLength(674);
    expect(trace.durationMs).toBe(1440 * 60_000);
    let total = 0;
    for (const f of trace.functions) {
      expect(f.counts).toHaveLength(1440);
      for (const c of f.counts ?? []) total += c;
    }
    expect(total).toBe(439_367);
  });

  it('joins durations and memory for every function', () => {
    expect(trace.functions.every((f) => f.durations !== undefined && (f.memoryMb ?? 0) >= 128)).toBe(true);
    const first = trace.functions[0] as TraceFunction;
    expect(first.id).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('Azure 2021 per-invocation (app,func,end_timestamp,duration)', () => {
  const sample = bundled('azure2021-sample/invocations_sample.csv');
  const trace = parseAzure2021(sample);

  it('reads 998 invocations of 49 functions, sorted by start = end − duration, in ms', () => {
    expect(trace.format).toBe('azure2021');
    expect(trace.functions).toHaveLength(49);
    let n = 0;
    for (const f of trace.functions) {
      const inv = f.invocations;
      if (!inv) throw new Error('no invocations');
      n += inv.startMs.length;
      for (let i = 1; i < inv.startMs.length; i++)
        expect(inv.startMs[i] as number).toBeGreaterThanOrEqual(inv.startMs[i - 1] as number);
    }
    expect(n).toBe(998);
    const [, first] = sample.text.split('\n');
    const [app, func, end, dur] = (first as string).split(',');
    const f = fn(trace, `${app}/${func}`);
    const inv = f.invocations as { startMs: Float64Array; durationMs: Float64Array };
    const k = inv.durationMs.indexOf(Number(dur) * 1000);
    expect(k).toBeGreaterThanOrEqual(0);
    expect(inv.startMs[k]).toBeCloseTo((Number(end) - Number(dur)) * 1000, 6);
  });

  it('has an exact peak concurrency of 16 (the README figure), from the sweep line', () => {
    const peaks = trace.functions.map((f) => exactPeakConcurrency(f) as number);
    expect(Math.max(...peaks)).toBe(16);
  });

  it('sweeps overlaps exactly: back-to-back invocations do not overlap, nested ones do', () => {
    const inv = (pairs: [number, number][]): TraceFunction => ({
      id: 'x',
      invocations: {
        startMs: Float64Array.from(pairs.map((p) => p[0])),
        durationMs: Float64Array.from(pairs.map((p) => p[1])),
      },
    });
    expect(
      exactPeakConcurrency(
        inv([
          [0, 10],
          [10, 10],
          [20, 10],
        ]),
      ),
    ).toBe(1);
    expect(
      exactPeakConcurrency(
        inv([
          [0, 100],
          [10, 10],
          [15, 10],
          [50, 1],
        ]),
      ),
    ).toBe(3);
    expect(exactPeakConcurrency({ id: 'binned', counts: [1, 2] })).toBeUndefined();
  });

  it('rejects a duration longer than end_timestamp, naming the line and column', () => {
    const e = traceError(() =>
      parseAzure2021({ name: 'inv.csv', text: 'app,func,end_timestamp,duration\na,f,5,1\na,f,2,3\n' }),
    );
    expect([e.file, e.line, e.column]).toEqual(['inv.csv', 3, 'duration']);
  });
});

describe('count bins, long (timestamp,function,count)', () => {
  it('infers the bin width from the smallest gap, fills missing bins with 0, accepts any row order', () => {
    const t = parseBinsLong(fixture('long-cloudwatch.csv'));
    expect(t.binSeconds).toBe(60);
    expect(t.startMs).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(t.durationMs).toBe(4 * 60_000);
    expect(fn(t, 'api').counts).toEqual([4, 0, 7, 0]);
    expect(fn(t, 'worker').counts).toEqual([1, 0, 0, 2]);
  });

  it('reads epoch seconds and epoch ms alike', () => {
    const secs = parseBinsLong({
      name: 's.csv',
      text: 'timestamp,function,count\n1000,a,1\n1300,a,2\n1900,a,3\n',
    });
    const ms = parseBinsLong({
      name: 'ms.csv',
      text: 'timestamp,function,count\n1700000000000,a,1\n1700000300000,a,2\n1700000900000,a,3\n',
    });
    expect([secs.binSeconds, secs.startMs, fn(secs, 'a').counts]).toEqual([300, 1_000_000, [1, 2, 0, 3]]);
    expect([ms.binSeconds, fn(ms, 'a').counts]).toEqual([300, [1, 2, 0, 3]]);
  });

  it('names the line of a timestamp off the grid, a repeated row and a bad count', () => {
    const head = 'timestamp,function,count\n';
    const off = traceError(() => parseBinsLong({ name: 'l.csv', text: `${head}0,a,1\n60,a,1\n150,a,1\n` }));
    expect([off.file, off.line, off.column]).toEqual(['l.csv', 4, 'timestamp']);
    expect(off.message).toMatch(/not on the 60 s grid/);
    const twice = traceError(() => parseBinsLong({ name: 'l.csv', text: `${head}0,a,1\n60,a,1\n0,a,2\n` }));
    expect([twice.line, twice.column]).toEqual([4, 'timestamp']);
    const bad = traceError(() => parseBinsLong({ name: 'l.csv', text: `${head}0,a,1\n60,a,-3\n` }));
    expect([bad.line, bad.column]).toEqual([3, 'count']);
    const when = traceError(() => parseBinsLong({ name: 'l.csv', text: `${head}yesterday,a,1\n` }));
    expect([when.line, when.column]).toEqual([2, 'timestamp']);
    const same = traceError(() => parseBinsLong({ name: 'l.csv', text: `${head}0,a,1\n0,b,1\n` }));
    expect(same.message).toMatch(/cannot infer the bin width/);
  });
});

describe('count bins, wide (date plus one column per function)', () => {
  it('reads the Huawei shape: 5-minute bins, one function per column, zone-less dates as UTC', () => {
    const t = parseBinsWide(fixture('wide-5min.csv'));
    expect(t.format).toBe('bins-wide');
    expect(t.binSeconds).toBe(300);
    expect(t.startMs).toBe(Date.parse('2016-07-01T00:00:00Z'));
    expect(t.durationMs).toBe(4 * 300_000);
    expect(fn(t, 'alpha---app1---pool1').counts).toEqual([10, 12, 30, 8]);
    expect(fn(t, 'beta---app2---pool2').counts).toEqual([0, 1, 0, 2]);
  });

  it('names the line where the bins stop being regular', () => {
    const text =
      'date,f\n2016-07-01 00:00:00,1\n2016-07-01 00:05:00,1\n2016-07-01 00:10:00,1\n2016-07-01 00:20:00,1\n';
    const e = traceError(() => parseBinsWide({ name: 'w.csv', text }));
    expect([e.file, e.line, e.column]).toEqual(['w.csv', 5, 'date']);
    expect(e.message).toMatch(/irregular bins: 600 s .* 300 s/);
  });

  it('rejects rows out of time order, a negative count and a file with no function column', () => {
    const back = traceError(() =>
      parseBinsWide({ name: 'w.csv', text: 'date,f\n2016-07-01 00:05:00,1\n2016-07-01 00:00:00,1\n' }),
    );
    expect([back.line, back.column]).toEqual([3, 'date']);
    const neg = traceError(() =>
      parseBinsWide({ name: 'w.csv', text: 'date,f,g\n2016-07-01 00:00:00,1,2\n2016-07-01 00:05:00,1,-2\n' }),
    );
    expect([neg.line, neg.column]).toEqual([3, 'g']);
    const none = traceError(() => parseBinsWide({ name: 'w.csv', text: 'date\n2016-07-01 00:00:00\n' }));
    expect(none.message).toMatch(/no function columns/);
  });
});

describe('errors name the file, line and column', () => {
  const head = `HashFunction,HashOwner,HashApp,${Array.from({ length: 42 }, (_, i) => `minute_${i + 1}`).join(',')}`;
  const row = (cells: string[]) => `f,o,a,${cells.join(',')}`;
  const zeros = Array.from({ length: 42 }, () => '0');

  it('a bad count: invocations.csv:3: column minute_42', () => {
    const bad = [...zeros.slice(0, 41), 'x'];
    const e = traceError(() =>
      parseAzure2019({
        invocations: {
          name: 'invocations.csv',
          text: `${head}\n${row(zeros).replace('f,', 'g,')}\n${row(bad)}\n`,
        },
      }),
    );
    expect(e.message).toBe('invocations.csv:3: column minute_42: expected a non-negative integer, got "x"');
    expect([e.file, e.line, e.column]).toEqual(['invocations.csv', 3, 'minute_42']);
  });

  it('a missing required column is named', () => {
    const e = traceError(() =>
      parseAzure2019({ invocations: { name: 'inv.csv', text: 'HashFunction,HashApp,minute_1\nf,a,1\n' } }),
    );
    expect([e.line, e.column]).toEqual([1, 'HashOwner']);
    const d = traceError(() => parseAzure2021({ name: 'x.csv', text: 'app,func,end_timestamp\na,f,1\n' }));
    expect(d.column).toBe('duration');
  });

  it('a ragged row names its line; an empty file and a header with no rows are errors', () => {
    const ragged = traceError(() =>
      parseAzure2021({ name: 'x.csv', text: 'app,func,end_timestamp,duration\na,f,1,0.5\na,f,2\n' }),
    );
    expect([ragged.line, ragged.column]).toEqual([3, 'duration']);
    expect(ragged.message).toMatch(/row has 3 fields, the header has 4/);
    expect(traceError(() => parseTrace({ files: [{ name: 'e.csv', text: '' }] })).message).toMatch(
      /e\.csv:1: .*empty/,
    );
    expect(traceError(() => parseTrace({ files: [{ name: 'e.csv', text: '\n  \n' }] })).message).toMatch(
      /empty/,
    );
    const noFns = traceError(() => parseAzure2019({ invocations: { name: 'h.csv', text: `${head}\n` } }));
    expect(noFns.message).toMatch(/no functions/);
  });

  it('a minute column missing from the middle is an error, not a silent shift', () => {
    const e = traceError(() =>
      parseAzure2019({
        invocations: { name: 'g.csv', text: 'HashFunction,HashOwner,HashApp,minute_1,minute_3\nf,o,a,1,2\n' },
      }),
    );
    expect([e.line, e.column]).toEqual([1, 'minute_3']);
  });

  it('simple quoted fields are read; an unterminated quote is an error', () => {
    const t = parseBinsLong({ name: 'q.csv', text: 'timestamp,function,count\n0,"a,b",1\n60,"a,b",2\n' });
    expect(fn(t, 'a,b').counts).toEqual([1, 2]);
    const e = traceError(() => parseBinsLong({ name: 'q.csv', text: 'timestamp,function,count\n0,"a,1\n' }));
    expect([e.file, e.line]).toEqual(['q.csv', 2]);
  });
});

describe('format detection and the parseTrace front door', () => {
  it('tells each format from its header names, in any order', () => {
    expect(detectTraceFormat('HashFunction,HashOwner,HashApp,minute_1,minute_2')).toBe(
      TRACE_FILE_KINDS.azure2019Invocations,
    );
    expect(detectTraceFormat('HashOwner,HashApp,HashFunction,Trigger,1,2,3\r\n')).toBe(
      TRACE_FILE_KINDS.azure2019Invocations,
    );
    expect(detectTraceFormat(ORIGINAL.durations.text)).toBe(TRACE_FILE_KINDS.azure2019Durations);
    expect(detectTraceFormat(ORIGINAL.memory.text)).toBe(TRACE_FILE_KINDS.azure2019Memory);
    expect(detectTraceFormat('duration,end_timestamp,func,app')).toBe(TRACE_FILE_KINDS.azure2021);
    expect(detectTraceFormat('count,function,timestamp')).toBe(TRACE_FILE_KINDS.binsLong);
    expect(detectTraceFormat('\uFEFFdate,fn-a,fn-b')).toBe(TRACE_FILE_KINDS.binsWide);
    expect(detectTraceFormat('a,b,c')).toBeUndefined();
  });

  it('routes files to the parser their header names, and the Azure 2019 side files to their invocations', () => {
    const t = parseTrace({
      files: [ORIGINAL.memory, ORIGINAL.durations, ORIGINAL.invocations],
      name: 'orig',
    });
    expect([t.name, t.format]).toEqual(['orig', 'azure2019']);
    expect(fn(t, 'o1/a1/f1').memoryMb).toBe(128);
    expect(parseTrace({ files: [fixture('wide-5min.csv')] }).format).toBe('bins-wide');
    expect(parseTrace({ files: [fixture('long-cloudwatch.csv')], attribution: 'mine' }).attribution).toBe(
      'mine',
    );
  });

  it('rejects an unknown header, side files alone and two data files at once', () => {
    expect(
      traceError(() => parseTrace({ files: [{ name: 'u.csv', text: 'a,b,c\n1,2,3\n' }] })).message,
    ).toMatch(/u\.csv:1: .*unrecognised header/);
    expect(traceError(() => parseTrace({ files: [ORIGINAL.durations] })).message).toMatch(
      /need the invocations file/,
    );
    expect(
      traceError(() => parseTrace({ files: [fixture('wide-5min.csv'), fixture('long-cloudwatch.csv')] }))
        .message,
    ).toMatch(/more than one data file/);
  });
});
