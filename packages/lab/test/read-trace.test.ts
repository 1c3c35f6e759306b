import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TraceError, ValidationError } from '@warmpool/core';
import { readTrace } from '@warmpool/lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = (rel: string) => fileURLToPath(new URL(`../../../${rel}`, import.meta.url));

describe('readTrace', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'warmpool-read-trace-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('reads the bundled Azure 2019 folder: invocations, durations and memory joined, attribution carried', async () => {
    const t = await readTrace(repo('packages/cli/data/traces/azure2019-dev'));
    expect([t.name, t.format, t.binSeconds, t.functions.length]).toEqual([
      'azure2019-dev',
      'azure2019',
      60,
      674,
    ]);
    expect(t.functions.every((f) => f.durations !== undefined && f.memoryMb !== undefined)).toBe(true);
    expect(t.attribution).toMatch(/Shahrad/);
    expect(t.attribution).toMatch(/CC-BY 4\.0/);
  });

  it('reads a single file: the invocations CSV alone has counts but no durations', async () => {
    const t = await readTrace(repo('packages/cli/data/traces/azure2019-dev/invocations_per_function.csv'));
    expect([t.name, t.functions.length]).toEqual(['invocations_per_function.csv', 674]);
    expect(t.functions.every((f) => f.durations === undefined)).toBe(true);
  });

  it('reads the bundled Azure 2021 sample folder as per-invocation data', async () => {
    const t = await readTrace(repo('packages/cli/data/traces/azure2021-sample'));
    expect([t.format, t.functions.length]).toEqual(['azure2021', 49]);
    expect(t.attribution).toMatch(/Zhang/);
  });

  it('reads the original Azure 2019 layout folder and a wide-bins file from the lab fixtures', async () => {
    const orig = await readTrace(repo('packages/lab/test/fixtures/trace/azure2019-original'));
    expect(orig.functions.map((f) => f.id)).toEqual(['o1/a1/f1', 'o1/a1/f2', 'o2/a2/f1']);
    expect(orig.functions[0]?.memoryMb).toBe(128);
    const wide = await readTrace(repo('packages/lab/test/fixtures/trace/wide-5min.csv'));
    expect([wide.format, wide.binSeconds]).toEqual(['bins-wide', 300]);
  });

  it('ignores non-trace files in a folder, and says so when a folder holds no trace', async () => {
    const dir = join(tmp, 'mixed');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.csv'), 'a,b\n1,2\n');
    await writeFile(join(dir, 'readme.txt'), 'hello');
    await expect(readTrace(dir)).rejects.toThrow(/no trace file/);
    await writeFile(join(dir, 'bins.csv'), 'timestamp,function,count\n0,a,1\n60,a,2\n');
    const t = await readTrace(dir);
    expect(t.functions[0]?.counts).toEqual([1, 2]);
  });

  it('a missing path is a ValidationError on --trace; a bad file a TraceError naming it', async () => {
    const missing = readTrace(join(tmp, 'nope.csv'));
    await expect(missing).rejects.toThrow(ValidationError);
    await expect(readTrace(join(tmp, 'nope.csv'))).rejects.toThrow(/--trace/);
    const bad = join(tmp, 'bad.csv');
    await writeFile(bad, 'app,func,end_timestamp,duration\na,f,1,zero\n');
    const e = await readTrace(bad).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TraceError);
    expect((e as TraceError).message).toBe(
      'bad.csv:2: column duration: expected a non-negative number, got "zero"',
    );
  });
});
