// Public API of @warmpool/warmup: the handler-side helper that runs inside users' functions. No dependencies.
// The wire protocol the controller speaks is a separate entry, `@warmpool/warmup/protocol`.
// Export by name; never `export *`.
export type { ColdStartMetricOptions } from './cold-start-metric.js';
export type { ContainerIdentity } from './container.js';
export { createContainerIdentity } from './container.js';
export type { CompatDetectorName, DetectedPing, WarmupContext, WarmupDetector } from './detectors.js';
export { clientContextDetector } from './detectors.js';
export type { MiddyRequestLike } from './middleware.js';
export { warmupMiddleware } from './middleware.js';
export type { WarmupOptions } from './options.js';
export { WARMUP_DEFAULTS, WarmupOptionError } from './options.js';
export type { WarmPingAnswer, WarmPingAnswerPayload, WarmPingMarker } from './protocol/warm-ping.js';
export type { AsyncHandler } from './with-warmup.js';
export { withWarmup } from './with-warmup.js';
