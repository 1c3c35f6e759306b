import { readMarker, WARM_PING_PROTOCOL_VERSION, type WarmPingMarker } from './protocol/warm-ping.js';

/**
 * The parts of the Lambda context the helper reads. Structural and without an index signature, so that
 * `Context` from @types/aws-lambda (and any narrower test double) satisfies it.
 */
export interface WarmupContext {
  readonly functionName?: string;
  readonly clientContext?: unknown;
  /** Caps a ping's hold so it answers before the function's own timeout. */
  readonly getRemainingTimeInMillis?: () => number;
}

/**
 * Decides whether an invocation is a warm ping. Returns the marker (what to hold, what to echo) or undefined
 * for a real invocation. `signed: false` markers from compat detectors skip the HMAC check: they cannot carry one.
 */
export type WarmupDetector = (event: unknown, context: WarmupContext) => DetectedPing | undefined;

export interface DetectedPing {
  readonly marker: WarmPingMarker;
  /** Where the marker came from; compat markers are forgeable and never signed. */
  readonly source: 'client-context' | 'serverless-plugin-warmup' | 'middy';
}

/** The Warmpool protocol: the marker under ClientContext `custom.warmpool` (cannot be set by HTTP callers). */
export const clientContextDetector: WarmupDetector = (_event, context) => {
  const marker = readMarker(context?.clientContext);
  return marker ? { marker, source: 'client-context' } : undefined;
};

function compatMarker(i = 0): WarmPingMarker {
  return { v: WARM_PING_PROTOCOL_VERSION, tick: 'compat', i, holdMs: 0, ts: 0 };
}

const PLUGIN_SOURCE = 'serverless-plugin-warmup';

function pluginSourceIn(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as { source?: unknown }).source === PLUGIN_SOURCE;
}

/**
 * serverless-plugin-warmup's pings: the payload `{"source":"serverless-plugin-warmup"}` in the EVENT, or the
 * same under ClientContext `custom` (where the plugin also puts it; older Node runtimes exposed it as
 * `context.custom`). The event check is FORGEABLE: the event is whatever the caller sent, so anyone who can
 * reach the function over HTTP can trigger it. Opt in only while migrating. It does not hold (the plugin's
 * pings carry no hold).
 */
export const serverlessPluginWarmupDetector: WarmupDetector = (event, context) => {
  const cc = context?.clientContext as { custom?: unknown } | undefined;
  if (
    pluginSourceIn(event) ||
    pluginSourceIn(cc?.custom) ||
    pluginSourceIn((context as { custom?: unknown } | undefined)?.custom)
  )
    return { marker: compatMarker(), source: 'serverless-plugin-warmup' };
  return undefined;
};

/**
 * middy's `warmup` middleware default detector (`event.source === 'serverless-plugin-warmup'`), answered as
 * a warm ping. FORGEABLE for the same reason as the plugin's payload.
 */
export const middyWarmupDetector: WarmupDetector = (event) => {
  return pluginSourceIn(event) ? { marker: compatMarker(), source: 'middy' } : undefined;
};

export const COMPAT_DETECTORS = {
  'serverless-plugin-warmup': serverlessPluginWarmupDetector,
  middy: middyWarmupDetector,
} as const;
export type CompatDetectorName = keyof typeof COMPAT_DETECTORS;
