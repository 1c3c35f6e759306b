// Public API of @warmpool/lab: the Lambda lifecycle simulator, trace loaders, baseline policies, backtests and
// the HTML report. What the CLI, the stand-ins, the benchmarks and users running their own backtests call;
// api/lab.api.md lists it. Export by name; never `export *`.

// Backtests
export { policyCost, runningCost } from './backtest/cost.js';
export { mergeBacktestDocuments } from './backtest/merge.js';
export { BACKTEST_DEFAULTS, runBacktest } from './backtest/run.js';
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
// Policies (baselines, Provisioned Concurrency, Warmpool's own decide(), and the types to write one)
export {
  fixedFromPeaksPolicy,
  fixedPolicy,
  nonePolicy,
  oraclePolicy,
  pingOnePolicy,
  reactivePolicy,
} from './policies/baselines.js';
export { defaultPolicies } from './policies/defaults.js';
export { oracleUnheldPolicy } from './policies/oracle-unheld.js';
export type { ProvisionedPolicyOptions } from './policies/provisioned.js';
export { provisionedPolicy } from './policies/provisioned.js';
export type {
  Policy,
  PolicyAction,
  PolicyRunner,
  PolicySetup,
  PolicyView,
  RunsOn,
} from './policies/types.js';
export { RUNS_ON } from './policies/types.js';
export type { WarmpoolPolicyOptions } from './policies/warmpool.js';
export { warmpoolPolicy } from './policies/warmpool.js';
// Report
export type { ReportOptions } from './report/html.js';
export { renderReport } from './report/html.js';
// Simulator (the stand-ins drive it)
export { MINUTE_MS, MinuteMetrics } from './sim/minute-metrics.js';
export { deriveSeed } from './sim/rng.js';
export { SimFunction } from './sim/sim-function.js';
export type { InvokeOutcome, MinuteMetricName, SimFunctionParams, SimStats } from './sim/types.js';
export { SIM_DEFAULTS } from './sim/types.js';
export type { FunctionWorkload, WorkloadOptions } from './sim/workload.js';
export { AGGREGATE_ABOVE_RPS, buildWorkload, estimatedPeakConcurrency } from './sim/workload.js';
// Traces
export type { ParseTraceInput } from './trace/parse-trace.js';
export { parseTrace } from './trace/parse-trace.js';
export { readTrace } from './trace/read-trace.js';
export type { SyntheticShape, SyntheticTraceOptions } from './trace/synthetic.js';
export { syntheticTrace } from './trace/synthetic.js';
export type { DurationPercentiles, Trace, TraceFunction } from './trace/types.js';
