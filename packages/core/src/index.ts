// Public API of @warmpool/core: config, forecasting, decide(), self-tuning and cost. Pure logic, no AWS SDK.
// Export by name; never `export *`.
export const VERSION = '0.1.0' as const;

export type { Clock } from './clock.js';
export { FakeClock, systemClock } from './clock.js';
export type { TargetDefaults } from './config/defaults.js';
export { DEFAULT_PRICES, DEFAULT_TARGET, DEFAULT_TICK_INTERVAL_SECONDS } from './config/defaults.js';
export { resolveColdStartDimensions } from './config/dimensions.js';
export type { FunctionRef } from './config/function-ref.js';
export { isQualifier, parseFunctionRef, targetId } from './config/function-ref.js';
export {
  MAX_HOLD_MS,
  MAX_METRIC_DIMENSIONS,
  MAX_WARM_CONTAINERS,
  MEMORY_MB_RANGE,
  MIN_SHARED_SECRET_LENGTH,
  TICK_INTERVAL_SECONDS_RANGE,
} from './config/limits.js';
export { CONFIG_ROOT_FIELD, parseConfig, parseConfigJson } from './config/parse.js';
export { DIMENSION_PLACEHOLDERS } from './config/schema.js';
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
export type { ControllerMetric } from './contract.js';
export { CONTROLLER_METRICS, DECISION_TABLE_SCHEMA, EMF_NAMESPACE, HANDLER_ENV } from './contract.js';
export { controllerTickCost } from './cost/controller.js';
export type { DecisionCost, DecisionCostInput, HoldSource } from './cost/decision.js';
export { decisionCost, HOLD_SOURCES } from './cost/decision.js';
export {
  durationFactor,
  PROVISIONED_BILLING_STEP_SECONDS,
  pingRoundCost,
  provisionedConcurrencyCost,
} from './cost/lambda.js';
export { monthlyFromWindow, SECONDS_PER_MONTH } from './cost/month.js';
export type {
  ControllerRunAssumptions,
  ControllerShareInput,
  RunningCost,
  ScheduledWarmerAssumptions,
} from './cost/running.js';
export {
  CONTROLLER_RUN_ASSUMPTIONS,
  controllerShareMonth,
  SCHEDULED_WARMER_ASSUMPTIONS,
  scheduledWarmerMonth,
} from './cost/running.js';
export type {
  ControllerTickCost,
  ControllerTickInput,
  PingRoundCost,
  PingRoundInput,
  ProvisionedConcurrencyCost,
  ProvisionedConcurrencyInput,
} from './cost/types.js';
export { budgetLimit } from './decision/budget.js';
export type { DecideConfig } from './decision/decide.js';
export { decide } from './decision/decide.js';
export type { ColdStartReadInput } from './decision/reads.js';
export { coldStartsNeeded } from './decision/reads.js';
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
export type { ForecastOutcome } from './forecast/forecast.js';
export { forecastPeak } from './forecast/forecast.js';
export { asymmetricLoss, BACKTEST_WINDOWS, LOSS_WEIGHTS, MIN_SCORED_WINDOWS } from './forecast/loss.js';
export { MASK_NEIGHBOUR_MINUTES, maskWarmMinutes } from './forecast/mask.js';
export { HOLT, PEAK_QUANTILE, SEASONS } from './forecast/models.js';
export type { PreparedHistory } from './forecast/prepare.js';
export { LOOKBACK_MINUTES, prepareHistory, REPORTING_LAG_MINUTES } from './forecast/prepare.js';
export { AUTO_PING_SPAN_MS, pingSpanMs, realPeakOver } from './forecast/real-peak.js';
export type { PreparedSeries } from './forecast/series.js';
export { MAX_SCHEDULES_PER_TARGET, SCHEDULE_DURATION_RANGE_MS } from './schedule/check.js';
export type { ScheduleConfig, ScheduledBounds, ScheduleInForce } from './schedule/evaluate.js';
export {
  SCHEDULE_DEFAULT_TIMEZONE,
  scheduleDurationMs,
  scheduledBounds,
  schedulesInForce,
} from './schedule/evaluate.js';
export { parseScheduleMap } from './schedule/parse-map.js';
export type { TuningChange, TuningFeedback, TuningUpdate } from './tuning/headroom.js';
export {
  HEADROOM,
  initialTuningState,
  normaliseTuningState,
  TUNING,
  TUNING_CHANGES,
  updateTuning,
} from './tuning/headroom.js';
