import { parseFunctionRef, ValidationError, WarmpoolError } from '@warmpool/core';
import type { LocalAccount, LocalAccountFunction } from '../../local/local-account.js';
import type { LocalStoreChoice } from '../../local/local-store.js';
import type { CliIo, Command } from '../main.js';
import { type FlagSpec, parseFlags } from './controller-flags.js';

export const LOCAL_DEFAULT_TABLE = 'warmpool-local';
const DEFAULT_FUNCTIONS = 'sample:live';
const MAX_ACCOUNT_CONCURRENCY = 100_000;
const STORE_CHOICES = ['auto', 'dynamodb-local', 'embedded'] as const;
type StoreFlag = (typeof STORE_CHOICES)[number];

export const LOCAL_USAGE = `usage: warmpool local [flags]

Starts a local Lambda account on 127.0.0.1 and serves it until SIGTERM or Ctrl-C: the Lambda stand-in (the
sample function wrapped in the helper, once per name, serving the qualifiers given and $LATEST), the CloudWatch
stand-in (the functions' metrics, in real time) and a DynamoDB-compatible store holding the decision table.
The first stdout line is one JSON object: {"lambda": URL, "cloudwatch": URL, "dynamodb": URL, "store": ...}.

  --functions LIST          NAME:QUALIFIER,... to serve (default ${DEFAULT_FUNCTIONS}); NAME alone serves $LATEST
  --table NAME              the decision table to create (default ${LOCAL_DEFAULT_TABLE})
  --account-concurrency N   the account's concurrency limit, 1..${MAX_ACCOUNT_CONCURRENCY} (default 1000)
  --port-base N             Lambda on N, CloudWatch on N+1, the store on N+2 (default: free ports)
  --store KIND              auto (default: DynamoDB Local when Java and its jar are present, else embedded),
                            dynamodb-local, or embedded (dynalite, in memory)
  --json                    print the JSON line only

Then, e.g.: warmpool probe --function sample:live --n 5 --endpoint-url lambda=URL
            warmpool tick --config FILE --table ${LOCAL_DEFAULT_TABLE} --endpoint-url lambda=URL \\
              --endpoint-url cloudwatch=URL --endpoint-url dynamodb=URL`;

const FLAGS: FlagSpec = {
  functions: 'string',
  table: 'string',
  'account-concurrency': 'string',
  'port-base': 'string',
  store: 'string',
  json: 'boolean',
  help: 'boolean',
};

export interface LocalOptions {
  readonly functions: readonly LocalAccountFunction[];
  readonly table: string;
  readonly accountConcurrency: number;
  readonly portBase: number | undefined;
  readonly store: StoreFlag;
  readonly json: boolean;
}

function wholeNumber(flag: string, raw: string, min: number, max: number, rule: string): number {
  const n = Number(raw);
  if (!(/^\d+$/.test(raw) && n >= min && n <= max)) {
    throw new ValidationError(flag, rule, { detail: `got '${raw}'` });
  }
  return n;
}

/** `--functions a:live,a:v2,b`: one function per name, with the qualifiers listed for it. */
export function parseFunctionList(raw: string): LocalAccountFunction[] {
  const byName = new Map<string, string[]>();
  const seen = new Set<string>();
  const rule =
    'must be a comma-separated list of NAME:QUALIFIER or NAME (a plain function name, 1 to 64 letters, digits, - or _)';
  for (const item of raw.split(',')) {
    const ref = parseFunctionRef(item);
    // A plain name only: the stand-in is one account, so an ARN (with its own region and account) means nothing.
    if (item === '' || !ref || ref.unqualified !== ref.name) {
      throw new ValidationError('--functions', rule, { detail: `got '${item}' in '${raw}'` });
    }
    const qualifier = ref.qualifier ?? '$LATEST';
    const id = `${ref.name}:${qualifier}`;
    if (seen.has(id))
      throw new ValidationError('--functions', 'must list each NAME:QUALIFIER once', { detail: id });
    seen.add(id);
    byName.set(ref.name, [...(byName.get(ref.name) ?? []), qualifier]);
  }
  return [...byName].map(([name, qualifiers]) => ({ name, qualifiers }));
}

