import { readFileSync } from 'node:fs';
import { parseTrace } from '@warmpool/lab';
import { describe, expect, it } from 'vitest';
import { parseAzure2019 } from '../src/trace/azure2019.js';
import { parseBinsLong } from '../src/trace/bins-long.js';
import { parseBinsWide } from '../src/trace/bins-wide.js';
import { readCsv, splitCsvLine } from '../src/trace/csv.js';
import { detectTraceFormat, TRACE_FILE_KINDS } from '../src/trace/detect.js';
import { message } from './trace-error-message.js';

describe('CSV splitting', () => {
  it('splits plain and simply-quoted fields', () => {
    expect(splitCsvLine('a,b,,c', 'f', 1)).toEqual(['a', 'b', '', 'c']);
    expect(splitCsvLine('"a,b",c,"say ""hi""",', 'f', 1)).toEqual(['a,b', 'c', 'say "hi"', '']);
    expect(message(() => splitCsvLine('a,"b', 'f.csv', 7))).toBe(
      'f.csv:7: column 2: unterminated quoted field',
    );
  });

  it('handles CRLF, a BOM and blank lines, keeping real line numbers', () => {
    const t = readCsv('\uFEFFx,y\r\n1,2\r\n\r\n3,4\r\n', 'f.csv');
    expect(t.header).toEqual(['x', 'y']);
    expect(t.rows.map((r) => [r.line, ...r.fields])).toEqual([
      [2, '1', '2'],
      [4, '3', '4'],
    ]);
  });

  it('rejects a repeated or empty header name', () => {
    expect(message(() => readCsv('a,b,a\n', 'f.csv'))).toBe(
      'f.csv:1: column a: column name appears twice in the header',
    );
    expect(message(() => readCsv('a,,b\n', 'f.csv'))).toBe(
      'f.csv:1: column 2: header has an empty column name',
    );
  });
});

describe('detectTraceFormat', () => {
  it.each([
    ['HashFunction,HashOwner,HashApp,minute_1,minute_2', TRACE_FILE_KINDS.azure2019Invocations],
    ['HashOwner,HashApp,HashFunction,Trigger,1,2,3', TRACE_FILE_KINDS.azure2019Invocations],
    [
      'HashOwner,HashApp,HashFunction,Average,Count,percentile_Average_50',
      TRACE_FILE_KINDS.azure2019Durations,
    ],
    [
      'HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct50',
      TRACE_FILE_KINDS.azure2019Memory,
    ],
    ['app,func,end_timestamp,duration', TRACE_FILE_KINDS.azure2021],
    ['timestamp,function,count\r', TRACE_FILE_KINDS.binsLong],
    ['date,f1---a---p,f2---a---p', TRACE_FILE_KINDS.binsWide],
    ['name,age', undefined],
  ])('%s → %s', (header, kind) => {
    expect(detectTraceFormat(header)).toBe(kind);
  });
});

describe('parseTrace', () => {
  const original = (name: string) => ({
    name,
    text: readFileSync(new URL(`./fixtures/trace/azure2019-original/${name}`, import.meta.url), 'utf8'),
  });

  it('combines the Azure 2019 files in any order and carries the name and attribution', () => {
    const t = parseTrace({
      files: [
        original('app_memory_percentiles.anon.d01.csv'),
        original('function_durations_percentiles.anon.d01.csv'),
        original('invocations_per_function_md.anon.d01.csv'),
      ],
      name: 'day1',
      attribution: 'CC-BY 4.0',
    });
    expect([t.name, t.format, t.attribution, t.functions.length]).toEqual([
      'day1',
      'azure2019',
      'CC-BY 4.0',
      3,
    ]);
    expect(t.functions[0]?.memoryMb).toBe(128);
  });

  it('dispatches every single-file format by header', () => {
    const one = (text: string) => parseTrace({ files: [{ name: 'x.csv', text }] }).format;
    expect(one('app,func,end_timestamp,duration\na,f,2,1\n')).toBe('azure2021');
    expect(one('timestamp,function,count\n0,f,1\n60,f,2\n')).toBe('bins-long');
    expect(one('date,f\n2020-01-01 00:00,1\n2020-01-01 00:05,2\n')).toBe('bins-wide');
  });

  it('explains unrecognised, empty, orphaned and doubled files', () => {
    expect(
      message(() => parseTrace({ files: [{ name: 'people.csv', text: 'name,age\nbo,3\n' }] })),
    ).toContain('people.csv:1: column 1: unrecognised header');
    expect(message(() => parseTrace({ files: [{ name: 'e.csv', text: '' }] }))).toBe(
      'e.csv:1: column 1: file is empty (no header line)',
    );
    expect(
      message(() => parseTrace({ files: [original('function_durations_percentiles.anon.d01.csv')] })),
    ).toContain('need the invocations file');
    const inv = original('invocations_per_function_md.anon.d01.csv');
    expect(message(() => parseTrace({ files: [inv, { ...inv, name: 'again.csv' }] }))).toContain(
      'again.csv:1',
    );
    expect(
      message(() =>
        parseTrace({ files: [inv, { name: 'b.csv', text: 'app,func,end_timestamp,duration\na,f,1,1\n' }] }),
      ),
    ).toContain('more than one data file');
    expect(message(() => parseTrace({ files: [] }))).toContain('no trace files');
  });
});

describe('trace error locations', () => {
  // A header-only file has no line 2: the error names the header's line, and says the rows are missing.
  it.each([
    ['HashFunction,HashOwner,HashApp,minute_1,minute_2\n', 'h.csv:1: column HashFunction: no functions'],
    ['app,func,end_timestamp,duration\n', 'h.csv:1: column app: no invocations'],
    ['timestamp,function,count\n', 'h.csv:1: column function: no functions'],
    ['date,f1,f2\r\n', 'h.csv:1: column date: no time bins'],
  ])('a header-only file (%j) names line 1, not a line past the end', (text, where) => {
    expect(message(() => parseTrace({ files: [{ name: 'h.csv', text }] }))).toBe(
      `${where} (no data rows after the header)`,
    );
  });

  it('names the header line where blank lines come before it', () => {
    expect(readCsv('\n\nx,y\n1,2\n', 'f.csv').headerLine).toBe(3);
    expect(message(() => parseBinsLong({ name: 'l.csv', text: '\n\ntimestamp,function,count\n' }))).toBe(
      'l.csv:3: column function: no functions (no data rows after the header)',
    );
    expect(message(() => parseBinsLong({ name: 'l.csv', text: '\ntimestamp,function\n' }))).toBe(
      'l.csv:2: column count: required column "count" is missing',
    );
    expect(message(() => parseBinsWide({ name: 'w.csv', text: '\ndate\n' }))).toBe(
      'w.csv:2: column 2: no function columns after the time column',
    );
    expect(
      message(() =>
        parseAzure2019({ invocations: { name: 'i.csv', text: '\nHashFunction,HashOwner,HashApp\n' } }),
      ),
    ).toBe('i.csv:2: column minute_1: no minute columns (expected minute_1..minute_N or 1..N)');
  });

  it('points a same-timestamp bin-width error at the first data row', () => {
    const text = 'timestamp,function,count\n\n0,f,1\n0,g,1\n';
    expect(message(() => parseBinsLong({ name: 'l.csv', text }))).toBe(
      'l.csv:3: column timestamp: cannot infer the bin width: every row has the same timestamp',
    );
  });
});
