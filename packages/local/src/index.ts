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
// --- embedded decision store for the demo (helper: demo) ---
export type { EmbeddedStoreOptions } from './embedded-store.js';
export { EMBEDDED_STORE_UNSUPPORTED, EmbeddedDynamoStore } from './embedded-store.js';
// (end of the demo section)
// --- Lambda Invoke stand-in, LocalWorld (helper: warming) ---
export type { ForkedLambdaStandIn } from './fork.js';
export { forkLambdaStandIn } from './fork.js';
export type { LocalLambdaProcessConfig } from './lambda-process.js';
export type { LambdaFault, LambdaFaultKind } from './lambda-server.js';
export { LAMBDA_FAULTS, LambdaStandIn, splitFunctionName } from './lambda-server.js';
export { SAMPLE_FUNCTION_NAME, sampleFunction, sampleHandler } from './sample-function.js';
export { SimClock } from './sim-clock.js';
export type { TlsIdentity } from './tls.js';
export { selfSignedIdentity } from './tls.js';
export type {
  LocalContext,
  LocalFunctionSpec,
  LocalHandler,
  LocalWorldOptions,
  ScalingLimit,
  WorldInvokeResult,
} from './world.js';
export { ACCOUNT_ID, DEFAULT_SCALING_LIMIT, LocalWorld, REGION } from './world.js';
