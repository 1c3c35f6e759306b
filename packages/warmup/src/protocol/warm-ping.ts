/**
 * The warm-ping protocol, version 1 (docs/protocol.md). Shared by the controller (which builds markers) and the
 * handler-side helper (which reads them and answers), so this file imports nothing but node:crypto: the helper
 * runs inside users' functions and must stay tiny.
 *
 * The marker travels in the Invoke call's ClientContext, under `custom.warmpool`. Only a direct, synchronous
 * Invoke can set ClientContext: API Gateway, function URLs and event sources cannot, so an HTTP caller cannot
 * forge a ping by putting a marker in the request body.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const WARM_PING_PROTOCOL_VERSION = 1 as const;

/** The key under ClientContext `custom` (and in the answer payload). */
export const WARM_PING_KEY = 'warmpool' as const;

/** Lambda's limit on the decoded ClientContext, in bytes. */
export const MAX_CLIENT_CONTEXT_BYTES = 3583;

/**
 * The helper's default cap on a ping's hold, equal to the config's MAX_HOLD_MS (kept in step by a test; the
 * helper may not import the config module).
 */
export const DEFAULT_MAX_HOLD_MS = 10_000;

/** How far a signed marker's `ts` may be from the container's clock before it is rejected. */
export const DEFAULT_MAX_SKEW_MS = 60_000;

/** What the controller puts under `ClientContext.custom.warmpool`. */
export interface WarmPingMarker {
  readonly v: typeof WARM_PING_PROTOCOL_VERSION;
  /** The tick id (one per warm round; the same for every ping of the round). */
  readonly tick: string;
  /** The ping's index in the round, 0-based. */
  readonly i: number;
  /** Requested hold in ms; the helper caps it with its own `maxHoldMs`. */
  readonly holdMs: number;
  /** Controller time (epoch ms) when the round was signed. */
  readonly ts: number;
  /** Hex HMAC-SHA256 over `signedText(tick, ts, holdMs)`, present when a shared secret is configured. */
  readonly sig?: string | undefined;
}

/** What a container answers to a ping, under the payload key `warmpool`. */
export interface WarmPingAnswer {
  readonly v: typeof WARM_PING_PROTOCOL_VERSION;
  /** Stable for the container's life: generated at module load. */
  readonly containerId: string;
  /** This ping was the container's first invocation: it started the container (a prewarm). */
  readonly started: boolean;
  /** ms since the container's module was loaded. */
  readonly ageMs: number;
  /** ms the ping actually held the container (after the `maxHoldMs` cap). */
  readonly heldMs: number;
  /** Echo of the marker's tick and index, so answers can be matched to rounds. */
  readonly tick: string;
  readonly i: number;
}

export interface WarmPingAnswerPayload {
  readonly warmpool: WarmPingAnswer;
}

/** The text the HMAC covers. The index is left out so one signature serves a whole round. */
export function signedText(tick: string, ts: number, holdMs: number): string {
  return `warmpool/v${WARM_PING_PROTOCOL_VERSION}\n${tick}\n${ts}\n${holdMs}`;
}

export function signMarker(secret: string, tick: string, ts: number, holdMs: number): string {
  return createHmac('sha256', secret)
    .update(signedText(tick, ts, holdMs))
    .digest('hex');
}

/** A marker for ping `i` of a round; signed when `secret` is given. */
export function createMarker(input: {
  readonly tick: string;
  readonly i: number;
  readonly holdMs: number;
  readonly ts: number;
  readonly secret?: string | undefined;
  /** A precomputed signature for this round (saves one HMAC per ping). */
  readonly sig?: string | undefined;
}): WarmPingMarker {
  const sig =
    input.sig ?? (input.secret ? signMarker(input.secret, input.tick, input.ts, input.holdMs) : undefined);
  const base = {
    v: WARM_PING_PROTOCOL_VERSION,
    tick: input.tick,
    i: input.i,
    holdMs: input.holdMs,
    ts: input.ts,
  };
  return sig ? { ...base, sig } : base;
}

/** The ClientContext object for a marker (`{ custom: { warmpool: marker } }`). */
export function clientContextFor(marker: WarmPingMarker): { custom: { warmpool: WarmPingMarker } } {
  return { custom: { [WARM_PING_KEY]: marker } };
}

