/**
 * `warmpool backtest`: replays a trace through the simulator under every policy, side by side, and prints a
 * table per idle setting (or the stable JSON document, or an HTML report).
 */
import { constants } from 'node:fs';
import { access, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  MAX_TICKS_BETWEEN_READS,
  parseScheduleMap,
  type ScheduleConfig,
  TICK_INTERVAL_SECONDS_RANGE,
  ValidationError,
  WarmpoolError,
} from '@warmpool/core';
import {
  type BacktestDocument,
  defaultPolicies,
  type FunctionSelection,
  renderReport,
  runBacktest,
  type Trace,
  warmpoolPolicy,
} from '@warmpool/lab';
import type { CliIo, Command } from '../main.js';
import { parseSeed, scanFlags } from './controller-flags.js';
import { policyTable } from './policy-table.js';

export const BACKTEST_USAGE = `usage: warmpool backtest --trace PATH [flags]

  --trace PATH            trace file or folder (Azure 2019/2021, long or wide count bins)
  --functions SEL         top:N | all | ID,ID,...   (default all; top:N = highest estimated peak concurrency)
  --interval DURATION     tick interval of every warmer, whole minutes from 1m to 60m (default 5m)
  --idle DURATION[,...]   idle time before Lambda reaps a container; a list prints one table each (default 10m)
  --seed N                seed for arrivals, durations and the container pool (default 1)
  --duration-ms MS        execution time where the trace has none (default 1000)
  --json                  print the stable JSON document (one per line when several idle settings)
  --report FILE.html      write a self-contained HTML report (for the first idle setting; creates its folder)
  --schedules FILE        known events to replay: JSON of function id to schedules (as in the config); adds a
                          'warmpool+schedules' row beside 'warmpool' to show what declaring them would have saved.
                          Read on the trace's clock (Azure 2019 traces carry no date: day 1 reads as 1970-01-01)
  --max-ticks-between-reads N
                          adds a 'warmpool/reads<=N' row: warmpool with the config's maxTicksBetweenReads at N
                          (1 to ${MAX_TICKS_BETWEEN_READS}), to weigh fewer metric reads against the cold starts they let through

durations: 90s, 5m, 1h or a plain number of seconds`;

