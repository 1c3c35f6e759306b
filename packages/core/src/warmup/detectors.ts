import { readMarker, WARM_PING_PROTOCOL_VERSION, type WarmPingMarker } from '../protocol/warm-ping.js';

/** The parts of the Lambda context the helper reads. */
export interface WarmupContext {
  readonly functionName?: string;
  readonly clientContext?: unknown;
  /** Caps a ping's hold so it answers before the function's own timeout. */
  readonly getRemainingTimeInMillis?: () => number;
  readonly [key: string]: unknown;
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

/**
 * serverless-plugin-warmup's payload, `{"source":"serverless-plugin-warmup"}`, in the EVENT. FORGEABLE: the
 * event is whatever the caller sent, so anyone who can reach the function over HTTP can trigger it. Opt in
 * only while migrating. It does not hold (the plugin's pings carry no hold).
 */
export const serverlessPluginWarmupDetector: WarmupDetector = (event) => {
  if (
    typeof event === 'object' &&
    event !== null &&
    (event as { source?: unknown }).source === 'serverless-plugin-warmup'
  )
    return { marker: compatMarker(), source: 'serverless-plugin-warmup' };
  return undefined;
};

/**
 * middy's `warmup` middleware default detector (`event.source === 'serverless-plugin-warmup'`), answered as
 * middy answers it. FORGEABLE for the same reason as the plugin's payload.
 */
export const middyWarmupDetector: WarmupDetector = (event) => {
  const hit = serverlessPluginWarmupDetector(event, {});
  return hit ? { marker: hit.marker, source: 'middy' } : undefined;
};

export const COMPAT_DETECTORS = {
  'serverless-plugin-warmup': serverlessPluginWarmupDetector,
  middy: middyWarmupDetector,
} as const;
export type CompatDetectorName = keyof typeof COMPAT_DETECTORS;
