import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBacktestCommand } from '../src/cli/commands/backtest.js';
import { main } from '../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'warmpool-hostile-'));

/** Runs `warmpool backtest --trace FILE` on `text` (written to disk, read by the real reader). */
async function backtest(name: string, text: string) {
  const file = join(dir, name);
  writeFileSync(file, text);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['backtest', '--trace', file], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { code, out: out.join('\n'), err: err.join('\n'), file };
}

const STACK = /\n\s+at /;

describe('tiny traces that hung or crashed the backtest (issue 11)', () => {
  it.each([
    {
      name: 'count-1e308.csv',
      text: 'timestamp,function,count\n2026-01-01T00:00:00Z,f,1e308\n2026-01-01T00:01:00Z,f,1\n',
      where: ':2: column count: ',
      rule: /a bin may hold at most 100000000 arrivals, got 1e\+308/,
    },
    {
      name: 'count-5e9-wide.csv',
      text: 'time,f\n2026-01-01T00:00:00Z,5000000000\n2026-01-01T00:01:00Z,1\n',
      where: ':2: column f: ',
      rule: /a bin may hold at most 100000000 arrivals, got 5000000000/,
    },
    {
      name: 'span-1e11s.csv',
      text: 'timestamp,function,count\n2026-01-01T00:00:00Z,f,1\n5000-01-01T00:00:00Z,f,1\n',
      where: ':3: column timestamp: ',
      rule: /the trace would span [0-9.e+]+ days; at most 63 days are replayed/,
    },
    {
      name: 'span-1e11s-wide.csv',
      text: 'time,f\n2026-01-01T00:00:00Z,1\n5000-01-01T00:00:00Z,1\n',
      where: ':3: column time: ',
      rule: /at most 63 days are replayed/,
    },
    {
      name: 'span-1e11s-2021.csv',
      text: 'app,func,end_timestamp,duration\na,f,100000000000,1\n',
      where: ':2: column end_timestamp: ',
      rule: /at most 63 days are replayed/,
    },
    {
      name: 'cells-1ms-bins.csv',
      text: 'timestamp,function,count\n1767225600000,f,1\n1767225600001,f,1\n1767312000000,f,1\n',
      where: ':2: column function: ',
      rule: /exceed 20000000 cells/,
    },
  ])('$name: exit 2, file:line: column and the rule, no stack trace', async ({ name, text, where, rule }) => {
    expect(text.length).toBeLessThan(100);
    const r = await backtest(name, text);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`warmpool backtest: ${name}${where}`);
    expect(r.err).toMatch(rule);
    expect(r.err).not.toMatch(STACK);
  });

  it('an error that is not bad input is one line too, never a stack trace', async () => {
    const err: string[] = [];
    const command = createBacktestCommand({
      readTrace: async () => {
        throw new RangeError('Invalid array length');
      },
    });
    const code = await command(['--trace', 'x.csv'], { out: () => {}, err: (t) => err.push(t) });
    expect(code).toBe(1);
    expect(err).toEqual([
      'warmpool backtest: internal error (RangeError: Invalid array length); this is a bug in warmpool, please report it with the trace',
    ]);
  });
});
