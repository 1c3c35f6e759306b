// Public API of @warmpool/cli: the `warmpool` command's entry point and the demo's driver, which the end-to-end
// tests reuse. Export by name; never `export *`.
export const VERSION = '0.1.0' as const;

export { decisionsCommand, readDecisions } from './cli/commands/decisions.js';
export { localCommand } from './cli/commands/local.js';
export type { BuildTickDeps } from './cli/commands/tick.js';
export { tickCommand } from './cli/commands/tick.js';
export { main } from './cli/main.js';
export type { DemoStore } from './demo/demo-store.js';
export { DEMO_DIR, DEMO_TABLE, openDemoStore, useLocalCredentials } from './demo/demo-store.js';
export type { LocalStackOptions } from './demo/local-stack.js';
export { LocalStack } from './demo/local-stack.js';
export type { DemoFunctionResult, DemoOptions, DemoResult } from './demo/run-demo.js';
export { DEMO_HOLD_MS, DEMO_TICK_MS, runDemo, truncateTrace } from './demo/run-demo.js';
export type { StreamTotals, TrafficStream } from './demo/traffic-replay.js';
export { TrafficReplay } from './demo/traffic-replay.js';
export { DYNAMODB_LOCAL_DIR_ENV } from './local/dynamodb-local.js';
export type { LocalAccount, LocalAccountFunction, LocalAccountOptions } from './local/local-account.js';
export { startLocalAccount } from './local/local-account.js';
export type { LocalStoreChoice, LocalStoreKind, RunningLocalStore } from './local/local-store.js';
export { chooseLocalStore, LOCAL_STORES, startLocalStore } from './local/local-store.js';