/** The base64 JSON that the Invoke API's `ClientContext` parameter carries. */
export function encodeClientContext(marker: WarmPingMarker): string {
  return Buffer.from(JSON.stringify(clientContextFor(marker))).toString('base64');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const MAX_TICK_LENGTH = 256;

/**
 * The marker in a parsed ClientContext (what the Node runtime hands over as `context.clientContext`), or
 * undefined when there is none or it does not have the version-1 shape. Strict: a malformed marker is not a ping.
 */
export function readMarker(clientContext: unknown): WarmPingMarker | undefined {
  if (!isObject(clientContext) || !isObject(clientContext.custom)) return undefined;
  const m = clientContext.custom[WARM_PING_KEY];
  if (!isObject(m)) return undefined;
  if (m.v !== WARM_PING_PROTOCOL_VERSION) return undefined;
  if (typeof m.tick !== 'string' || m.tick.length === 0 || m.tick.length > MAX_TICK_LENGTH) return undefined;
  if (!(Number.isInteger(m.i) && (m.i as number) >= 0)) return undefined;
  if (!(typeof m.holdMs === 'number' && Number.isFinite(m.holdMs) && m.holdMs >= 0)) return undefined;
  if (!(typeof m.ts === 'number' && Number.isFinite(m.ts))) return undefined;
  if (m.sig !== undefined && (typeof m.sig !== 'string' || !/^[0-9a-f]{64}$/.test(m.sig))) return undefined;
  return createMarker({
    tick: m.tick,
    i: m.i as number,
    holdMs: m.holdMs,
    ts: m.ts,
    sig: m.sig as string | undefined,
  });
}

/**
 * Whether a ClientContext carries anything under `custom.warmpool`, well-formed or not. A present but malformed
 * marker is not a ping; the helper logs it as a rejected ping rather than passing over it in silence.
 */
export function hasMarkerKey(clientContext: unknown): boolean {
  return isObject(clientContext) && isObject(clientContext.custom) && WARM_PING_KEY in clientContext.custom;
}

export const MARKER_VERDICTS = {
  ok: 'ok',
  malformed: 'malformed',
  missingSignature: 'missing-signature',
  badSignature: 'bad-signature',
  clockSkew: 'clock-skew',
} as const;
export type MarkerVerdict = (typeof MARKER_VERDICTS)[keyof typeof MARKER_VERDICTS];

/**
 * Checks a marker against the shared secret: the signature must match (timing-safe compare) and `ts` must be
 * within `maxSkewMs` of `nowMs`, which bounds how long a captured marker could be replayed. Without a secret
 * every well-formed marker is accepted (ClientContext itself is the trust boundary).
 */
export function verifyMarker(
  marker: WarmPingMarker,
  secret: string | undefined,
  nowMs: number,
  maxSkewMs: number = DEFAULT_MAX_SKEW_MS,
): MarkerVerdict {
  if (!secret) return MARKER_VERDICTS.ok;
  if (!marker.sig) return MARKER_VERDICTS.missingSignature;
  const expected = Buffer.from(signMarker(secret, marker.tick, marker.ts, marker.holdMs), 'hex');
  const given = Buffer.from(marker.sig, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return MARKER_VERDICTS.badSignature;
  if (Math.abs(nowMs - marker.ts) > maxSkewMs) return MARKER_VERDICTS.clockSkew;
  return MARKER_VERDICTS.ok;
}

/** The answer in an Invoke response payload (already JSON-parsed), or undefined when it lacks the protocol. */
export function readAnswer(payload: unknown): WarmPingAnswer | undefined {
  if (!isObject(payload) || !isObject(payload[WARM_PING_KEY])) return undefined;
  const a = payload[WARM_PING_KEY];
  if (a.v !== WARM_PING_PROTOCOL_VERSION) return undefined;
  if (typeof a.containerId !== 'string' || a.containerId.length === 0) return undefined;
  if (typeof a.started !== 'boolean') return undefined;
  if (typeof a.ageMs !== 'number' || typeof a.heldMs !== 'number') return undefined;
  return {
    v: WARM_PING_PROTOCOL_VERSION,
    containerId: a.containerId,
    started: a.started,
    ageMs: a.ageMs,
    heldMs: a.heldMs,
    tick: typeof a.tick === 'string' ? a.tick : '',
    i: typeof a.i === 'number' ? a.i : -1,
  };
}
