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

// --- cost model (helper: config) ---
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
  ControllerTickCost,
  ControllerTickInput,
  PingRoundCost,
  PingRoundInput,
  ProvisionedConcurrencyCost,
  ProvisionedConcurrencyInput,
} from './cost/types.js';

// --- forecasting, decide(), self-tuning (helper: engine) ---
export { budgetLimit } from './decision/budget.js';
export type { DecideConfig } from './decision/decide.js';
export { decide } from './decision/decide.js';
export type { ForecastOutcome } from './forecast/forecast.js';
export { forecastPeak } from './forecast/forecast.js';
export { asymmetricLoss, BACKTEST_WINDOWS, LOSS_WEIGHTS, MIN_SCORED_WINDOWS } from './forecast/loss.js';
export { MASK_NEIGHBOUR_MINUTES, maskWarmMinutes } from './forecast/mask.js';
export { HOLT, PEAK_QUANTILE, SEASONS } from './forecast/models.js';
export type { PreparedHistory } from './forecast/prepare.js';
export { LOOKBACK_MINUTES, prepareHistory, REPORTING_LAG_MINUTES } from './forecast/prepare.js';
export { AUTO_PING_SPAN_MS, pingSpanMs, realPeakOver } from './forecast/real-peak.js';
export type { PreparedSeries } from './forecast/series.js';
export type { TuningChange, TuningFeedback, TuningUpdate } from './tuning/headroom.js';
export {
  HEADROOM,
  initialTuningState,
  normaliseTuningState,
  TUNING,
  TUNING_CHANGES,
  updateTuning,
} from './tuning/headroom.js';

// --- trace loaders and synthetic generator (helper: traces) ---

export type { Azure2019Files } from './trace/azure2019.js';
export { parseAzure2019 } from './trace/azure2019.js';
export { parseAzure2021 } from './trace/azure2021.js';
export { parseBinsLong } from './trace/bins-long.js';
export { parseBinsWide, WIDE_TIME_COLUMNS } from './trace/bins-wide.js';
export { exactPeakConcurrency } from './trace/concurrency.js';
export type { CsvRow, CsvTable } from './trace/csv.js';
export { readCsv, splitCsvLine } from './trace/csv.js';
export type { TraceFileKind } from './trace/detect.js';
export { detectTraceFormat, TRACE_FILE_KINDS } from './trace/detect.js';
export { estimatePeakConcurrency } from './trace/estimate-peak.js';
export type { TraceFile } from './trace/file.js';
export { lambdaMemoryMb } from './trace/memory.js';
export type { ParseTraceInput } from './trace/parse-trace.js';
export { parseTrace } from './trace/parse-trace.js';
export type { SyntheticShape, SyntheticTraceOptions } from './trace/synthetic.js';
export { SYNTHETIC_SHAPES, syntheticTrace } from './trace/synthetic.js';
export { parseTimestampMs } from './trace/timestamps.js';
export type { DurationPercentiles, Trace, TraceFunction } from './trace/types.js';
// (end of the traces section: this detached comment keeps Biome from sorting it into the next one)

