import { TraceError } from '@warmpool/core';
import { idCell, nonNegativeCell } from './cells.js';
import { noDataRows, readCsv, requireColumn } from './csv.js';
import type { TraceFile } from './file.js';
import { spanRule, TRACE_LIMITS } from './limits.js';
import type { Trace, TraceFunction } from './types.js';

/**
 * Azure Functions Invocation Trace 2021 (Zhang et al., SOSP 2021): one row per invocation,
 * `app,func,end_timestamp,duration`, both in seconds from the trace start, rows not in time order.
 * start = end − duration. Function id `app/func`. Times become ms from 0.
 */
export function parseAzure2021(file: TraceFile, name = file.name): Trace {
  const table = readCsv(file.text, file.name);
  const appCol = requireColumn(table, 'app');
  const funcCol = requireColumn(table, 'func');
  const endCol = requireColumn(table, 'end_timestamp');
  const durCol = requireColumn(table, 'duration');
  if (table.rows.length === 0) throw noDataRows(table, 'app', 'no invocations');
  const byId = new Map<string, { starts: number[]; durations: number[] }>();
  let endMax = 0;
  for (const row of table.rows) {
    const id = `${idCell(table, row, appCol)}/${idCell(table, row, funcCol)}`;
    const end = nonNegativeCell(table, row, endCol) * 1000;
    const dur = nonNegativeCell(table, row, durCol) * 1000;
    if (end > TRACE_LIMITS.maxSpanMs)
      throw new TraceError(file.name, row.line, 'end_timestamp', spanRule(end));
    if (dur > end)
      throw new TraceError(
        file.name,
        row.line,
        'duration',
        'duration is longer than end_timestamp (start before 0)',
      );
    let f = byId.get(id);
    if (!f) {
      f = { starts: [], durations: [] };
      byId.set(id, f);
    }
    f.starts.push(end - dur);
    f.durations.push(dur);
    if (end > endMax) endMax = end;
  }
  const functions: TraceFunction[] = [];
  for (const [id, f] of byId) {
    const order = f.starts.map((_, i) => i).sort((a, b) => (f.starts[a] as number) - (f.starts[b] as number));
    const startMs = new Float64Array(order.length);
    const durationMs = new Float64Array(order.length);
    for (const [k, i] of order.entries()) {
      startMs[k] = f.starts[i] as number;
      durationMs[k] = f.durations[i] as number;
    }
    functions.push({ id, invocations: { startMs, durationMs } });
  }
  return {
    name,
    format: 'azure2021',
    binSeconds: 60,
    startMs: 0,
    durationMs: Math.ceil(endMax / 60_000) * 60_000,
    functions,
  };
}
