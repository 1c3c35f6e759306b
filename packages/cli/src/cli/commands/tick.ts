import { readFile } from 'node:fs/promises';
import type { AwsEndpoints, LineSink, TickDeps, TickDepsRequest, TickResult } from '@warmpool/controller';
import { describeShortfall, runTick } from '@warmpool/controller';
import {
  ConfigError,
  parseConfigJson,
  ValidationError,
  type WarmpoolConfig,
  WarmpoolError,
} from '@warmpool/core';
import type { CliIo, Command } from '../main.js';
import {
  allLoopback,
  ENDPOINT_SERVICES,
  parseEndpoints,
  parseFlags,
  parseRegion,
} from './controller-flags.js';

export const TICK_USAGE = `usage: warmpool tick --config FILE [flags]

  --config FILE        the Warmpool config (JSON), as the controller Lambda gets it
  --dry-run            decide and print, warm nothing and record nothing (every target)
  --table NAME         the decision table (default: $WARMPOOL_TABLE)
  --endpoint-url URL   send every AWS client to URL; or SERVICE=URL (cloudwatch, dynamodb, lambda), repeatable
  --region REGION      AWS region (default: $AWS_REGION or us-east-1)
  --json               print the tick result as JSON
  --verbose            print the controller's JSON log lines and EMF metrics to stderr

exit status: 0 all targets done, 1 a target failed or a decision write was lost, 2 bad flags or config`;

const FLAGS = {
  config: 'string',
  'dry-run': 'boolean',
  table: 'string',
  'endpoint-url': 'repeat',
  region: 'string',
  json: 'boolean',
  verbose: 'boolean',
  help: 'boolean',
} as const;

export type { TickDepsRequest };
/** Builds the tick's ports; the default wires the real SDK clients. */
export type BuildTickDeps = (request: TickDepsRequest) => TickDeps | Promise<TickDeps>;

/** A `short` round (fewer containers than decided) is not OK: it exits 1, with the reason in the notes. */
const OK_STATUSES = new Set(['warmed', 'dry-run', 'nothing-to-warm', 'duplicate']);

function summary(r: TickResult): string {
  const header = ['target', 'status', 'forecast', 'decided', 'reached', 'throttled', 'record', 'notes'];
  const rows = r.targets.map((t) => [
    t.target,
    t.status,
    t.decision ? t.decision.forecast.peak.toFixed(1) : '-',
    t.decision ? String(t.decision.count) : '-',
    t.fanOut ? String(t.fanOut.distinctContainers) : '-',
    t.fanOut ? String(t.fanOut.throttled) : '-',
    `${t.write}/${t.outcomeWrite}`,
    [
      ...t.degraded,
      ...(t.fanOut?.shortfall ? [describeShortfall(t.fanOut.shortfall)] : []),
      ...(t.fanOut?.budgetCut ? [t.fanOut.budgetCut.why] : []),
      ...(t.fanOut?.ramp ? [`ramp: ${t.fanOut.ramp.why}`] : []),
      ...(t.error ? [t.error] : []),
    ].join('; '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  const metrics = r.metrics.ok
    ? `metrics: ${r.metrics.queries} queries in ${r.metrics.calls} GetMetricData call(s)`
    : `metrics unavailable: ${r.metrics.error}`;
  const lost = r.lostWrites.length ? `\nLOST decision writes: ${r.lostWrites.join(', ')}` : '';
  const b = r.sharedBudget;
  const budget = !b
    ? ''
    : b.unreserved === null
      ? `\nshared budget: unknown (${b.error ?? 'no account read'}), nothing cut`
      : `\nshared budget: ${b.claimed} pings claimed of ${b.unreserved} unreserved`;
  return `tick ${r.tickId}\n${metrics}${budget}\n\n${[line(header), ...rows.map(line)].join('\n')}${lost}`;
}

/** `warmpool tick`: one controller tick from a laptop, against AWS or loopback stand-ins. */
export function tickCommand(
  options: { buildDeps?: BuildTickDeps; env?: Readonly<Record<string, string | undefined>> } = {},
): Command {
  return async (args: readonly string[], io: CliIo): Promise<number> => {
    const env = options.env ?? process.env;
    let config: WarmpoolConfig;
    let flags: ReturnType<typeof parseFlags>;
    let table: string;
    let endpoints: AwsEndpoints;
    let region: string | undefined;
    try {
      flags = parseFlags('tick', args, FLAGS);
      if (flags.help) {
        io.out(TICK_USAGE);
        return 0;
      }
      const file = flags.config as string | undefined;
      if (!file) throw new ValidationError('--config', 'is required (a JSON config file)');
      table = (flags.table as string | undefined) ?? env.WARMPOOL_TABLE ?? '';
      if (!table) throw new ValidationError('--table', 'is required (or set WARMPOOL_TABLE)');
      endpoints = parseEndpoints(flags['endpoint-url'] as string[] | undefined);
      region = parseRegion(flags.region as string | undefined);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new ValidationError('--config', 'must name a readable file', {
          detail: `${file}: ${(e as Error).message}`,
        });
      }
      config = parseConfigJson(text, file);
    } catch (e) {
      if (e instanceof ConfigError) {
        io.err(`warmpool tick: ${e.message}`);
        return 2;
      }
      if (e instanceof WarmpoolError) {
        io.err(`warmpool tick: ${e.message}\n\n${TICK_USAGE}`);
        return 2;
      }
      throw e;
    }
    if (allLoopback(endpoints, ENDPOINT_SERVICES)) {
      // Against `warmpool local` a machine without AWS credentials still signs (placeholders, never real keys).
      (await import('../../demo/demo-store.js')).useLocalCredentials(env as NodeJS.ProcessEnv);
    }
    const sink: LineSink = flags.verbose ? (line) => io.err(line) : () => {};
    const build = options.buildDeps ?? (await import('@warmpool/controller')).buildAwsTickDeps;
    const deps = await build({ config, table, region, endpoints, sink });
    const result = await runTick(deps, config, deps.clock.now(), { dryRun: flags['dry-run'] === true });
    io.out(flags.json ? JSON.stringify(result, null, 2) : summary(result));
    const ok = result.lostWrites.length === 0 && result.targets.every((t) => OK_STATUSES.has(t.status));
    return ok ? 0 : 1;
  };
}

export default tickCommand();
