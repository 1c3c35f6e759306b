import { TraceError } from '@warmpool/core';
import { parseAzure2019 } from './azure2019.js';
import { parseAzure2021 } from './azure2021.js';
import { parseBinsLong } from './bins-long.js';
import { parseBinsWide } from './bins-wide.js';
import { firstLine } from './csv.js';
import { detectTraceFormat, TRACE_FILE_KINDS, type TraceFileKind } from './detect.js';
import type { TraceFile } from './file.js';
import type { Trace } from './types.js';

export interface ParseTraceInput {
  /** The files of one trace: a single data file, or the Azure 2019 invocations file with its optional
   * durations and memory files. Formats are detected from each header. */
  readonly files: readonly TraceFile[];
  /** The trace's name (default: the data file's name). */
  readonly name?: string | undefined;
  /** Provenance/attribution to carry on the trace. */
  readonly attribution?: string | undefined;
}

/** The front door: detects each file's format by its header and calls the matching parser. */
export function parseTrace(input: ParseTraceInput): Trace {
  if (input.files.length === 0) throw new TraceError('(no file)', 0, 0, 'no trace files given');
  const byKind = new Map<TraceFileKind, TraceFile>();
  for (const file of input.files) {
    const kind = detectTraceFormat(firstLine(file.text));
    if (!kind) {
      if (file.text.trim() === '') throw new TraceError(file.name, 1, 1, 'file is empty (no header line)');
      throw new TraceError(
        file.name,
        1,
        1,
        'unrecognised header: expected Azure 2019 (HashFunction, minute columns), Azure 2021 (app,func,end_timestamp,duration), long bins (timestamp,function,count) or wide bins (date plus one column per function)',
      );
    }
    const other = byKind.get(kind);
    if (other)
      throw new TraceError(
        file.name,
        1,
        1,
        `a second ${kind} file (${other.name} is one already); give one trace at a time`,
      );
    byKind.set(kind, file);
  }
  const dataKinds = [...byKind.keys()].filter(
    (k) => k !== TRACE_FILE_KINDS.azure2019Durations && k !== TRACE_FILE_KINDS.azure2019Memory,
  );
  const first = input.files[0] as TraceFile;
  if (dataKinds.length === 0)
    throw new TraceError(
      first.name,
      1,
      1,
      'Azure 2019 durations/memory files need the invocations file (HashFunction plus minute columns) beside them',
    );
  if (dataKinds.length > 1) {
    const names = dataKinds.map((k) => (byKind.get(k) as TraceFile).name).join(', ');
    throw new TraceError(first.name, 1, 1, `more than one data file (${names}); give one trace at a time`);
  }
  const kind = dataKinds[0] as TraceFileKind;
  const data = byKind.get(kind) as TraceFile;
  if (kind !== TRACE_FILE_KINDS.azure2019Invocations && byKind.size > 1)
    throw new TraceError(
      data.name,
      1,
      1,
      'Azure 2019 durations/memory files only go with an Azure 2019 invocations file',
    );
  const name = input.name ?? data.name;
  let trace: Trace;
  switch (kind) {
    case TRACE_FILE_KINDS.azure2019Invocations:
      trace = parseAzure2019(
        {
          invocations: data,
          durations: byKind.get(TRACE_FILE_KINDS.azure2019Durations),
          memory: byKind.get(TRACE_FILE_KINDS.azure2019Memory),
        },
        name,
      );
      break;
    case TRACE_FILE_KINDS.azure2021:
      trace = parseAzure2021(data, name);
      break;
    case TRACE_FILE_KINDS.binsLong:
      trace = parseBinsLong(data, name);
      break;
    default:
      trace = parseBinsWide(data, name);
  }
  return input.attribution ? { ...trace, attribution: input.attribution } : trace;
}
