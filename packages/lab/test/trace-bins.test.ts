import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBinsLong } from '../src/trace/bins-long.js';
import { parseBinsWide } from '../src/trace/bins-wide.js';
import { parseTimestampMs } from '../src/trace/timestamps.js';
import { message } from './trace-error-message.js';

const fixture = (name: string) => ({
  name,
  text: readFileSync(new URL(`./fixtures/trace/${name}`, import.meta.url), 'utf8'),
});

describe('timestamps', () => {
  it('reads ISO (zone-less as UTC), epoch seconds and epoch ms', () => {
    const t = Date.UTC(2016, 6, 1, 0, 5);
    expect(parseTimestampMs('2016-07-01 00:05:00')).toBe(t);
    expect(parseTimestampMs('2016-07-01T00:05:00Z')).toBe(t);
    expect(parseTimestampMs('2016-07-01T02:05:00+02:00')).toBe(t);
    expect(parseTimestampMs(String(t / 1000))).toBe(t);
    expect(parseTimestampMs(String(t))).toBe(t);
    expect(parseTimestampMs('yesterday')).toBeNaN();
  });
});

describe('wide count bins (the Huawei shape)', () => {
  it('infers 5-minute bins and reads one function per column, fractional counts allowed', () => {
    const t = parseBinsWide(fixture('wide-5min.csv'));
    expect(t).toMatchObject({
      format: 'bins-wide',
      binSeconds: 300,
      startMs: Date.UTC(2016, 6, 1),
      durationMs: 4 * 300_000,
    });
    expect(t.functions.map((f) => f.id)).toEqual([
      'alpha---app1---pool1',
      'beta---app2---pool2',
      'gamma---app3---pool3',
    ]);
    expect(t.functions[0]?.counts).toEqual([10, 12, 30, 8]);
  });

  it('names the line where the bins stop being regular', () => {
    const text =
      'date,a\n2016-07-01 00:00:00,1\n2016-07-01 00:05:00,1\n2016-07-01 00:10:00,1\n2016-07-01 00:20:00,1\n';
    expect(message(() => parseBinsWide({ name: 'w.csv', text }))).toBe(
      'w.csv:5: column date: irregular bins: 600 s after the previous row, the bin width is 300 s',
    );
  });

  it('rejects time going backwards, bad counts, one row, no function columns', () => {
    expect(
      message(() =>
        parseBinsWide({ name: 'w.csv', text: 'date,a\n2016-07-01 00:05:00,1\n2016-07-01 00:00:00,1\n' }),
      ),
    ).toContain('w.csv:3: column date: rows must be in increasing time order');
    expect(
      message(() =>
        parseBinsWide({ name: 'w.csv', text: 'date,a\n2016-07-01 00:00:00,1\n2016-07-01 00:05:00,-1\n' }),
      ),
    ).toBe('w.csv:3: column a: expected a non-negative number, got "-1"');
    expect(
      message(() => parseBinsWide({ name: 'w.csv', text: 'date,a\n2016-07-01 00:00:00,1\n' })),
    ).toContain('one row');
    expect(message(() => parseBinsWide({ name: 'w.csv', text: 'date\n2016-07-01 00:00:00\n' }))).toContain(
      'no function columns',
    );
  });
});

describe('long count bins (timestamp,function,count)', () => {
  it('infers the bin from the smallest gap, fills missing bins with 0, accepts rows in any order', () => {
    const t = parseBinsLong(fixture('long-1min.csv'));
    expect(t).toMatchObject({
      format: 'bins-long',
      binSeconds: 60,
      startMs: Date.UTC(2024, 4, 1, 10),
      durationMs: 4 * 60_000,
    });
    expect(Object.fromEntries(t.functions.map((f) => [f.id, f.counts]))).toEqual({
      orders: [1, 0, 4, 0],
      billing: [9, 0, 0, 2],
    });
  });

  it('accepts epoch seconds and any bin width', () => {
    const text = 'count,function,timestamp\n5,f,1700000000\n7,f,1700000010\n';
    const t = parseBinsLong({ name: 'l.csv', text });
    expect([t.binSeconds, t.startMs, t.functions[0]?.counts]).toEqual([10, 1_700_000_000_000, [5, 7]]);
  });

  it('names the line of an off-grid timestamp, a duplicate row, a bad count or timestamp', () => {
    const head = 'timestamp,function,count\n';
    expect(message(() => parseBinsLong({ name: 'l.csv', text: `${head}0,f,1\n60,f,1\n100,f,1\n` }))).toBe(
      'l.csv:3: column timestamp: timestamp is not on the 40 s grid that starts at 1970-01-01T00:00:00.000Z',
    );
    expect(message(() => parseBinsLong({ name: 'l.csv', text: `${head}0,f,1\n60,f,1\n60,f,2\n` }))).toBe(
      'l.csv:4: column timestamp: a second row for function f at this timestamp',
    );
    expect(message(() => parseBinsLong({ name: 'l.csv', text: `${head}0,f,1\n60,f,many\n` }))).toContain(
      'l.csv:3: column count: expected a non-negative number, got "many"',
    );
    expect(message(() => parseBinsLong({ name: 'l.csv', text: `${head}later,f,1\n` }))).toContain(
      'l.csv:2: column timestamp',
    );
    expect(message(() => parseBinsLong({ name: 'l.csv', text: `${head}0,f,1\n0,g,1\n` }))).toContain(
      'cannot infer the bin width',
    );
  });
});
