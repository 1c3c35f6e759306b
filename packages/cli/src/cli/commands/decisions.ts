import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DecisionRecord, DecisionStore } from '@warmpool/controller';
import { createDynamoDbDocumentClient, DynamoDbDecisionStore } from '@warmpool/controller';
import { parseFunctionRef, targetId, ValidationError, WarmpoolError } from '@warmpool/core';
import type { CliIo, Command } from '../main.js';
import { allLoopback, parseEndpoints, parseFlags, parseRegion, parseSince } from './controller-flags.js';
import { renderChart, renderTable, toRows } from './decisions-view.js';

export const DECISIONS_USAGE = `usage: warmpool decisions --target NAME:QUALIFIER [flags]

  --target ID          the target (function name or ARN, and qualifier: api:live)
  --since WHEN         how far back: 90m, 6h, 2d, or an ISO 8601 time (default 6h)
  --limit N            at most N decisions (default 500)
  --json               print the records as JSON (newest first)
  --table NAME         the decision table (default: $WARMPOOL_TABLE)
  --endpoint-url URL   DynamoDB endpoint (DynamoDB Local, a stand-in); URL or dynamodb=URL
  --region REGION      AWS region (default: $AWS_REGION or us-east-1)
  --demo               read what \`warmpool demo\` recorded (its embedded store in .warmpool/demo)`;

const FLAGS = {
  target: 'string',
  since: 'string',
  limit: 'string',
  json: 'boolean',
  table: 'string',
  'endpoint-url': 'repeat',
  region: 'string',
  help: 'boolean',
  demo: 'boolean',
} as const;

/** Reads every page of a target's decisions since `sinceMs`, newest first, up to `limit`. */
export async function readDecisions(
  store: DecisionStore,
  target: string,
  sinceMs: number,
  limit: number,
): Promise<DecisionRecord[]> {
  const out: DecisionRecord[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.listDecisions(target, {
      sinceMs,
      limit: Math.min(100, limit - out.length),
      pageToken,
    });
    out.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken && out.length < limit);
  return out;
}

/** `warmpool decisions`; `store` is injectable for tests. */
export function decisionsCommand(
  options: {
    store?: DecisionStore;
    env?: Readonly<Record<string, string | undefined>>;
    now?: () => number;
    /** Where `warmpool demo` left its store (default `.warmpool/demo` in the working directory). */
    demoDir?: string;
  } = {},
): Command {
  return async (args: readonly string[], io: CliIo): Promise<number> => {
    const env = options.env ?? process.env;
    let flags: ReturnType<typeof parseFlags>;
    let target: string;
    let sinceMs: number;
    let limit: number;
    let table: string;
    let endpoint: string | undefined;
    let region: string | undefined;
    try {
      flags = parseFlags('decisions', args, FLAGS);
      if (flags.help) {
        io.out(DECISIONS_USAGE);
        return 0;
      }
      const raw = flags.target as string | undefined;
      if (!raw) throw new ValidationError('--target', 'is required (NAME:QUALIFIER, e.g. api:live)');
      // One parse, as Lambda reads a name or ARN with its qualifier; `ACCOUNT:function` alone is a partial ARN
      // with no name, not a function named after the account with a qualifier `function`.
      const ref = parseFunctionRef(raw);
      if (ref?.qualifier === undefined || raw.endsWith(':function')) {
        throw new ValidationError(
          '--target',
          'must be NAME:QUALIFIER: a function name (1 to 64 letters, digits, - or _) or ARN, then the alias, version or $LATEST warmed (e.g. api:live)',
          { detail: `got '${raw}'` },
        );
      }
      target = targetId(ref.unqualified, ref.qualifier);
      sinceMs = parseSince((flags.since as string | undefined) ?? '6h', (options.now ?? Date.now)());
      limit = Number((flags.limit as string | undefined) ?? 500);
      if (!(Number.isInteger(limit) && limit > 0)) {
        throw new ValidationError('--limit', 'must be a whole number > 0', {
          detail: `got '${flags.limit}'`,
        });
      }
      if (flags.demo) {
        // The demo's own embedded store: a table or endpoint given with it would be silently ignored.
        for (const flag of ['table', 'endpoint-url', 'region'] as const) {
          if (flags[flag] !== undefined)
            throw new ValidationError(
              `--${flag}`,
              'cannot be combined with --demo (it reads the demo’s own store)',
            );
        }
      }
      table = (flags.table as string | undefined) ?? env.WARMPOOL_TABLE ?? '';
      if (!options.store && !table && !flags.demo)
        throw new ValidationError('--table', 'is required (or set WARMPOOL_TABLE)');
      // decisions reads DynamoDB only: an endpoint meant for another service is a mistake, not a no-op.
      endpoint = parseEndpoints(flags['endpoint-url'] as string[] | undefined, ['dynamodb']).dynamodb;
      region = parseRegion(flags.region as string | undefined);
    } catch (e) {
      if (e instanceof WarmpoolError) {
        io.err(`warmpool decisions: ${e.message}\n\n${DECISIONS_USAGE}`);
        return 2;
      }
      throw e;
    }
    if (endpoint !== undefined && allLoopback({ dynamodb: endpoint }, ['dynamodb'])) {
      // Against `warmpool local` a machine without AWS credentials still signs (placeholders, never real keys).
      (await import('../../demo/demo-store.js')).useLocalCredentials(env as NodeJS.ProcessEnv);
    }
    // --demo: the demo's embedded store, opened for this read and closed after it (never created here).
    let demo: { endpoint: string; table: string; stop(): Promise<void> } | undefined;
    if (flags.demo && !options.store) {
      const { DEMO_DIR, openDemoStore } = await import('../../demo/demo-store.js');
      const dir = options.demoDir ?? DEMO_DIR;
      if (!existsSync(join(dir, 'db'))) {
        io.err(`warmpool decisions: no demo decisions in ${resolve(dir)}: run \`pnpm warmpool demo\` first`);
        return 1;
      }
      demo = await openDemoStore({ dir });
    }
    if (demo) [endpoint, table] = [demo.endpoint, demo.table];
    const store =
      options.store ?? new DynamoDbDecisionStore(createDynamoDbDocumentClient({ endpoint, region }), table);
    let records: DecisionRecord[];
    try {
      records = await readDecisions(store, target, sinceMs, limit);
      await demo?.stop();
    } catch (e) {
      await demo?.stop();
      io.err(
        `warmpool decisions: could not read ${table || 'the store'}: ${(e as Error).name}: ${(e as Error).message}`,
      );
      return 1;
    }
    const rows = toRows(records);
    if (flags.json) {
      io.out(
        JSON.stringify({ target, decisions: rows.map((r) => ({ ...r.record, actual: r.actual })) }, null, 2),
      );
      return 0;
    }
    if (rows.length === 0) {
      io.out(`no decisions for ${target} since ${new Date(sinceMs).toISOString()}`);
      return 0;
    }
    io.out(
      `${target}: ${rows.length} decision(s), newest first\n\n${renderTable(rows)}\n\n${renderChart(rows)}`,
    );
    return 0;
  };
}

export default decisionsCommand();
