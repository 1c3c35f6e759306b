import { WIDE_TIME_COLUMNS } from './bins-wide.js';
import { splitCsvLine } from './csv.js';

/** What a trace file holds, told from its header line. */
export const TRACE_FILE_KINDS = {
  azure2019Invocations: 'azure2019-invocations',
  azure2019Durations: 'azure2019-durations',
  azure2019Memory: 'azure2019-memory',
  azure2021: 'azure2021',
  binsLong: 'bins-long',
  binsWide: 'bins-wide',
} as const;
export type TraceFileKind = (typeof TRACE_FILE_KINDS)[keyof typeof TRACE_FILE_KINDS];

/** Detects a file's format by its header's column names (never their positions); undefined if unknown. */
export function detectTraceFormat(headerLine: string): TraceFileKind | undefined {
  const line = headerLine.replace(/^\uFEFF/, '').replace(/\r?\n[\s\S]*$/, '');
  let names: Set<string>;
  try {
    names = new Set(splitCsvLine(line, 'header', 1).map((s) => s.trim()));
  } catch {
    return undefined;
  }
  const has = (...cols: string[]) => cols.every((c) => names.has(c));
  if (has('HashFunction') && (has('minute_1') || has('1'))) return TRACE_FILE_KINDS.azure2019Invocations;
  if (has('HashFunction') && (has('percentile_Average_50') || has('Average')))
    return TRACE_FILE_KINDS.azure2019Durations;
  if (has('HashApp') && (has('AverageAllocatedMb_pct50') || has('AverageAllocatedMb')))
    return TRACE_FILE_KINDS.azure2019Memory;
  if (has('app', 'func', 'end_timestamp', 'duration')) return TRACE_FILE_KINDS.azure2021;
  if (has('timestamp', 'function', 'count')) return TRACE_FILE_KINDS.binsLong;
  if (WIDE_TIME_COLUMNS.some((c) => names.has(c)) && names.size >= 2) return TRACE_FILE_KINDS.binsWide;
  return undefined;
}
