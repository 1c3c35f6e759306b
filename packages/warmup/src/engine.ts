import { emfLine } from './cold-start-metric.js';
import { COMPAT_DETECTORS, type DetectedPing, type WarmupContext } from './detectors.js';
import { resolveWarmupOptions, type WarmupOptions } from './options.js';
import {
  hasMarkerKey,
  MARKER_VERDICTS,
  verifyMarker,
  WARM_PING_PROTOCOL_VERSION,
  type WarmPingAnswerPayload,
} from './protocol/warm-ping.js';

/** What both helper shapes (plain wrapper, middy middleware) share: classify, answer pings, count cold starts. */
export interface WarmupEngine {
  readonly options: WarmupOptions;
  /** The ping this invocation carries (verified), or undefined for a real invocation. */
  detect(event: unknown, context: WarmupContext): DetectedPing | undefined;
  /** Holds for min(requested, maxHoldMs), then answers. */
  answer(ping: DetectedPing, context: WarmupContext): Promise<WarmPingAnswerPayload>;
  /** Call before running the user's handler on a real invocation: emits UserColdStart when it is user-felt. */
  onReal(context: WarmupContext): void;
}

/** Margin kept before the function's own timeout, so a ping always answers instead of timing out. */
export const TIMEOUT_MARGIN_MS = 100;

/** How long a ping may still hold before the invocation times out (Lambda's default timeout is 3 s). */
function timeLeft(context: WarmupContext): number {
  const remaining = context?.getRemainingTimeInMillis;
  if (typeof remaining !== 'function') return Number.POSITIVE_INFINITY;
  const ms = Number(remaining.call(context));
  return Number.isFinite(ms) ? Math.max(0, Math.floor(ms - TIMEOUT_MARGIN_MS)) : Number.POSITIVE_INFINITY;
}

/** Inits that users never wait on: Lambda prepared the environment ahead of any request. */
const NOT_USER_FELT = new Set(['provisioned-concurrency', 'snap-start']);

export function createWarmupEngine(input: Partial<WarmupOptions> = {}): WarmupEngine {
  const options = resolveWarmupOptions(input);
  const compat = options.compat.map((name) => COMPAT_DETECTORS[name]);
  const fnName = (context: WarmupContext) =>
    (typeof context?.functionName === 'string' && context.functionName) || options.functionName || 'unknown';

  return {
    options,
    detect(event, context) {
      const hit = options.detector(event, context);
      if (hit) {
        const verdict =
          hit.source === 'client-context'
            ? verifyMarker(hit.marker, options.sharedSecret, options.now(), options.maxSkewMs)
            : 'ok';
        if (verdict === 'ok') return hit;
        // Not provably ours: run the handler as for any request, and say why in the log.
        options.log(JSON.stringify({ warmpool: 'rejected-ping', reason: verdict, tick: hit.marker.tick }));
        return undefined;
      }
      if (hasMarkerKey(context?.clientContext)) {
        // Something sits under custom.warmpool but is not a version-1 marker (a bad signature shape, a missing
        // field): not a ping, and worth a log line, since docs/protocol.md promises one for every failed marker.
        options.log(JSON.stringify({ warmpool: 'rejected-ping', reason: MARKER_VERDICTS.malformed }));
      }
      for (const d of compat) {
        const c = d(event, context);
        if (c) return c;
      }
      return undefined;
    },
    async answer(ping, context) {
      const started = options.container.takeStarted();
      const heldMs = Math.min(ping.marker.holdMs, options.maxHoldMs, timeLeft(context));
      if (started) {
        options.log(
          JSON.stringify({ warmpool: 'prewarm', containerId: options.container.id, tick: ping.marker.tick }),
        );
        if (options.prewarmMetric && options.coldStartMetric) {
          options.log(
            emfLine({ ...options.coldStartMetric, name: 'Prewarm' }, fnName(context), options.now()),
          );
        }
      }
      if (heldMs > 0) await options.sleep(heldMs);
      return {
        warmpool: {
          v: WARM_PING_PROTOCOL_VERSION,
          containerId: options.container.id,
          started,
          ageMs: Math.max(0, options.now() - options.container.startedAtMs),
          heldMs,
          tick: ping.marker.tick,
          i: ping.marker.i,
        },
      };
    },
    onReal(context) {
      const started = options.container.takeStarted();
      if (!started || !options.coldStartMetric) return;
      const initType = options.initializationType;
      if (initType !== undefined && NOT_USER_FELT.has(initType)) return;
      options.log(emfLine(options.coldStartMetric, fnName(context), options.now()));
    },
  };
}
