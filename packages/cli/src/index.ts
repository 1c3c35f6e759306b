// Public API of @warmpool/cli. Its users run the `warmpool` bin; this entry serves the end-to-end tests, which
// drive the real command (`main`), the demo's stack and traffic replay, and the store `warmpool local` starts.
// api/cli.api.md lists it. Export by name; never `export *`.
export { readDecisions } from './cli/commands/decisions.js';
export { main } from './cli/main.js';
export type { LocalStackOptions } from './demo/local-stack.js';
export { LocalStack } from './demo/local-stack.js';
export type { StreamTotals, TrafficStream } from './demo/traffic-replay.js';
export { TrafficReplay } from './demo/traffic-replay.js';
export type { LocalStoreChoice, LocalStoreKind, RunningLocalStore } from './local/local-store.js';
export { chooseLocalStore, LOCAL_STORES, startLocalStore } from './local/local-store.js';
