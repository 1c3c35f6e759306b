// Public API of @warmpool/core. Export by name; never `export *`.
export type { Clock } from './clock.js';
export { FakeClock, systemClock } from './clock.js';
export type {
  Architecture,
  BudgetConfig,
  BudgetSource,
  ColdStartMetricConfig,
  ForecastModelChoice,
  ForecastModelName,
  Prices,
  TargetConfig,
  TargetConfigInput,
  WarmpoolConfig,
  WarmpoolConfigInput,
} from './config/types.js';
export { ARCHITECTURES, BUDGET_SOURCES, FORECAST_MODELS } from './config/types.js';
export type {
  CapacityObservation,
  Decision,
  MinuteSeries,
  ModelScore,
  PastDecision,
  Reason,
  ReasonCode,
  TargetHistory,
  TuningState,
} from './decision/types.js';
export { REASON_CODES } from './decision/types.js';
export {
  ConfigError,
  TargetError,
  ThrottleError,
  TraceError,
  ValidationError,
  WarmpoolError,
} from './errors.js';
export const VERSION = '0.1.0' as const;

// --- config: parseConfig, defaults, loaders (helper: config) ---

// --- cost model (helper: config) ---

// --- forecasting, decide(), self-tuning (helper: engine) ---

// --- trace loaders and synthetic generator (helper: traces) ---

// --- simulator, policies, backtest, report (helper: simulator) ---

// --- warm-ping protocol and handler helper (helper: warming) ---