export type { PolicyCost } from './backtest/cost.js';
export { policyCost } from './backtest/cost.js';
export { mergeBacktestDocuments } from './backtest/merge.js';
export { BACKTEST_DEFAULTS, pingHoldMs, runBacktest, windowPeaks } from './backtest/run.js';
export type { SelectedFunction } from './backtest/select.js';
export { selectFunctions } from './backtest/select.js';
export type {
  BacktestDocument,
  BacktestOptions,
  BacktestResult,
  FunctionSelection,
  FunctionSeries,
  PolicyResult,
} from './backtest/types.js';
export {
  fixedFromPeaksPolicy,
  fixedPolicy,
  nonePolicy,
  oraclePolicy,
  pingOnePolicy,
  reactivePolicy,
} from './policies/baselines.js';
export { defaultPolicies } from './policies/defaults.js';
export type { ProvisionedPolicyOptions } from './policies/provisioned.js';
export { PROVISIONED_DEFAULTS, provisionedPolicy } from './policies/provisioned.js';
export type {
  Policy,
  PolicyAction,
  PolicyKind,
  PolicyRunner,
  PolicySetup,
  PolicyView,
} from './policies/types.js';
export { POLICY_KINDS } from './policies/types.js';
export type { WarmpoolPolicyOptions } from './policies/warmpool.js';
export { warmpoolPolicy } from './policies/warmpool.js';
export type { ReportOptions } from './report/html.js';
export { renderReport } from './report/html.js';
export type { AggregateTraffic } from './sim/aggregate-function.js';
export { AggregateFunction } from './sim/aggregate-function.js';
export type { DurationSampler } from './sim/durations.js';
export { durationSampler } from './sim/durations.js';
// --- simulator, policies, backtest, report (helper: simulator) ---
export type { EmptyMinutes, MetricQueryOptions } from './sim/minute-metrics.js';
export { EMPTY_MINUTES, MINUTE_MS, MinuteMetrics } from './sim/minute-metrics.js';
export { drawPeak, poissonQuantile } from './sim/peaks.js';
export type { Replay } from './sim/replay.js';
export { createReplay } from './sim/replay.js';
export type { Rng } from './sim/rng.js';
export { createRng, deriveSeed } from './sim/rng.js';
export { SimFunction } from './sim/sim-function.js';
export type {
  InvokeKind,
  InvokeOutcome,
  InvokeStatus,
  MetricSeries,
  MinuteMetricName,
  ResolvedSimFunctionParams,
  SimFunctionParams,
  SimStats,
} from './sim/types.js';
export { INVOKE_KINDS, INVOKE_STATUSES, MINUTE_METRICS, SIM_DEFAULTS } from './sim/types.js';
export type { FunctionWorkload, SimMode, WorkloadOptions } from './sim/workload.js';
export {
  AGGREGATE_ABOVE_RPS,
  buildWorkload,
  DEFAULT_DURATION_MS,
  DEFAULT_MEMORY_MB,
  estimatedPeakConcurrency,
  SIM_MODES,
} from './sim/workload.js';

// --- warm-ping protocol and handler helper (helper: warming) ---

export type {
  MarkerVerdict,
  WarmPingAnswer,
  WarmPingAnswerPayload,
  WarmPingMarker,
} from './protocol/warm-ping.js';
export {
  clientContextFor,
  createMarker,
  DEFAULT_MAX_HOLD_MS,
  DEFAULT_MAX_SKEW_MS,
  encodeClientContext,
  MARKER_VERDICTS,
  MAX_CLIENT_CONTEXT_BYTES,
  readAnswer,
  readMarker,
  signedText,
  signMarker,
  verifyMarker,
  WARM_PING_KEY,
  WARM_PING_PROTOCOL_VERSION,
} from './protocol/warm-ping.js';
export type { ColdStartMetricOptions } from './warmup/cold-start-metric.js';
export type { ContainerIdentity } from './warmup/container.js';
export { createContainerIdentity } from './warmup/container.js';
export type { CompatDetectorName, DetectedPing, WarmupContext, WarmupDetector } from './warmup/detectors.js';
export {
  COMPAT_DETECTORS,
  clientContextDetector,
  middyWarmupDetector,
  serverlessPluginWarmupDetector,
} from './warmup/detectors.js';
export type { MiddyRequestLike } from './warmup/middleware.js';
export { warmupMiddleware } from './warmup/middleware.js';
export type { WarmupOptions } from './warmup/options.js';
export { WARMUP_DEFAULTS, WarmupOptionError } from './warmup/options.js';
export type { AsyncHandler } from './warmup/with-warmup.js';
export { withWarmup } from './warmup/with-warmup.js';
