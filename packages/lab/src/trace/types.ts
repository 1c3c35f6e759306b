/**
 * A workload trace, normalised from any supported format (Azure 2019 per-minute, Azure 2021 per-invocation,
 * long or wide count bins, synthetic). The simulator replays it; backtests select functions from it.
 */
export interface DurationPercentiles {
  /** Execution time in ms at these percentiles (any subset; at least p50 when known). */
  readonly p0?: number;
  readonly p1?: number;
  readonly p25?: number;
  readonly p50: number;
  readonly p75?: number;
  readonly p99?: number;
  readonly p100?: number;
  readonly average?: number;
}

export interface TraceFunction {
  /** Stable id within the trace (e.g. the Azure HashFunction, or the wide column name). */
  readonly id: string;
  /** Arrivals per bin (`binSeconds` wide), starting at the trace's `startMs`. Present for binned traces. */
  readonly counts?: readonly number[] | undefined;
  /** Per-invocation arrivals (ms from `startMs`) and durations (ms), sorted by start. Present for per-invocation traces. */
  readonly invocations?: { readonly startMs: Float64Array; readonly durationMs: Float64Array } | undefined;
  /** Where the trace gives them; otherwise the simulator uses `--duration-ms` (documented default). */
  readonly durations?: DurationPercentiles | undefined;
  /** Memory size in MB where the trace gives it. */
  readonly memoryMb?: number | undefined;
}

export interface Trace {
  /** Human name (file or folder name). */
  readonly name: string;
  /** Format it was loaded from, e.g. `azure2019`, `azure2021`, `bins-long`, `bins-wide`, `synthetic`. */
  readonly format: string;
  /** Width of a count bin in seconds (60 for Azure 2019, 300 for the Huawei file). */
  readonly binSeconds: number;
  /** Epoch ms of the first bin (0 where the trace has only relative time). */
  readonly startMs: number;
  /** Length of the trace in ms. */
  readonly durationMs: number;
  readonly functions: readonly TraceFunction[];
  /** Provenance/attribution text, where the loader knows it. */
  readonly attribution?: string | undefined;
}
