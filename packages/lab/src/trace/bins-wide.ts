import { TraceError } from '@warmpool/core';
import { binCountCell } from './cells.js';
import { noDataRows, readCsv, requireOneOf } from './csv.js';
import type { TraceFile } from './file.js';
import { spanRule, TRACE_LIMITS } from './limits.js';
import { parseTimestampMs } from './timestamps.js';
import type { Trace, TraceFunction } from './types.js';

/** Accepted names of the time column of a wide file. */
export const WIDE_TIME_COLUMNS = ['date', 'timestamp', 'time'] as const;

/**
 * Counts per time bin, wide: a time column (`date`) and one column of counts per function, one row per bin,
 * rows in time order (the Huawei Cloud shape, 5-minute bins). The bin width is the first gap; every later gap
 * must equal it (an error names the line where it breaks). Counts may be fractional (`17.0`) but not negative.
 */
export function parseBinsWide(file: TraceFile, name = file.name): Trace {
  const table = readCsv(file.text, file.name);
  const tCol = requireOneOf(table, WIDE_TIME_COLUMNS);
  const fnCols = table.header.map((_, i) => i).filter((i) => i !== tCol);
  if (fnCols.length === 0)
    throw new TraceError(file.name, table.headerLine, 2, 'no function columns after the time column');
  if (table.rows.length === 0) throw noDataRows(table, table.header[tCol] as string, 'no time bins');
  const timeName = table.header[tCol] as string;
  const counts = fnCols.map(() => new Array<number>(table.rows.length));
  let startMs = 0;
  let prevMs = 0;
  let binMs = 0;
  for (const [r, row] of table.rows.entries()) {
    const t = parseTimestampMs(row.fields[tCol] ?? '');
    if (!Number.isFinite(t))
      throw new TraceError(
        file.name,
        row.line,
        timeName,
        `expected an ISO date-time or epoch seconds/ms, got ${JSON.stringify(row.fields[tCol] ?? '')}`,
      );
    if (r === 0) startMs = t;
    else {
      const gap = t - prevMs;
      if (r === 1) {
        if (gap <= 0)
          throw new TraceError(file.name, row.line, timeName, 'rows must be in increasing time order');
        binMs = gap;
      } else if (gap !== binMs)
        throw new TraceError(
          file.name,
          row.line,
          timeName,
          `irregular bins: ${gap / 1000} s after the previous row, the bin width is ${binMs / 1000} s`,
        );
    }
    prevMs = t;
    if (r > 0 && t - startMs + binMs > TRACE_LIMITS.maxSpanMs)
      throw new TraceError(file.name, row.line, timeName, spanRule(t - startMs + binMs));
    for (const [k, col] of fnCols.entries()) (counts[k] as number[])[r] = binCountCell(table, row, col);
  }
  if (table.rows.length === 1)
    throw new TraceError(
      file.name,
      table.rows[0]?.line ?? 2,
      timeName,
      'cannot infer the bin width from one row',
    );
  const functions: TraceFunction[] = fnCols.map((col, k) => ({
    id: table.header[col] as string,
    counts: counts[k] as number[],
  }));
  return {
    name,
    format: 'bins-wide',
    binSeconds: binMs / 1000,
    startMs,
    durationMs: table.rows.length * binMs,
    functions,
  };
}
