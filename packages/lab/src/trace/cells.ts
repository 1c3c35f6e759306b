import { TraceError } from '@warmpool/core';
import type { CsvRow, CsvTable } from './csv.js';
import { TRACE_LIMITS } from './limits.js';

/** The column's name for an error message (header name, or its 1-based position). */
function columnName(table: CsvTable, col: number): string | number {
  return table.header[col] ?? col + 1;
}

/** The trimmed text of a cell. */
export function cell(row: CsvRow, col: number): string {
  return (row.fields[col] ?? '').trim();
}

/**
 * A non-negative integer count, read from the characters (no Number() round trip for the common case, which
 * keeps a 1M-cell file fast). Anything else is an error naming the file, line and column.
 */
export function countCell(table: CsvTable, row: CsvRow, col: number): number {
  const s = row.fields[col] ?? '';
  const n = s.length;
  let v = 0;
  if (n > 0 && n < 16) {
    let ok = true;
    for (let i = 0; i < n; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) {
        ok = false;
        break;
      }
      v = v * 10 + d;
    }
    if (ok) return atMostMaxCount(table, row, col, v);
  }
  const t = s.trim();
  const x = t === '' ? Number.NaN : Number(t);
  if (Number.isInteger(x) && x >= 0) return atMostMaxCount(table, row, col, x);
  throw new TraceError(
    table.file,
    row.line,
    columnName(table, col),
    `expected a non-negative integer, got ${JSON.stringify(s)}`,
  );
}

/** A finite number >= 0 (counts given as floats, durations, timestamps). */
export function nonNegativeCell(table: CsvTable, row: CsvRow, col: number): number {
  const s = cell(row, col);
  const x = s === '' ? Number.NaN : Number(s);
  if (Number.isFinite(x) && x >= 0) return x;
  throw new TraceError(
    table.file,
    row.line,
    columnName(table, col),
    `expected a non-negative number, got ${JSON.stringify(row.fields[col] ?? '')}`,
  );
}

/** A count of arrivals in one bin: a finite number >= 0, at most TRACE_LIMITS.maxBinCount. */
export function binCountCell(table: CsvTable, row: CsvRow, col: number): number {
  return atMostMaxCount(table, row, col, nonNegativeCell(table, row, col));
}

function atMostMaxCount(table: CsvTable, row: CsvRow, col: number, v: number): number {
  if (v <= TRACE_LIMITS.maxBinCount) return v;
  throw new TraceError(
    table.file,
    row.line,
    columnName(table, col),
    `a bin may hold at most ${TRACE_LIMITS.maxBinCount} arrivals, got ${v}`,
  );
}

/** A non-empty text cell (an id). */
export function idCell(table: CsvTable, row: CsvRow, col: number): string {
  const s = cell(row, col);
  if (s === '')
    throw new TraceError(table.file, row.line, columnName(table, col), 'expected an id, got an empty cell');
  return s;
}
