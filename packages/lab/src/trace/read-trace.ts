import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ValidationError } from '@warmpool/core';
import { detectTraceFormat } from './detect.js';
import { parseTrace } from './parse-trace.js';
import type { Trace } from './types.js';

/** Attribution files read from a trace folder and carried on the trace (provenance travels with the data). */
const ATTRIBUTION_FILES = ['ATTRIBUTION.md', 'README.md'] as const;

/**
 * Reads a trace from disk: a CSV file, or a folder (e.g. the Azure 2019 one with its invocations, durations
 * and memory files). In a folder, every `.csv` whose header is a known trace format is used; other files are
 * ignored. Parsing is core's `parseTrace`; this only does the I/O.
 */
export async function readTrace(path: string): Promise<Trace> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (e) {
    throw new ValidationError('--trace', 'must be an existing trace file or folder', {
      detail: `${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      cause: e,
    });
  }
  if (!isDir) {
    const text = await readFile(path, 'utf8');
    return parseTrace({ files: [{ name: basename(path), text }], name: basename(path) });
  }
  const entries = (await readdir(path)).sort();
  const files = [];
  for (const entry of entries.filter((e) => e.toLowerCase().endsWith('.csv'))) {
    const text = await readFile(join(path, entry), 'utf8');
    if (detectTraceFormat(text.slice(0, 65_536))) files.push({ name: entry, text });
  }
  if (files.length === 0)
    throw new ValidationError('--trace', 'folder holds no trace file (no .csv with a known header)', {
      detail: path,
    });
  let attribution: string | undefined;
  for (const a of ATTRIBUTION_FILES) {
    if (entries.includes(a)) {
      attribution = (await readFile(join(path, a), 'utf8')).trim();
      break;
    }
  }
  return parseTrace({ files, name: basename(path), attribution });
}