export interface BacktestFlags {
  readonly trace: string;
  readonly functions: FunctionSelection;
  readonly intervalS: number;
  readonly idleS: readonly number[];
  readonly seed: number;
  readonly durationMs: number | undefined;
  readonly json: boolean;
  readonly report: string | undefined;
  readonly schedules: string | undefined;
  /** Adds a warmpool row whose steady targets read their metrics at most every this many ticks. */
  readonly maxTicksBetweenReads: number | undefined;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const UNIT_S: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Parses `5m`, `300s`, `1h`, `300` (seconds) into seconds; names the flag and the rule otherwise. */
export function parseDurationS(flag: string, text: string): number {
  const m = DURATION.exec(text.trim());
  if (!m)
    throw new ValidationError(flag, 'must be a duration such as 90s, 5m or 1h', { detail: `got '${text}'` });
  const seconds = Number(m[1]) * (UNIT_S[m[2] ?? 's'] as number);
  if (!(seconds > 0))
    throw new ValidationError(flag, 'must be a positive duration', { detail: `got '${text}'` });
  return seconds;
}

function parseFunctions(text: string): FunctionSelection {
  if (text === 'all') return 'all';
  if (text.startsWith('top:')) {
    const n = Number(text.slice(4));
    if (!(Number.isInteger(n) && n >= 1)) {
      throw new ValidationError('--functions', 'top:N needs a whole number N >= 1', {
        detail: `got '${text}'`,
      });
    }
    return { top: n };
  }
  const ids = text.split(',').map((s) => s.trim());
  if (ids.some((id) => id === ''))
    throw new ValidationError('--functions', 'must be top:N, all or a list of ids');
  return ids;
}

const VALUE_FLAGS = new Set([
  '--trace',
  '--functions',
  '--interval',
  '--idle',
  '--seed',
  '--duration-ms',
  '--report',
  '--schedules',
  '--max-ticks-between-reads',
]);
const BOOLEAN_FLAGS = new Set(['--json']);

/** Parses the command's flags (`--flag value` or `--flag=value`). Throws ValidationError naming the flag. */
export function parseBacktestFlags(args: readonly string[]): BacktestFlags {
  const { values, booleans } = scanFlags(args, VALUE_FLAGS, BOOLEAN_FLAGS);
  const trace = values.get('--trace');
  if (!trace) throw new ValidationError('--trace', 'is required');
  const intervalS = parseDurationS('--interval', values.get('--interval') ?? '5m');
  if (!(Number.isInteger(intervalS) && intervalS % 60 === 0)) {
    throw new ValidationError(
      '--interval',
      'must be whole minutes (the controller runs on a minute schedule)',
      {
        detail: `got ${intervalS} s`,
      },
    );
  }
  // The warmpool policy's config (tickIntervalSeconds) caps the tick at an hour; say so here, not mid-run.
  const maxIntervalS = TICK_INTERVAL_SECONDS_RANGE.max;
  if (intervalS > maxIntervalS) {
    throw new ValidationError(
      '--interval',
      `must be at most ${maxIntervalS / 60}m (the controller's tickIntervalSeconds is capped at ${maxIntervalS} s)`,
      { detail: `got ${intervalS / 60}m` },
    );
  }
  const idleS = (values.get('--idle') ?? '10m').split(',').map((t) => parseDurationS('--idle', t));
  const seed = parseSeed(values.get('--seed'), '1');
  const dText = values.get('--duration-ms');
  let durationMs: number | undefined;
  if (dText !== undefined) {
    durationMs = Number(dText);
    if (!(dText.trim() !== '' && Number.isFinite(durationMs) && durationMs > 0)) {
      throw new ValidationError('--duration-ms', 'must be a positive number of milliseconds', {
        detail: `got '${dText}'`,
      });
    }
  }
  const report = values.get('--report');
  if (report !== undefined && !/\.html?$/i.test(report)) {
    throw new ValidationError('--report', 'must name an .html file', { detail: `got '${report}'` });
  }
  const readsText = values.get('--max-ticks-between-reads');
  const maxTicksBetweenReads = readsText === undefined ? undefined : Number(readsText);
  if (
    maxTicksBetweenReads !== undefined &&
    !(
      readsText?.trim() !== '' &&
      Number.isInteger(maxTicksBetweenReads) &&
      maxTicksBetweenReads >= 1 &&
      maxTicksBetweenReads <= MAX_TICKS_BETWEEN_READS
    )
  ) {
    throw new ValidationError(
      '--max-ticks-between-reads',
      `must be a whole number of ticks from 1 to ${MAX_TICKS_BETWEEN_READS} (MAX_TICKS_BETWEEN_READS, as the config's maxTicksBetweenReads)`,
      { detail: `got '${readsText}'` },
    );
  }
  return {
    trace,
    functions: parseFunctions(values.get('--functions') ?? 'all'),
    intervalS,
    idleS,
    seed,
    durationMs,
    json: booleans.has('--json'),
    report,
    schedules: values.get('--schedules'),
    maxTicksBetweenReads,
  };
}

/** The human table for one idle setting. */
export function formatTable(doc: BacktestDocument): string {
  return [
    `idle ${doc.idle_s / 60} min, tick ${doc.interval_s / 60} min, ${doc.functions.length} function(s), seed ${doc.seed}, ${doc.span_days} day(s) of ${doc.trace}`,
    ...policyTable(doc.policies, 'invocations'),
    `simulated ${doc.simulated_invocations_per_second.toLocaleString('en-US')} invocations/s (${doc.modes.invocations} replayed per invocation, ${doc.modes.aggregate} in aggregate mode)`,
  ].join('\n');
}

export interface BacktestDeps {
  readonly readTrace: (path: string) => Promise<Trace>;
  readonly writeFile: (path: string, text: string) => Promise<void>;
  readonly readText: (path: string) => Promise<string>;
  /** Makes the report's folder and checks it can be written, before the run; throws ValidationError. */
  readonly prepareReport: (path: string) => Promise<void>;
}

function ioCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
}

/** Creates the report's folder (as `warmpool demo` does), so a bad path fails before the run, not after. */
async function prepareReport(path: string): Promise<void> {
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (e) {
    throw new ValidationError(
      '--report',
      'must be in a folder that exists or can be created, and is writable',
      {
        detail: `${dir}: ${ioCode(e)}`,
      },
    );
  }
  if ((await stat(path).catch(() => undefined))?.isDirectory()) {
    throw new ValidationError('--report', 'must name a file, not a folder', { detail: path });
  }
}

const defaultDeps: BacktestDeps = {
  // Imported on use, so `--help` and flag errors do not load the trace parsers.
  readTrace: async (path) => (await import('@warmpool/lab')).readTrace(path),
  writeFile: (path, text) => writeFile(path, text, 'utf8'),
  readText: (path) => readFile(path, 'utf8'),
  prepareReport,
};

