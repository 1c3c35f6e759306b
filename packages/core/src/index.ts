// Public API of @warmpool/core: config, forecasting, decide(), self-tuning and cost. Pure logic, no AWS SDK.
// What the controller, the lab, the construct and users call, and no more; api/core.api.md lists it.
// Export by name; never `export *`.

// Time
export type { Clock } from './clock.js';
export { FakeClock, systemClock } from './clock.js';
// Config
export { DEFAULT_PRICES, DEFAULT_TARGET } from './config/defaults.js';
export { resolveColdStartDimensions } from './config/dimensions.js';
export type { FunctionRef } from './config/function-ref.js';
export { parseFunctionRef, targetId } from './config/function-ref.js';
export {
  MAX_HOLD_MS,
  MAX_TARGETS,
  MAX_TICKS_BETWEEN_READS,
  MAX_WARM_CONTAINERS,
  MEMORY_MB_RANGE,
  MIN_SHARED_SECRET_LENGTH,
  TICK_INTERVAL_SECONDS_RANGE,
} from './config/limits.js';
export { parseConfig, parseConfigJson } from './config/parse.js';
export type {
  Architecture,
  BudgetConfig,
  ColdStartMetricConfig,
  ForecastModelChoice,
  Prices,
  TargetConfig,
  TargetConfigInput,
  WarmpoolConfig,
  WarmpoolConfigInput,
} from './config/types.js';
// What the controller and the CDK construct agree on
export type { ControllerMetric, TickFaultMetric } from './contract.js';
export {
  CONTROLLER_METRICS,
  DECISION_TABLE_SCHEMA,
  DEPLOY_VALUES,
  deployValuePlaceholder,
  EMF_NAMESPACE,
  HANDLER_ENV,
  TICK_FAULT_METRICS,
} from './contract.js';
// Cost
export { controllerTickCost } from './cost/controller.js';
export type { DecisionCost, DecisionCostInput } from './cost/decision.js';
export { decisionCost } from './cost/decision.js';
export { pingRoundCost, provisionedConcurrencyCost } from './cost/lambda.js';
export { monthlyFromWindow } from './cost/month.js';
export type { ControllerShareInput } from './cost/running.js';
export { controllerShareMonth, scheduledWarmerMonth } from './cost/running.js';
export type {
  ControllerTickCost,
  ControllerTickInput,
  PingRoundCost,
  PingRoundInput,
  ProvisionedConcurrencyCost,
  ProvisionedConcurrencyInput,
} from './cost/types.js';
// Decisions
export { budgetLimit } from './decision/budget.js';
export type { DecideConfig } from './decision/decide.js';
export { decide } from './decision/decide.js';
export { forecastMade } from './decision/forecast-made.js';
export type { HoldChoice, HoldOptions } from './decision/hold.js';
export { HOLD_DEFAULTS, measuredDispatchRate, pickHold, pickHoldMs } from './decision/hold.js';
export type { InterferenceOptions } from './decision/interference.js';
export type { ColdStartReadInput } from './decision/reads.js';
export {
  COLD_START_EVERY_TICKS,
  coldStartReadDue,
  coldStartsNeeded,
  risenSinceColdRead,
} from './decision/reads.js';
export { replayMissedWindows } from './decision/replay.js';
export type { StabilizationOptions, Stabilized } from './decision/stabilize.js';
export {
  rawCountToHold,
  replayedToHold,
  STABILIZATION_DEFAULTS,
  stabilizedCount,
} from './decision/stabilize.js';
export type {
  ConcurrencyReadDueInput,
  ConcurrencyReadState,
} from './decision/steady-reads.js';
export {
  afterConcurrencyRead,
  concurrencyReadDue,
  readWoken,
} from './decision/steady-reads.js';
export type {
  CapacityObservation,
  Decision,
  MinuteSeries,
  PastDecision,
  Reason,
  ReasonCode,
  ReplayedRawCount,
  TargetHistory,
  TuningState,
} from './decision/types.js';
export { REASON_CODES } from './decision/types.js';
// Errors
export {
  ConfigError,
  TargetError,
  ThrottleError,
  TraceError,
  ValidationError,
  WarmpoolError,
} from './errors.js';
// Forecasting inputs the controller needs to read the right history
export { LOOKBACK_MINUTES } from './forecast/prepare.js';
export { realPeakOver } from './forecast/real-peak.js';
export type { ScheduleConfig } from './schedule/evaluate.js';
export { parseScheduleMap } from './schedule/parse-map.js';
