import { TraceError } from '@warmpool/core';
import { cell, countCell, idCell, nonNegativeCell } from './cells.js';
import { type CsvTable, columnIndex, noDataRows, readCsv, requireColumn, requireOneOf } from './csv.js';
import type { TraceFile } from './file.js';
import { lambdaMemoryMb } from './memory.js';
import type { DurationPercentiles, Trace, TraceFunction } from './types.js';

/**
 * Azure Functions Trace 2019 (Shahrad et al., USENIX ATC 2020): invocations per function per minute, plus
 * optional execution-time percentiles per function and memory percentiles per app. Two layouts of the
 * invocations file are accepted, by header name:
 *   - original: `HashOwner,HashApp,HashFunction,Trigger,1,2,…,1440`
 *   - the vHive InVitro sample: `HashFunction,HashOwner,HashApp,minute_1,…,minute_1440`
 */
export interface Azure2019Files {
  readonly invocations: TraceFile;
  readonly durations?: TraceFile | undefined;
  readonly memory?: TraceFile | undefined;
}

const MINUTE_COLUMN = /^(?:minute_)?(\d+)$/;

/** Duration file columns → DurationPercentiles fields. */
const PERCENTILE_COLUMNS = {
  p0: 'percentile_Average_0',
  p1: 'percentile_Average_1',
  p25: 'percentile_Average_25',
  p50: 'percentile_Average_50',
  p75: 'percentile_Average_75',
  p99: 'percentile_Average_99',
  p100: 'percentile_Average_100',
  average: 'Average',
} as const;

/** The minute columns in time order; they must be exactly 1..N (a gap would shift every later minute). */
function minuteColumns(table: CsvTable): number[] {
  const found: { minute: number; col: number }[] = [];
  for (const [col, name] of table.header.entries()) {
    const m = MINUTE_COLUMN.exec(name);
    if (m) found.push({ minute: Number(m[1]), col });
  }
  if (found.length === 0)
    throw new TraceError(
      table.file,
      table.headerLine,
      'minute_1',
      'no minute columns (expected minute_1..minute_N or 1..N)',
    );
  found.sort((a, b) => a.minute - b.minute);
  for (const [i, f] of found.entries()) {
    if (f.minute !== i + 1)
      throw new TraceError(
        table.file,
        table.headerLine,
        table.header[f.col] as string,
        `minute columns must run 1..N without gaps; expected minute ${i + 1}`,
      );
  }
  return found.map((f) => f.col);
}

const key = (owner: string, app: string, fn: string) => `${owner}\u0000${app}\u0000${fn}`;

interface Keyed<T> {
  readonly byFunction: Map<string, T>;
  readonly byFull: Map<string, T>;
}

function readDurations(file: TraceFile): Keyed<DurationPercentiles> {
  const table = readCsv(file.text, file.name);
  const fnCol = requireColumn(table, 'HashFunction');
  const ownerCol = columnIndex(table, 'HashOwner');
  const appCol = columnIndex(table, 'HashApp');
  requireOneOf(table, [PERCENTILE_COLUMNS.p50, PERCENTILE_COLUMNS.average]);
  const cols = Object.entries(PERCENTILE_COLUMNS)
    .map(([field, name]) => ({ field, col: columnIndex(table, name) }))
    .filter((c) => c.col >= 0);
  const out: Keyed<DurationPercentiles> = { byFunction: new Map(), byFull: new Map() };
  for (const row of table.rows) {
    const fn = idCell(table, row, fnCol);
    const p: Record<string, number> = {};
    for (const { field, col } of cols) p[field] = nonNegativeCell(table, row, col);
    const durations = { ...p, p50: p.p50 ?? (p.average as number) } as DurationPercentiles;
    out.byFunction.set(fn, durations);
    if (ownerCol >= 0 && appCol >= 0)
      out.byFull.set(key(cell(row, ownerCol), cell(row, appCol), fn), durations);
  }
  return out;
}

function readMemory(file: TraceFile): Map<string, number> {
  const table = readCsv(file.text, file.name);
  const appCol = requireColumn(table, 'HashApp');
  const mbCol = requireOneOf(table, ['AverageAllocatedMb_pct50', 'AverageAllocatedMb']);
  const out = new Map<string, number>();
  for (const row of table.rows)
    out.set(idCell(table, row, appCol), lambdaMemoryMb(nonNegativeCell(table, row, mbCol)));
  return out;
}

/** Parses the Azure 2019 files into a Trace: 60 s bins from 0, durations and memory joined where given. */
export function parseAzure2019(files: Azure2019Files, name = files.invocations.name): Trace {
  const table = readCsv(files.invocations.text, files.invocations.name);
  const fnCol = requireColumn(table, 'HashFunction');
  const ownerCol = requireColumn(table, 'HashOwner');
  const appCol = requireColumn(table, 'HashApp');
  const minutes = minuteColumns(table);
  if (table.rows.length === 0) throw noDataRows(table, 'HashFunction', 'no functions');
  const durations = files.durations ? readDurations(files.durations) : undefined;
  const memory = files.memory ? readMemory(files.memory) : undefined;

  const rows = table.rows.map((row) => ({
    row,
    owner: idCell(table, row, ownerCol),
    app: idCell(table, row, appCol),
    fn: idCell(table, row, fnCol),
  }));
  // HashFunction is the id; where it repeats (the original trace keys functions by owner+app+function),
  // every id becomes owner/app/function so ids stay unique and stable.
  const seen = new Set<string>();
  let unique = true;
  for (const r of rows) {
    if (seen.has(r.fn)) unique = false;
    seen.add(r.fn);
  }
  const ids = new Set<string>();
  const functions: TraceFunction[] = rows.map(({ row, owner, app, fn }) => {
    const id = unique ? fn : `${owner}/${app}/${fn}`;
    if (ids.has(id))
      throw new TraceError(table.file, row.line, 'HashFunction', `function ${id} appears twice`);
    ids.add(id);
    const counts = new Array<number>(minutes.length);
    for (let m = 0; m < minutes.length; m++) counts[m] = countCell(table, row, minutes[m] as number);
    return {
      id,
      counts,
      durations: durations?.byFull.get(key(owner, app, fn)) ?? durations?.byFunction.get(fn),
      memoryMb: memory?.get(app),
    };
  });
  return {
    name,
    format: 'azure2019',
    binSeconds: 60,
    startMs: 0,
    durationMs: minutes.length * 60_000,
    functions,
  };
}
