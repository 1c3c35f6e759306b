// Public API of @warmpool/warmup: the warm-ping protocol and the handler-side helper that runs inside users'
// functions. No dependencies. Export by name; never `export *`.
export const VERSION = '0.1.0' as const;

export type { ColdStartMetricOptions } from './cold-start-metric.js';
export type { ContainerIdentity } from './container.js';
export { createContainerIdentity } from './container.js';
export type { CompatDetectorName, DetectedPing, WarmupContext, WarmupDetector } from './detectors.js';
export {
  COMPAT_DETECTORS,
  clientContextDetector,
  middyWarmupDetector,
  serverlessPluginWarmupDetector,
} from './detectors.js';
export type { MiddyRequestLike } from './middleware.js';
export { warmupMiddleware } from './middleware.js';
export type { WarmupOptions } from './options.js';
export { WARMUP_DEFAULTS, WarmupOptionError } from './options.js';
export type {
  MarkerVerdict,
  WarmPingAnswer,
  WarmPingAnswerPayload,
  WarmPingMarker,
} from './protocol/warm-ping.js';
export {
  clientContextFor,
  createMarker,
  DEFAULT_MAX_HOLD_MS,
  DEFAULT_MAX_SKEW_MS,
  encodeClientContext,
  MARKER_VERDICTS,
  MAX_CLIENT_CONTEXT_BYTES,
  readAnswer,
  readMarker,
  signedText,
  signMarker,
  verifyMarker,
  WARM_PING_KEY,
  WARM_PING_PROTOCOL_VERSION,
} from './protocol/warm-ping.js';
export type { AsyncHandler } from './with-warmup.js';
export { withWarmup } from './with-warmup.js';
