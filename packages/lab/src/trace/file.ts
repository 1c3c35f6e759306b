/** A trace file's text and the name errors refer to it by. Parsers never touch the filesystem. */
export interface TraceFile {
  readonly name: string;
  readonly text: string;
}
