import type { ColdStartMetricOptions } from './cold-start-metric.js';
import { type ContainerIdentity, MODULE_CONTAINER } from './container.js';
import {
  COMPAT_DETECTORS,
  type CompatDetectorName,
  clientContextDetector,
  type WarmupDetector,
} from './detectors.js';
import { DEFAULT_MAX_HOLD_MS, DEFAULT_MAX_SKEW_MS } from './protocol/warm-ping.js';

/**
 * Bad options for the helper. Mirrors core's ValidationError (name, field, rule) without importing it: the
 * helper may import nothing from core but the protocol.
 */
export class WarmupOptionError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`withWarmup options.${field}: ${rule}`);
  }
}

export interface WarmupOptions {
  /** Longest a ping may hold the container; a longer request is capped. Default 10,000 (config's MAX_HOLD_MS). */
  readonly maxHoldMs: number;
  /** Shared secret: when set, only markers with a valid HMAC within `maxSkewMs` are pings. */
  readonly sharedSecret: string | undefined;
  readonly maxSkewMs: number;
  /** Recognises pings; default: the ClientContext marker. */
  readonly detector: WarmupDetector;
  /** Opt-in, FORGEABLE detectors for users migrating from serverless-plugin-warmup or middy's warmup. */
  readonly compat: readonly CompatDetectorName[];
  /**
   * The user-felt cold-start record, or false to emit none. Default: `UserColdStart` in namespace `Warmpool`,
   * shaped like Powertools' EMF. Never Powertools' own `ColdStart` name (see docs/config.md): Powertools counts
   * the first invocation it handles on a container, which under warming is a prewarmed container's first real
   * request, or the ping itself.
   */
  readonly coldStartMetric: ColdStartMetricOptions | false;
  /**
   * Prewarms (pings that started their container) are logged as a `{"warmpool":"prewarm",…}` line; set true to
   * also emit a `Prewarm` EMF metric (same namespace and dimensions; one more custom metric to pay for).
   */
  readonly prewarmMetric: boolean;
  /** `AWS_LAMBDA_INITIALIZATION_TYPE`; 'provisioned-concurrency' and 'snap-start' inits are not user-felt cold starts. */
  readonly initializationType: string | undefined;
  /** Function name for the metric dimensions when the context has none (`AWS_LAMBDA_FUNCTION_NAME`). */
  readonly functionName: string | undefined;
  /** Where EMF and log lines go. Default: raw stdout, as Powertools writes EMF. */
  readonly log: (line: string) => void;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** This container's identity. Default: generated at module load. Stand-ins and tests inject their own. */
  readonly container: ContainerIdentity;
}

export const WARMUP_DEFAULTS: Omit<WarmupOptions, 'sharedSecret' | 'initializationType' | 'functionName'> = {
  maxHoldMs: DEFAULT_MAX_HOLD_MS,
  maxSkewMs: DEFAULT_MAX_SKEW_MS,
  detector: clientContextDetector,
  compat: [],
  coldStartMetric: {
    namespace: 'Warmpool',
    name: 'UserColdStart',
    dimensions: { service: `\${functionName}`, function_name: `\${functionName}` },
  },
  prewarmMetric: false,
  log: (line) => {
    process.stdout.write(`${line}\n`);
  },
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  container: MODULE_CONTAINER,
};

const KNOWN = new Set<string>([
  ...Object.keys(WARMUP_DEFAULTS),
  'sharedSecret',
  'initializationType',
  'functionName',
]);
const MIN_SECRET_LENGTH = 16;

/** Powertools' cold-start metric name (hard-coded there). The helper's record must never share it. */
export const POWERTOOLS_COLD_START_NAME = 'ColdStart';

/** `{ ...defaults, ...options }`, with unknown options and bad values rejected by name. */
export function resolveWarmupOptions(options: Partial<WarmupOptions> = {}): WarmupOptions {
  if (typeof options !== 'object' || options === null)
    throw new WarmupOptionError('(options)', 'must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key))
      throw new WarmupOptionError(key, `unknown option (known: ${[...KNOWN].sort().join(', ')})`);
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const env = typeof process === 'undefined' ? {} : process.env;
  // Set but empty is a deployment mistake, not a request to turn verification off: fail closed and say so.
  const envSecret = env.WARMPOOL_SHARED_SECRET;
  if (envSecret !== undefined && envSecret.trim() === '' && options.sharedSecret === undefined)
    throw new WarmupOptionError(
      'sharedSecret',
      "WARMPOOL_SHARED_SECRET is set but empty: set it to the controller's secret, or unset it to accept unsigned pings",
    );
  const o: WarmupOptions = {
    ...WARMUP_DEFAULTS,
    sharedSecret: envSecret,
    initializationType: env.AWS_LAMBDA_INITIALIZATION_TYPE,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    ...defined,
  };
  if (!(Number.isFinite(o.maxHoldMs) && o.maxHoldMs >= 0))
    throw new WarmupOptionError('maxHoldMs', 'must be a number >= 0');
  if (!(Number.isFinite(o.maxSkewMs) && o.maxSkewMs > 0))
    throw new WarmupOptionError('maxSkewMs', 'must be a number > 0');
  if (
    o.sharedSecret !== undefined &&
    (typeof o.sharedSecret !== 'string' || o.sharedSecret.length < MIN_SECRET_LENGTH)
  )
    throw new WarmupOptionError(
      'sharedSecret',
      `must be a string of at least ${MIN_SECRET_LENGTH} characters`,
    );
  if (typeof o.detector !== 'function') throw new WarmupOptionError('detector', 'must be a function');
  if (!Array.isArray(o.compat)) throw new WarmupOptionError('compat', 'must be an array');
  for (const c of o.compat) {
    if (!Object.hasOwn(COMPAT_DETECTORS, c))
      throw new WarmupOptionError(
        'compat',
        `unknown detector '${String(c)}' (known: ${Object.keys(COMPAT_DETECTORS).join(', ')})`,
      );
  }
  if (o.sharedSecret !== undefined && o.compat.length > 0)
    throw new WarmupOptionError(
      'compat',
      'cannot be combined with sharedSecret: compat markers cannot be signed, so anyone able to send one would bypass the secret',
    );
  const m = o.coldStartMetric;
  if (m !== false) {
    if (
      typeof m !== 'object' ||
      m === null ||
      typeof m.namespace !== 'string' ||
      !m.namespace ||
      typeof m.name !== 'string' ||
      !m.name
    )
      throw new WarmupOptionError(
        'coldStartMetric',
        'must be false or { namespace, name, dimensions } with non-empty strings',
      );
    if (
      typeof m.dimensions !== 'object' ||
      m.dimensions === null ||
      Object.values(m.dimensions).some((v) => typeof v !== 'string')
    )
      throw new WarmupOptionError('coldStartMetric.dimensions', 'must be an object of string values');
    if (m.name === POWERTOOLS_COLD_START_NAME)
      throw new WarmupOptionError(
        'coldStartMetric.name',
        `must not be '${POWERTOOLS_COLD_START_NAME}': that is Powertools' metric, which under warming counts a prewarmed container's first real request (or the ping itself); keep the default 'UserColdStart'`,
      );
  }
  for (const f of ['log', 'now', 'sleep'] as const) {
    if (typeof o[f] !== 'function') throw new WarmupOptionError(f, 'must be a function');
  }
  if (typeof o.container?.takeStarted !== 'function' || typeof o.container.id !== 'string')
    throw new WarmupOptionError('container', 'must be a ContainerIdentity (id, startedAtMs, takeStarted)');
  return o;
}
