/** Log levels, lowest first. */
export const LOG_LEVELS = { debug: 'debug', info: 'info', warn: 'warn', error: 'error' } as const;
export type LogLevel = (typeof LOG_LEVELS)[keyof typeof LOG_LEVELS];

export type LogFields = Readonly<Record<string, unknown>>;

/** Structured JSON logging: one object per line, so CloudWatch Logs Insights can query every field. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. the tick id, the target). */
  child(fields: LogFields): Logger;
}

export type LineSink = (line: string) => void;

export const stdoutSink: LineSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Errors become `{ name, message }` (plus `reason` where a ThrottleError carries one) instead of `{}`. */
function plain(value: unknown): unknown {
  if (value instanceof Error) {
    const e = value as Error & { reason?: unknown; code?: unknown };
    return { name: e.name, message: e.message, ...(e.reason ? { reason: e.reason } : {}) };
  }
  return value;
}

export function createLogger(
  sink: LineSink = stdoutSink,
  base: LogFields = {},
  now: () => number = Date.now,
): Logger {
  const write = (level: LogLevel, msg: string, fields?: LogFields) => {
    const entry: Record<string, unknown> = { level, time: new Date(now()).toISOString(), msg, ...base };
    for (const [k, v] of Object.entries(fields ?? {})) entry[k] = plain(v);
    sink(JSON.stringify(entry));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(sink, { ...base, ...fields }, now),
  };
}

/** A logger that keeps its lines as parsed objects, for tests. */
export function memoryLogger(): Logger & { readonly lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return Object.assign(logger, { lines });
}
