import { ValidationError } from '@warmpool/core';

/** Flags of `warmpool tick` and `warmpool decisions`: `--name value`, `--name=value`, or a boolean `--name`. */
export type FlagSpec = Readonly<Record<string, 'string' | 'boolean' | 'repeat'>>;
export type ParsedFlags = Record<string, string | boolean | string[] | undefined>;

/** Parses `args` against `spec`; an unknown flag, a missing value or a stray argument names the flag and rule. */
export function parseFlags(command: string, args: readonly string[], spec: FlagSpec): ParsedFlags {
  const out: ParsedFlags = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-h' && spec.help === 'boolean') {
      out.help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      throw new ValidationError(arg, `is not a flag of warmpool ${command} (flags start with --)`);
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const kind = spec[name];
    if (!kind) throw new ValidationError(`--${name}`, `is not a flag of warmpool ${command}`);
    if (kind === 'boolean') {
      if (eq >= 0) throw new ValidationError(`--${name}`, 'takes no value');
      out[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) {
      throw new ValidationError(`--${name}`, 'needs a value');
    }
    if (kind === 'repeat') out[name] = [...((out[name] as string[] | undefined) ?? []), value];
    else if (out[name] !== undefined) throw new ValidationError(`--${name}`, 'may be given only once');
    else out[name] = value;
  }
  return out;
}

const DURATION = /^(\d+(?:\.\d+)?)(s|m|h|d)$/;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: a duration back from `nowMs` (`90m`, `6h`, `2d`) or an ISO 8601 time. Returns epoch ms. */
export function parseSince(text: string, nowMs: number): number {
  const m = DURATION.exec(text.trim());
  if (m) {
    const back = Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    if (!(back > 0)) {
      throw new ValidationError('--since', 'must reach back more than 0 (e.g. 90m, 6h or 2d)', {
        detail: `got '${text}'`,
      });
    }
    return nowMs - back;
  }
  const t = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && Number.isFinite(t)) {
    if (t >= nowMs) {
      throw new ValidationError('--since', 'must be a time in the past', {
        detail: `got '${text}', now is ${new Date(nowMs).toISOString()}`,
      });
    }
    return t;
  }
  throw new ValidationError('--since', 'must be a duration such as 90m, 6h or 2d, or an ISO 8601 time', {
    detail: `got '${text}'`,
  });
}

export const ENDPOINT_SERVICES = ['cloudwatch', 'dynamodb', 'lambda'] as const;
export type EndpointService = (typeof ENDPOINT_SERVICES)[number];

/** `--region`: an AWS region name such as us-east-1 or eu-central-2 (checked before any client is built). */
export function parseRegion(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(text)) {
    throw new ValidationError('--region', 'must be an AWS region such as us-east-1', {
      detail: `got '${text}'`,
    });
  }
  return text;
}

/**
 * `--endpoint-url URL` sends every AWS client there; `--endpoint-url SERVICE=URL` (cloudwatch, dynamodb,
 * lambda; repeatable) one client only, for loopback stand-ins that listen on separate ports.
 */
export function parseEndpoints(
  values: readonly string[] | undefined,
  services: readonly EndpointService[] = ENDPOINT_SERVICES,
): {
  cloudwatch?: string;
  dynamodb?: string;
  lambda?: string;
} {
  const out: { cloudwatch?: string; dynamodb?: string; lambda?: string } = {};
  const rule = `must be a URL (http://host:port) or SERVICE=URL, SERVICE one of ${services.join(', ')}`;
  for (const v of values ?? []) {
    const named = /^([a-z0-9-]+)=(.+)$/.exec(v);
    if (named && !services.includes(named[1] as EndpointService)) {
      throw new ValidationError('--endpoint-url', rule, { detail: `got '${v}'` });
    }
    const m = /^(cloudwatch|dynamodb|lambda)=(.+)$/.exec(v);
    const url = m ? (m[2] as string) : v;
    if (!/^https?:\/\/[^\s/]+/.test(url)) {
      throw new ValidationError('--endpoint-url', rule, { detail: `got '${v}'` });
    }
    if (m) out[m[1] as 'cloudwatch' | 'dynamodb' | 'lambda'] = url;
    else {
      out.cloudwatch ??= url;
      out.dynamodb ??= url;
      out.lambda ??= url;
    }
  }
  return out;
}

/**
 * True when every one of `services` is sent to a loopback address (`warmpool local`, DynamoDB Local): the
 * stand-ins accept any signature, so the caller may sign with placeholder credentials when it has none.
 */
export function allLoopback(
  endpoints: { cloudwatch?: string; dynamodb?: string; lambda?: string },
  services: readonly EndpointService[],
): boolean {
  return services.every((s) =>
    /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(endpoints[s] ?? ''),
  );
}

/**
 * The flag scanner of `warmpool backtest` and `warmpool demo` (`--flag value` or `--flag=value`): value flags
 * once each, boolean flags without a value. Errors name the flag and the rule ('unknown flag', 'needs a value',
 * 'given more than once', 'takes no value'; a stray word is an 'unexpected argument').
 */
export function scanFlags(
  args: readonly string[],
  valueFlags: ReadonlySet<string>,
  booleanFlags: ReadonlySet<string>,
): { values: Map<string, string>; booleans: Set<string> } {
  const values = new Map<string, string>();
  const booleans = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (booleanFlags.has(name)) {
      if (eq > 0) throw new ValidationError(name, 'takes no value');
      booleans.add(name);
      continue;
    }
    if (!valueFlags.has(name)) {
      throw new ValidationError(
        arg.startsWith('-') ? name : 'arguments',
        arg.startsWith('-') ? 'unknown flag' : 'unexpected argument',
        { detail: arg },
      );
    }
    const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || (value.startsWith('--') && eq < 0))
      throw new ValidationError(name, 'needs a value');
    if (values.has(name)) throw new ValidationError(name, 'given more than once');
    values.set(name, value);
  }
  return { values, booleans };
}

/** `--seed`: an integer (negative allowed), as text; `fallback` when the flag is absent. */
export function parseSeed(text: string | undefined, fallback: string): number {
  const seedText = text ?? fallback;
  const seed = Number(seedText);
  if (!(/^-?\d+$/.test(seedText) && Number.isSafeInteger(seed))) {
    throw new ValidationError(
      '--seed',
      `must be an integer from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`,
      {
        detail: `got '${seedText}'`,
      },
    );
  }
  return seed;
}
