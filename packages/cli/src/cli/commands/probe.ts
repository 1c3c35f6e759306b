import type { FanOutResult } from '@warmpool/controller';
import { createLambdaClient, fanOut, LambdaInvoker, pickHold } from '@warmpool/controller';
import {
  type CapacityObservation,
  MAX_HOLD_MS,
  MAX_WARM_CONTAINERS,
  parseFunctionRef,
  ValidationError,
} from '@warmpool/core';
import type { CliIo, Command } from '../main.js';
import { type FlagSpec, parseFlags, parseRegion } from './controller-flags.js';

export const PROBE_USAGE = `usage: warmpool probe --function NAME[:QUALIFIER] --n N [flags]

Fires one warm round and reports how many distinct containers it reached.

  --function REF       function name or ARN, with the qualifier traffic uses (api:live)
  --n N                pings to fire at once (1..${MAX_WARM_CONTAINERS})
  --hold-ms MS         how long each ping holds its container, 1..${MAX_HOLD_MS} (default: picked from N, see below)
  --timeout-ms MS      deadline of the round (default: hold + 10,000)
  --endpoint-url URL   Lambda endpoint (a stand-in, LocalStack, ...), or lambda=URL as tick takes it
  --local              start the loopback Lambda stand-in in a separate process, with a sample function
  --region REGION      AWS region (default: $AWS_REGION or us-east-1)
  --json               print {requested, distinct_containers, new_containers, throttled, wall_ms, hold_ms, ...}

The shared secret, if the function's helper checks one, is read from $WARMPOOL_SHARED_SECRET.`;

export interface ProbeOptions {
  readonly functionName: string;
  readonly qualifier: string;
  readonly n: number;
  readonly holdMs: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly endpoint: string | undefined;
  readonly local: boolean;
  readonly region: string | undefined;
  readonly json: boolean;
  /** True when no qualifier was given: `$LATEST` is probed, which is not what an alias's traffic uses. */
  readonly unqualified: boolean;
}

function integer(
  flag: string,
  raw: string | undefined,
  min: number,
  max: number,
  rule = `must be a whole number from ${min} to ${max}`,
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!(/^\d+$/.test(raw) && Number.isInteger(n) && n >= min && n <= max)) {
    throw new ValidationError(flag, rule, { detail: `got '${raw}'` });
  }
  return n;
}

/**
 * The flags, read like tick's and decisions': `--flag value` or `--flag=value`, and a value may start with one
 * dash, so `--n -3` is --n's value (rejected by --n's own rule) rather than an unknown flag.
 */
const PROBE_FLAGS: FlagSpec = {
  function: 'string',
  n: 'string',
  'hold-ms': 'string',
  'timeout-ms': 'string',
  'endpoint-url': 'string',
  local: 'boolean',
  region: 'string',
  json: 'boolean',
  help: 'boolean',
};

/** Parses and checks the flags; every error names the flag and the rule. */
export function parseProbeArgs(args: readonly string[]): ProbeOptions | 'help' {
  // The scanner reads an empty value as a missing one; an empty --function is given, but is no name.
  const emptyFunction = args.some(
    (a, i) => a === '--function=' || (a === '--function' && args[i + 1] === ''),
  );
  if (emptyFunction)
    throw new ValidationError('--function', 'must not be empty (NAME[:QUALIFIER], e.g. api:live)');
  const values = parseFlags('probe', args, PROBE_FLAGS);
  if (values.help) return 'help';
  const raw = values.function as string | undefined;
  if (raw === undefined)
    throw new ValidationError('--function', 'is required (NAME[:QUALIFIER], e.g. api:live)');
  const ref = parseFunctionRef(raw);
  if (!ref)
    throw new ValidationError('--function', 'must be a function name or ARN, optionally with :QUALIFIER', {
      detail: `got '${raw}'`,
    });
  const n = integer('--n', values.n as string | undefined, 1, MAX_WARM_CONTAINERS);
  if (n === undefined) throw new ValidationError('--n', 'is required (the number of containers to warm)');
  // The config's holdMs rule: a ping that holds for 0 ms overlaps no other, so it cannot spread containers.
  const holdMs = integer(
    '--hold-ms',
    values['hold-ms'] as string | undefined,
    1,
    MAX_HOLD_MS,
    `must be a whole number of ms from 1 to ${MAX_HOLD_MS} (MAX_HOLD_MS, as the config's holdMs)`,
  );
  const timeoutMs = integer('--timeout-ms', values['timeout-ms'] as string | undefined, 1, 900_000);
  if (timeoutMs !== undefined && holdMs !== undefined && timeoutMs <= holdMs) {
    throw new ValidationError('--timeout-ms', 'must be longer than --hold-ms', {
      detail: `${timeoutMs} <= ${holdMs}`,
    });
  }
  // `lambda=URL` as tick takes it, so the endpoints `warmpool local` prints work for both; probe calls Lambda only.
  const rawEndpoint = values['endpoint-url'] as string | undefined;
  const endpoint = rawEndpoint?.startsWith('lambda=') ? rawEndpoint.slice('lambda='.length) : rawEndpoint;
  if (endpoint !== undefined && !/^https?:\/\/[^\s]+$/.test(endpoint)) {
    throw new ValidationError(
      '--endpoint-url',
      'must be an http(s) URL, or lambda=URL (probe calls Lambda only)',
      {
        detail: `got '${rawEndpoint}'`,
      },
    );
  }
  if (endpoint && values.local)
    throw new ValidationError('--local', 'cannot be combined with --endpoint-url');
  return {
    functionName: ref.unqualified,
    qualifier: ref.qualifier ?? '$LATEST',
    unqualified: ref.qualifier === undefined,
    n,
    holdMs,
    timeoutMs,
    endpoint,
    local: values.local === true,
    region: parseRegion(values.region as string | undefined),
    json: values.json === true,
  };
}

