// Public API of @warmpool/controller. Export by name; never `export *`.
export type { FanOutResult } from './fanout/types.js';
export const VERSION = '0.1.0' as const;

// --- Invoker port, Lambda adapter, fan-out (helper: warming) ---

// --- MetricsSource, DecisionStore, CloudWatch/DynamoDB adapters, window maths, tick handler (helper: controller) ---