/** Parses and checks the flags; every error names the flag and the rule. */
export function parseLocalArgs(args: readonly string[]): LocalOptions | 'help' {
  const f = parseFlags('local', args, FLAGS);
  if (f.help) return 'help';
  const table = (f.table as string | undefined) ?? LOCAL_DEFAULT_TABLE;
  // DynamoDB's rule; the embedded store also rejects names under 3 characters.
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table)) {
    throw new ValidationError(
      '--table',
      'must be 3 to 255 letters, digits, _, - or . (a DynamoDB table name)',
      {
        detail: `got '${table}'`,
      },
    );
  }
  const concurrency = f['account-concurrency'] as string | undefined;
  const portBase = f['port-base'] as string | undefined;
  const store = (f.store as string | undefined) ?? 'auto';
  if (!(STORE_CHOICES as readonly string[]).includes(store)) {
    throw new ValidationError('--store', `must be one of ${STORE_CHOICES.join(', ')}`, {
      detail: `got '${store}'`,
    });
  }
  return {
    functions: parseFunctionList((f.functions as string | undefined) ?? DEFAULT_FUNCTIONS),
    table,
    accountConcurrency:
      concurrency === undefined
        ? 1_000
        : wholeNumber(
            '--account-concurrency',
            concurrency,
            1,
            MAX_ACCOUNT_CONCURRENCY,
            `must be a whole number from 1 to ${MAX_ACCOUNT_CONCURRENCY}`,
          ),
    portBase:
      portBase === undefined
        ? undefined
        : wholeNumber(
            '--port-base',
            portBase,
            1024,
            65_533,
            'must be a whole number from 1024 to 65533 (the servers take N, N+1 and N+2)',
          ),
    store: store as StoreFlag,
    json: f.json === true,
  };
}

/** Resolves with the signal's name at the first SIGTERM or SIGINT; the default way `warmpool local` ends. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      // A second Ctrl-C while stopping is an impatient user: leave at once (the OS frees the ports).
      process.once('SIGINT', () => process.exit(130));
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

function describe(o: LocalOptions, account: LocalAccount, choice: LocalStoreChoice): string {
  const e = account.endpoints;
  const fns = o.functions.map((f) => `${f.qualifiers.map((q) => `${f.name}:${q}`).join(', ')}`).join(', ');
  const first = o.functions[0];
  const target = first ? `${first.name}:${first.qualifiers[0]}` : 'sample:live';
  return [
    `warmpool local: a Lambda account on loopback, until SIGTERM or Ctrl-C`,
    `  lambda      ${e.lambda}  (${fns}, and $LATEST of each; account concurrency ${o.accountConcurrency})`,
    `  cloudwatch  ${e.cloudwatch}`,
    `  dynamodb    ${e.dynamodb}  (table ${account.table}; ${choice.why})`,
    '',
    `  warmpool probe --function ${target} --n 5 --endpoint-url lambda=${e.lambda}`,
    `  warmpool tick --config FILE --table ${account.table} --endpoint-url lambda=${e.lambda} --endpoint-url cloudwatch=${e.cloudwatch} --endpoint-url dynamodb=${e.dynamodb}`,
    `  warmpool decisions --target ${target} --table ${account.table} --endpoint-url dynamodb=${e.dynamodb}`,
  ].join('\n');
}

/**
 * `warmpool local`. `until` decides when to stop (default: the first SIGTERM or SIGINT), so tests can run it
 * in-process; `choose` picks the store for `--store auto` (default: Java and the jar both present).
 */
export function localCommand(
  options: { until?: () => Promise<unknown>; choose?: () => LocalStoreChoice } = {},
): Command {
  return async (args: readonly string[], io: CliIo): Promise<number> => {
    let o: LocalOptions;
    try {
      const parsed = parseLocalArgs(args);
      if (parsed === 'help') {
        io.out(LOCAL_USAGE);
        return 0;
      }
      o = parsed;
    } catch (e) {
      if (e instanceof WarmpoolError) {
        io.err(`warmpool local: ${e.message}\n\n${LOCAL_USAGE}`);
        return 2;
      }
      throw e;
    }
    // Listen for signals before anything starts: a SIGTERM during a slow start (the JVM) still stops cleanly.
    const stopRequested = (options.until ?? untilSignal)();
    const { useLocalCredentials } = await import('../../demo/demo-store.js');
    const { chooseLocalStore, LOCAL_STORES } = await import('../../local/local-store.js');
    const { startLocalAccount } = await import('../../local/local-account.js');
    useLocalCredentials();
    let choice: LocalStoreChoice;
    if (o.store === 'embedded')
      choice = { kind: LOCAL_STORES.embedded, why: 'the embedded store (dynalite), as asked' };
    else {
      choice = (options.choose ?? chooseLocalStore)();
      if (o.store === 'dynamodb-local' && choice.kind !== LOCAL_STORES.dynamodbLocal) {
        io.err(
          `warmpool local: --store dynamodb-local: not available here (${choice.why.replace(/^.*?: /, '')})`,
        );
        return 1;
      }
    }
    let account: LocalAccount;
    try {
      account = await startLocalAccount({
        functions: o.functions,
        table: o.table,
        accountConcurrency: o.accountConcurrency,
        store: choice,
        portBase: o.portBase,
      });
    } catch (e) {
      io.err(`warmpool local: could not start: ${(e as Error).message}`);
      return 1;
    }
    // The first stdout line, whatever else is printed: scripts read it.
    io.out(JSON.stringify({ ...account.endpoints, store: account.store, table: account.table }));
    if (!o.json) io.out(describe(o, account, choice));
    const signal = await stopRequested;
    if (!o.json) io.err(`warmpool local: ${String(signal)}: stopping`);
    await account.stop();
    return 0;
  };
}

export const run: Command = localCommand();
export default run;