function report(o: ProbeOptions, r: FanOutResult, holdWhy: string | null): string {
  const reasons = Object.entries(r.throttleReasons).map(([k, v]) => `${k} x${v}`);
  const failures = Object.entries(r.failures).map(([k, v]) => `${k} x${v}`);
  return [
    `probe ${o.functionName}:${o.qualifier}${o.local ? ' (local stand-in)' : ''}`,
    `  requested            ${r.requested}`,
    `  sent                 ${r.sent}`,
    `  distinct containers  ${r.distinctContainers}${r.requested ? ` (${Math.round((100 * r.distinctContainers) / r.requested)}%)` : ''}`,
    `  new containers       ${r.newContainers} (prewarms: pings that started their container)`,
    `  throttled            ${r.throttled}${reasons.length ? ` (${reasons.join(', ')})` : ''}`,
    `  failed               ${r.failed}${failures.length ? ` (${failures.join(', ')})` : ''}`,
    `  hold                 ${r.holdMs} ms${holdWhy ? ` (${holdWhy})` : ''}`,
    `  wall time            ${r.wallMs} ms (${Math.max(0, r.wallMs - r.holdMs)} ms beyond the hold)`,
    ...(r.stoppedEarly ? [`  stopped early        ${r.stoppedEarly}`] : []),
  ].join('\n');
}

function capacityLine(c: CapacityObservation | null): string {
  if (!c)
    return '  capacity             unknown (GetFunctionConcurrency / GetAccountSettings not allowed or failed)';
  const reserved = c.reservedConcurrency === null ? 'none' : String(c.reservedConcurrency);
  const unreserved = c.unreservedConcurrency === null ? 'unknown' : String(c.unreservedConcurrency);
  return `  capacity             reserved concurrency ${reserved}, account unreserved ${unreserved}`;
}

/** `warmpool probe`. */
export const run: Command = async (args: readonly string[], io: CliIo): Promise<number> => {
  let o: ProbeOptions;
  try {
    const parsed = parseProbeArgs(args);
    if (parsed === 'help') {
      io.out(PROBE_USAGE);
      return 0;
    }
    o = parsed;
  } catch (e) {
    io.err(`warmpool probe: ${e instanceof Error ? e.message : String(e)}\n\n${PROBE_USAGE}`);
    return 2;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (o.unqualified) {
    io.err(
      `warmpool probe: warning: no qualifier given, probing ${o.functionName}:$LATEST. Traffic through an alias ` +
        'runs on other containers: pass NAME:ALIAS to probe what your users hit.',
    );
  }
  const choice = o.holdMs === undefined ? pickHold(o.n, null) : null;
  const holdMs = o.holdMs ?? (choice as NonNullable<typeof choice>).holdMs;
  const timeoutMs = o.timeoutMs ?? holdMs + 10_000;

  let stopLocal: (() => Promise<void>) | undefined;
  let endpoint = o.endpoint;
  try {
    if (o.local) {
      const { forkLambdaStandIn } = await import('@warmpool/local');
      const standIn = await forkLambdaStandIn({
        functions: [{ name: o.functionName, qualifiers: [...new Set([o.qualifier, '$LATEST'])] }],
      });
      stopLocal = () => standIn.stop();
      endpoint = standIn.endpoint;
    }
    const loopback = endpoint !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(endpoint);
    const client = createLambdaClient({
      endpoint,
      region: o.region,
      maxSockets: Math.max(50, o.n),
      credentials: loopback ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined,
    });
    try {
      const invoker = new LambdaInvoker(client);
      // Informational (the controller budgets with it); a caller without the permissions still gets a probe.
      const capacity = await invoker.readCapacity(o.functionName).catch(() => null);
      const result = await fanOut({
        invoker,
        functionName: o.functionName,
        qualifier: o.qualifier,
        n: o.n,
        holdMs,
        timeoutMs,
        tickId: `probe-${Date.now().toString(36)}`,
        sharedSecret: process.env.WARMPOOL_SHARED_SECRET || undefined,
      });
      if (o.json) {
        io.out(
          JSON.stringify({
            requested: result.requested,
            distinct_containers: result.distinctContainers,
            new_containers: result.newContainers,
            throttled: result.throttled,
            wall_ms: result.wallMs,
            hold_ms: result.holdMs,
            throttle_reasons: result.throttleReasons,
            failed: result.failed,
            unrecognised: result.unrecognised,
          }),
        );
      } else io.out(`${report(o, result, choice?.why ?? null)}\n${capacityLine(capacity)}`);
      if (result.unrecognised > 0) {
        io.err(
          `warmpool probe: WARNING: ${result.unrecognised} of ${result.sent} answers lacked the Warmpool protocol: ` +
            `the helper (withWarmup or warmupMiddleware from @warmpool/core/warmup) is not installed in ` +
            `${o.functionName}:${o.qualifier}, so warming cannot work (pings ran the handler).`,
        );
        return 1;
      }
      return result.succeeded > 0 ? 0 : 1;
    } finally {
      client.destroy();
    }
  } catch (e) {
    io.err(`warmpool probe: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await stopLocal?.();
  }
};

export default run;
