import { TraceError } from '@warmpool/core';
import { binCountCell, idCell } from './cells.js';
import { type CsvRow, noDataRows, readCsv, requireColumn } from './csv.js';
import type { TraceFile } from './file.js';
import { spanRule, TRACE_LIMITS } from './limits.js';
import { parseTimestampMs } from './timestamps.js';
import type { Trace, TraceFunction } from './types.js';

/**
 * Counts per time bin, long: `timestamp,function,count`, one row per function and bin, in any order; what a
 * user exports from CloudWatch (Invocations, Sum, per period). Timestamps are ISO or epoch s/ms. The bin width
 * is the smallest positive gap between distinct timestamps; every timestamp must sit on that grid. Bins a
 * function has no row for count 0. A repeated (timestamp, function) row is an error rather than summed.
 */
export function parseBinsLong(file: TraceFile, name = file.name): Trace {
  const table = readCsv(file.text, file.name);
  const tCol = requireColumn(table, 'timestamp');
  const fCol = requireColumn(table, 'function');
  const cCol = requireColumn(table, 'count');
  if (table.rows.length === 0) throw noDataRows(table, 'function', 'no functions');
  const times = new Float64Array(table.rows.length);
  for (const [i, row] of table.rows.entries()) {
    const t = parseTimestampMs(row.fields[tCol] ?? '');
    if (!Number.isFinite(t))
      throw new TraceError(
        file.name,
        row.line,
        'timestamp',
        `expected an ISO date-time or epoch seconds/ms, got ${JSON.stringify(row.fields[tCol] ?? '')}`,
      );
    times[i] = t;
  }
  const sorted = Float64Array.from(times).sort();
  const startMs = sorted[0] as number;
  const lastMs = sorted[sorted.length - 1] as number;
  let binMs = Number.POSITIVE_INFINITY;
  for (let i = 1; i < sorted.length; i++) {
    const gap = (sorted[i] as number) - (sorted[i - 1] as number);
    if (gap > 0 && gap < binMs) binMs = gap;
  }
  if (!Number.isFinite(binMs))
    throw new TraceError(
      file.name,
      (table.rows[0] as CsvRow).line,
      'timestamp',
      'cannot infer the bin width: every row has the same timestamp',
    );
  // Bound the span before sizing arrays by it: a 1e11 s span made `new Array(bins)` throw a RangeError.
  if (lastMs - startMs + binMs > TRACE_LIMITS.maxSpanMs) {
    const at = table.rows[times.indexOf(lastMs)] as CsvRow;
    throw new TraceError(file.name, at.line, 'timestamp', spanRule(lastMs - startMs + binMs));
  }
  const bins = Math.round((lastMs - startMs) / binMs) + 1;
  const byId = new Map<string, number[]>();
  for (const [i, row] of table.rows.entries()) {
    const offset = ((times[i] as number) - startMs) / binMs;
    const bin = Math.round(offset);
    if (Math.abs(offset - bin) > 1e-6)
      throw new TraceError(
        file.name,
        row.line,
        'timestamp',
        `timestamp is not on the ${binMs / 1000} s grid that starts at ${new Date(startMs).toISOString()}`,
      );
    const id = idCell(table, row, fCol);
    let counts = byId.get(id);
    if (!counts) {
      if ((byId.size + 1) * bins > TRACE_LIMITS.maxCells)
        throw new TraceError(
          file.name,
          row.line,
          'function',
          `${byId.size + 1} functions x ${bins} bins of ${binMs / 1000} s exceed ${TRACE_LIMITS.maxCells} cells: use wider bins, a shorter span or fewer functions`,
        );
      counts = new Array<number>(bins).fill(-1);
      byId.set(id, counts);
    }
    if ((counts[bin] as number) >= 0)
      throw new TraceError(
        file.name,
        row.line,
        'timestamp',
        `a second row for function ${id} at this timestamp`,
      );
    counts[bin] = binCountCell(table, row, cCol);
  }
  const functions: TraceFunction[] = [];
  for (const [id, counts] of byId) {
    for (let b = 0; b < counts.length; b++) if ((counts[b] as number) < 0) counts[b] = 0;
    functions.push({ id, counts });
  }
  return {
    name,
    format: 'bins-long',
    binSeconds: binMs / 1000,
    startMs,
    durationMs: bins * binMs,
    functions,
  };
}
