/**
 * What the controller and the CDK construct must agree on: the decision table's shape, the controller's
 * environment variables and its metrics. Free of imports, so that the construct can use it without loading the
 * controller or the AWS SDK.
 */

/** The decision table's key and TTL attribute names (the CDK construct creates the same shape). */
export const DECISION_TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
} as const;

/** Environment variables the controller Lambda reads. */
export const HANDLER_ENV = {
  /** The config as JSON (what the CDK construct sets). */
  config: 'WARMPOOL_CONFIG',
  /** Or a path to a JSON config file (bundled with the function, or on a laptop). */
  configFile: 'WARMPOOL_CONFIG_FILE',
  /** The decision table's name. */
  table: 'WARMPOOL_TABLE',
  /**
   * A JSON array of strings: the values a config file leaves to deployment (see DEPLOY_VALUES). The CDK construct
   * sets it, because CloudFormation resolves a function's name or a secret's dynamic reference only in template
   * properties, never inside a file of the asset.
   */
  configValues: 'WARMPOOL_CONFIG_VALUES',
} as const;

/**
 * How a config file refers to a value known only at deploy time: the string `${WARMPOOL_CONFIG_VALUES[3]}`,
 * alone or inside a longer string (`arn:${WARMPOOL_CONFIG_VALUES[0]}:lambda:…`), stands for element 3 of the
 * `WARMPOOL_CONFIG_VALUES` array. No function name, qualifier or metric name can contain `$`, `{` or `[`, so a
 * placeholder never collides with a real value.
 */
export const DEPLOY_VALUES = {
  /** Matches every placeholder; group 1 is the index. */
  pattern: /\$\{WARMPOOL_CONFIG_VALUES\[(\d+)\]\}/g,
  prefix: '${WARMPOOL_CONFIG_VALUES[',
  suffix: ']}',
} as const;

/** The placeholder for element `index` of `WARMPOOL_CONFIG_VALUES`. */
export function deployValuePlaceholder(index: number): string {
  return `${DEPLOY_VALUES.prefix}${index}${DEPLOY_VALUES.suffix}`;
}

/** The namespace of the controller's own metrics. */
export const EMF_NAMESPACE = 'Warmpool';

/** Metric names the controller emits per target (and per tick), with their units. */
export const CONTROLLER_METRICS = {
  forecast: { name: 'Forecast', unit: 'Count' },
  decided: { name: 'Decided', unit: 'Count' },
  reached: { name: 'Reached', unit: 'Count' },
  /** Real traffic's peak concurrency in the previous window, the pings' own minutes masked. */
  observedRealPeak: { name: 'ObservedRealPeak', unit: 'Count' },
  throttled: { name: 'Throttled', unit: 'Count' },
  decisionWriteFailed: { name: 'DecisionWriteFailed', unit: 'Count' },
  metricsUnavailable: { name: 'MetricsUnavailable', unit: 'Count' },
  targetFailed: { name: 'TargetFailed', unit: 'Count' },
  /** 1 when a round reached fewer distinct containers than decided (outcome `short`), else 0. */
  shortRound: { name: 'ShortRound', unit: 'Count' },
  /** A round was answered without the Warmpool protocol: the handler-side helper is not installed. */
  helperMissing: { name: 'HelperMissing', unit: 'Count' },
} as const;
export type ControllerMetric = keyof typeof CONTROLLER_METRICS;

/**
 * The fault metrics the controller also emits once per tick without dimensions (summed over targets), and the
 * CDK construct alarms on: a target failed, a decision write was lost, a round fell short, the helper is missing.
 */
export const TICK_FAULT_METRICS = [
  'targetFailed',
  'decisionWriteFailed',
  'shortRound',
  'helperMissing',
] as const satisfies readonly ControllerMetric[];
export type TickFaultMetric = (typeof TICK_FAULT_METRICS)[number];
