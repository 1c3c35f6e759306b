// Public API of @warmpool/local. Export by name; never `export *`.
export const VERSION = '0.1.0' as const;

// --- CloudWatch stand-in (helper: controller) ---
export type { SimMetricProviderOptions, SimMetricsLookup } from './cloudwatch-provider.js';
export { simMetricProvider } from './cloudwatch-provider.js';
export type {
  CloudWatchFault,
  CloudWatchStandInOptions,
  MetricProvider,
  MetricRequest,
  PutMetricDatum,
} from './cloudwatch-server.js';
export { CLOUDWATCH_FAULTS, CloudWatchStandIn } from './cloudwatch-server.js';
export { SimClock } from './sim-clock.js';
