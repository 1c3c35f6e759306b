// Public API of @warmpool/lab: the Lambda lifecycle simulator, trace loaders, baseline policies, backtests and
// the HTML report. Export by name; never `export *`.
export const VERSION = '0.1.0' as const;

export type { PolicyCost } from './backtest/cost.js';
export { policyCost, runningCost } from './backtest/cost.js';
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
  RunsOn,
} from './policies/types.js';
export { POLICY_KINDS, RUNS_ON } from './policies/types.js';
export type { WarmpoolPolicyOptions } from './policies/warmpool.js';
export { warmpoolPolicy } from './policies/warmpool.js';
export type { ReportOptions } from './report/html.js';
export { renderReport } from './report/html.js';
export type { AggregateTraffic } from './sim/aggregate-function.js';
export { AggregateFunction } from './sim/aggregate-function.js';
export type { DurationSampler } from './sim/durations.js';
export { durationSampler } from './sim/durations.js';
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
export { readTrace } from './trace/read-trace.js';
export type { SyntheticShape, SyntheticTraceOptions } from './trace/synthetic.js';
export { SYNTHETIC_SHAPES, syntheticTrace } from './trace/synthetic.js';
export { parseTimestampMs } from './trace/timestamps.js';
export type { DurationPercentiles, Trace, TraceFunction } from './trace/types.js';
