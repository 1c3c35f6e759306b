import { TraceError } from '@warmpool/core';

/**
 * A small CSV reader for trace files: one record per line (LF or CRLF), comma-separated, with simple double
 * quotes ("a,b" and "" inside quotes). Quoted newlines are not supported: no trace format we read has them.
 * Lines without a quote take the fast path (`String#split`), which keeps a 2 MB file well under a second.
 */
export interface CsvTable {
  readonly file: string;
  /** Header names, trimmed. */
  readonly header: readonly string[];
  /** 1-based line number of the header (the first non-blank line); errors about the header name it. */
  readonly headerLine: number;
  /** Data rows (blank lines skipped), each with its 1-based line number in the file. */
  readonly rows: readonly CsvRow[];
}

export interface CsvRow {
  readonly line: number;
  readonly fields: readonly string[];
}

/** Splits one line into fields. `file`/`line` name the place in errors (an unterminated quote). */
export function splitCsvLine(text: string, file: string, line: number): string[] {
  if (!text.includes('"')) return text.split(',');
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i <= n) {
    if (text.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new TraceError(file, line, out.length + 1, 'unterminated quoted field');
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(value);
      if (i < n && text.charCodeAt(i) !== 44 /* , */)
        throw new TraceError(file, line, out.length, 'unexpected text after a closing quote');
      i++;
    } else {
      const c = text.indexOf(',', i);
      const end = c < 0 ? n : c;
      out.push(text.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** The first non-blank line of a text (the header), without its line break. */
export function firstLine(text: string): string {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const nl = body.indexOf('\n');
  return (nl < 0 ? body : body.slice(0, nl)).replace(/\r$/, '');
}

/**
 * Parses a whole CSV text. Errors name the file: an empty file, a header with an empty or repeated name, and
 * ragged rows (a row whose field count differs from the header's).
 */
export function readCsv(text: string, file: string): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let pos = 0;
  let lineNo = 0;
  let header: string[] | undefined;
  let headerLine = 1;
  const rows: CsvRow[] = [];
  const n = body.length;
  while (pos < n) {
    let nl = body.indexOf('\n', pos);
    if (nl < 0) nl = n;
    let end = nl;
    if (end > pos && body.charCodeAt(end - 1) === 13) end--;
    lineNo++;
    const raw = body.slice(pos, end);
    pos = nl + 1;
    if (raw.trim() === '') continue;
    const fields = splitCsvLine(raw, file, lineNo);
    if (!header) {
      header = fields.map((f) => f.trim());
      headerLine = lineNo;
      const seen = new Set<string>();
      for (const [i, h] of header.entries()) {
        if (h === '') throw new TraceError(file, lineNo, i + 1, 'header has an empty column name');
        if (seen.has(h)) throw new TraceError(file, lineNo, h, 'column name appears twice in the header');
        seen.add(h);
      }
      continue;
    }
    if (fields.length !== header.length)
      throw new TraceError(
        file,
        lineNo,
        fields.length < header.length ? (header[fields.length] as string) : fields.length,
        `row has ${fields.length} fields, the header has ${header.length}`,
      );
    rows.push({ line: lineNo, fields });
  }
  if (!header) throw new TraceError(file, 1, 1, 'file is empty (no header line)');
  return { file, header, headerLine, rows };
}

/**
 * The error for a table with a header and no data rows. It names the header's line: there is no data line to
 * point at, and naming the line after the header would point past the end of the file.
 */
export function noDataRows(table: CsvTable, column: string | number, what: string): TraceError {
  return new TraceError(table.file, table.headerLine, column, `${what} (no data rows after the header)`);
}

/** Index of a column by name, or -1. */
export function columnIndex(table: CsvTable, name: string): number {
  return table.header.indexOf(name);
}

/** Index of a required column; a missing one is an error naming it. */
export function requireColumn(table: CsvTable, name: string): number {
  const i = table.header.indexOf(name);
  if (i < 0) throw new TraceError(table.file, table.headerLine, name, `required column "${name}" is missing`);
  return i;
}

/** Index of the first of several accepted names for a column; a missing one is an error naming them. */
export function requireOneOf(table: CsvTable, names: readonly string[]): number {
  for (const name of names) {
    const i = table.header.indexOf(name);
    if (i >= 0) return i;
  }
  throw new TraceError(
    table.file,
    table.headerLine,
    names[0] as string,
    `required column ${names.map((n) => `"${n}"`).join(' or ')} is missing`,
  );
}
