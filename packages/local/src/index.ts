// Public API of @warmpool/local: loopback stand-ins of the Lambda Invoke and CloudWatch APIs, driven by the
// simulator, that real AWS SDK clients talk to, and an embedded DynamoDB-compatible store. What the CLI, the
// tests and users experimenting without AWS call; api/local.api.md lists it. Export by name; never `export *`.

// CloudWatch stand-in
export type { SimMetricProviderOptions } from './cloudwatch-provider.js';
export { simMetricProvider } from './cloudwatch-provider.js';
export type {
  CloudWatchFault,
  CloudWatchStandInOptions,
  MetricProvider,
  MetricRequest,
} from './cloudwatch-server.js';
export { CloudWatchStandIn } from './cloudwatch-server.js';
// Embedded decision store
export type { EmbeddedStoreOptions } from './embedded-store.js';
export { EmbeddedDynamoStore } from './embedded-store.js';
// Lambda stand-in and the simulated account behind it
export type { ForkedLambdaStandIn } from './fork.js';
export { forkLambdaStandIn } from './fork.js';
export type { LambdaFault } from './lambda-server.js';
export { LambdaStandIn, splitFunctionName } from './lambda-server.js';
export { sampleFunction } from './sample-function.js';
export { SimClock } from './sim-clock.js';
export type { TlsIdentity } from './tls.js';
export { selfSignedIdentity } from './tls.js';
export type {
  LocalContext,
  LocalFunctionSpec,
  LocalHandler,
  LocalWorldOptions,
  ScalingLimit,
} from './world.js';
export { DEFAULT_SCALING_LIMIT, LocalWorld } from './world.js';
