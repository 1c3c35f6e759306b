import { readFileSync } from 'node:fs';
import { detectTraceFormat, parseTrace, readCsv, splitCsvLine, TRACE_FILE_KINDS } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
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