/** Core names the option it was given (`functions`); the user typed the flag (`--functions`). */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  functions: '--functions',
  interval: '--interval',
  idle: '--idle',
  seed: '--seed',
  schedules: '--schedules',
};

/** The one-line (or, for a ConfigError, one-line-per-issue) message of a Warmpool error, naming the flag. */
function errorMessage(e: WarmpoolError): string {
  if (e instanceof ValidationError && e.target === undefined) {
    const flag = FLAG_OF_FIELD[e.field];
    if (flag && e.message.startsWith(`${e.field}:`)) return `${flag}${e.message.slice(e.field.length)}`;
  }
  return e.message;
}

/**
 * Anything else is a bug, not bad input; it is still said in one line, never as a stack trace (a trace file is
 * user input, and a RangeError from deep in the simulator tells its author nothing).
 */
function internalError(e: unknown): string {
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return `warmpool backtest: internal error (${what}); this is a bug in warmpool, please report it with the trace`;
}

/** Reads and checks the schedule file; a file that cannot be read names the flag and the reason. */
async function readSchedules(
  deps: BacktestDeps,
  path: string,
): Promise<ReadonlyMap<string, readonly ScheduleConfig[]>> {
  let text: string;
  try {
    text = await deps.readText(path);
  } catch (e) {
    throw new ValidationError('--schedules', 'must name a readable file', {
      detail: `${path}: ${ioCode(e)}`,
    });
  }
  return parseScheduleMap(text, path);
}

export function createBacktestCommand(overrides: Partial<BacktestDeps> = {}): Command {
  const deps: BacktestDeps = { ...defaultDeps, ...overrides };
  return async (args: readonly string[], io: CliIo): Promise<number> => {
    if (args.includes('--help') || args.includes('-h')) {
      io.out(BACKTEST_USAGE);
      return 0;
    }
    let flags: BacktestFlags;
    try {
      flags = parseBacktestFlags(args);
    } catch (e) {
      if (e instanceof ValidationError) {
        io.err(`warmpool backtest: ${e.message}\n\n${BACKTEST_USAGE}`);
        return 2;
      }
      io.err(internalError(e));
      return 1;
    }
    let reportHtml: string | undefined;
    try {
      if (flags.report !== undefined) await deps.prepareReport(flags.report);
      const schedules =
        flags.schedules === undefined ? undefined : await readSchedules(deps, flags.schedules);
      const trace = await deps.readTrace(flags.trace);
      // With schedules, warmpool runs twice: as configured without them, and applying them; the same for reads
      // backed off. Either extra row sits beside the default `warmpool` row.
      const extra = [
        ...(schedules ? [warmpoolPolicy({ name: 'warmpool+schedules', applySchedules: true })] : []),
        ...(flags.maxTicksBetweenReads !== undefined
          ? [
              warmpoolPolicy({
                name: `warmpool/reads<=${flags.maxTicksBetweenReads}`,
                maxTicksBetweenReads: flags.maxTicksBetweenReads,
              }),
            ]
          : []),
      ];
      const policies = extra.length > 0 ? [...defaultPolicies(), ...extra] : undefined;
      const outputs: string[] = [];
      for (const [i, idleS] of flags.idleS.entries()) {
        const keepSeries = i === 0 && flags.report !== undefined;
        const result = runBacktest({
          trace,
          functions: flags.functions,
          seed: flags.seed,
          intervalS: flags.intervalS,
          idleS,
          durationMs: flags.durationMs,
          keepSeries,
          ...(schedules ? { schedules } : {}),
          ...(policies ? { policies } : {}),
        });
        outputs.push(flags.json ? JSON.stringify(result.document) : formatTable(result.document));
        if (keepSeries) reportHtml = renderReport(result);
      }
      io.out(outputs.join(flags.json ? '\n' : '\n\n'));
    } catch (e) {
      // Bad input found during the run (a trace error, an unknown function id, a config rule): no stack trace.
      if (e instanceof WarmpoolError) {
        io.err(`warmpool backtest: ${errorMessage(e)}`);
        return 2;
      }
      io.err(internalError(e));
      return 1;
    }
    if (flags.report === undefined || reportHtml === undefined) return 0;
    try {
      await deps.writeFile(flags.report, reportHtml);
    } catch (e) {
      // The tables are printed already; the report alone is lost.
      io.err(`warmpool backtest: --report: could not be written (${flags.report}: ${ioCode(e)})`);
      return 1;
    }
    if (!flags.json) io.out(`report written to ${flags.report}`);
    return 0;
  };
}

export const run: Command = createBacktestCommand();
