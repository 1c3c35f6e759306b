import type { ScheduleConfig } from '../schedule/evaluate.js';

/**
 * The one config shape shared by the controller, the CLI and the CDK construct.
 * `WarmpoolConfigInput` is what users write (most fields optional); `parseConfig` validates it and returns a
 * fully resolved `WarmpoolConfig` with every default filled in.
 */

export const FORECAST_MODELS = {
  auto: 'auto',
  peakQuantile: 'peak-quantile',
  holt: 'holt',
  seasonalNaive: 'seasonal-naive',
} as const;
export type ForecastModelChoice = (typeof FORECAST_MODELS)[keyof typeof FORECAST_MODELS];
/** A concrete model (what `auto` resolves to). */
export type ForecastModelName = Exclude<ForecastModelChoice, 'auto'>;

export const BUDGET_SOURCES = {
  /** A share of the function's reserved concurrency (GetFunctionConcurrency). */
  reserved: 'reserved',
  /** A share of the account's unreserved concurrency. */
  unreserved: 'unreserved',
} as const;
export type BudgetSource = (typeof BUDGET_SOURCES)[keyof typeof BUDGET_SOURCES];

export interface BudgetConfig {
  /** Which concurrency pool the share applies to. Where the function has reserved concurrency, `reserved`. */
  readonly source: BudgetSource;
  /** Share of that pool warming may take, in (0, 1]. The rest is kept for real traffic. */
  readonly share: number;
}

/**
 * Scale-down stabilization (as Kubernetes' HPA `stabilizationWindowSeconds`): a round warms no fewer containers
 * than the highest raw count decided within the last `windowMinutes`, each held count cut to `maxCount`.
 */
export interface StabilizationConfig {
  /** How long a raw count holds the pool up, in minutes; 0 turns it off. */
  readonly windowMinutes: number;
  /** Most containers a past raw count holds (a one-off spike of hundreds is held only up to this). */
  readonly maxCount: number;
}

export interface ColdStartMetricConfig {
  readonly namespace: string;
  readonly name: string;
  /** Dimension values; `${functionName}` and `${qualifier}` are substituted per target. */
  readonly dimensions: Readonly<Record<string, string>>;
}

/** Prices in USD (us-east-1, x86 by default). Overridable in config. */
export interface Prices {
  readonly requestPerMillion: number;
  readonly gbSecond: number;
  readonly provisionedGbSecond: number;
  readonly provisionedDurationGbSecond: number;
  readonly getMetricDataPer1000Metrics: number;
  readonly dynamoWritePerMillion: number;
  readonly dynamoReadPerMillion: number;
  /** Multiplier applied to duration prices for arm64 (about 0.8). */
  readonly arm64DurationFactor: number;
}

export const ARCHITECTURES = { x86_64: 'x86_64', arm64: 'arm64' } as const;
export type Architecture = (typeof ARCHITECTURES)[keyof typeof ARCHITECTURES];

export interface TargetConfig {
  /** Stable id `functionName:qualifier`; the decision store's partition key. */
  readonly id: string;
  /** Function name or ARN (unqualified). */
  readonly functionName: string;
  /** Alias or version that traffic uses. Never `$LATEST` unless the user says so explicitly. */
  readonly qualifier: string;
  readonly min: number;
  readonly max: number;
  /**
   * How long each warm ping holds its container, in ms, capped by `MAX_HOLD_MS`. `'auto'` (the default) lets
   * the controller pick it from N and the measured dispatch rate, so that the pings overlap.
   */
  readonly holdMs: number | 'auto';
  readonly budget: BudgetConfig;
  readonly stabilization: StabilizationConfig;
  readonly model: ForecastModelChoice;
  readonly coldStartMetric: ColdStartMetricConfig;
  /** How long decision records live in the table (DynamoDB TTL), in days. */
  readonly decisionTtlDays: number;
  /** Decide and record, but do not warm. */
  readonly dryRun: boolean;
  /** Function memory, for the cost model. */
  readonly memoryMb: number;
  readonly architecture: Architecture;
  /** Estimated INIT duration, for the cost of pings that start a container. */
  readonly initMs: number;
  /**
   * Known events: while one holds, its `min` (and `max`, where set) replace the target's. Empty by default.
   * Evaluated from the clock alone (see `scheduledBounds`), so a first burst no history shows is warmed for.
   */
  readonly schedules: readonly ScheduleConfig[];
  /**
   * Longest wait, in ticks, between two metric reads of a steady target: one whose reads keep deciding the same
   * count. The wait doubles on each such read up to this, and drops back to one tick when the count changes, a
   * round comes back short, or a schedule moves the bounds; between reads the last decision is kept
   * (`read-deferred`). GetMetricData bills each metric requested, not each datapoint, so reading every K ticks
   * costs about 1/K, and the next read still covers every minute. 1 reads every tick.
   */
  readonly maxTicksBetweenReads: number;
  /**
   * A deferred read comes at once when at least this many user-felt cold starts (the helper's `coldStartMetric`
   * lines) were delivered since the target's last read, by the construct's log subscription on the target's log
   * group (`wakeOnColdStarts`). 0 never wakes: reads wait out their back-off.
   */
  readonly wakeAfterColdStarts: number;
  /**
   * The log group the target's function writes to, which the cold-start subscription delivers from. Default
   * `/aws/lambda/NAME`; set it for a function with a custom log group (Lambda's advanced logging controls).
   */
  readonly logGroupName: string;
}

export interface WarmpoolConfig {
  /** Schedule of the controller, in seconds (300 = every 5 minutes). */
  readonly tickIntervalSeconds: number;
  readonly targets: readonly TargetConfig[];
  readonly prices: Prices;
  /** Optional shared secret for warm-ping HMAC. */
  readonly sharedSecret?: string | undefined;
}

type DeepPartial<T> = { -readonly [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** What a user writes for one target. Only `functionName` and `qualifier` are required. */
export type TargetConfigInput = Omit<DeepPartial<TargetConfig>, 'id'> & {
  functionName: string;
  qualifier: string;
};

/** What a user writes. Per-target fields in `defaults` apply to every target that does not set them. */
export interface WarmpoolConfigInput {
  tickIntervalSeconds?: number;
  defaults?: Omit<DeepPartial<TargetConfig>, 'id' | 'functionName' | 'qualifier'>;
  targets: TargetConfigInput[];
  prices?: Partial<Prices>;
  sharedSecret?: string;
}
