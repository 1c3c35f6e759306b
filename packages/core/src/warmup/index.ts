// `@warmpool/core/warmup`: the handler-side helper alone, for users' functions (no config, no simulator).
export type { WarmPingAnswer, WarmPingAnswerPayload, WarmPingMarker } from '../protocol/warm-ping.js';
export { WARM_PING_PROTOCOL_VERSION } from '../protocol/warm-ping.js';
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
export type { AsyncHandler } from './with-warmup.js';
export { withWarmup } from './with-warmup.js';
