import { STABILIZATION_DEFAULTS } from '../decision/stabilize.js';
import type { Prices, TargetConfig } from './types.js';

/** Every per-target field a user may leave out, with the value `parseConfig` fills in. */
export type TargetDefaults = Omit<TargetConfig, 'id' | 'functionName' | 'qualifier' | 'logGroupName'>;

/**
 * Per-target defaults. Why each value:
 * - `min: 0`: warming costs money; nothing is kept warm unless the forecast asks for it or the user says so.
 * - `max: 100`: a deliberate ceiling well under the default account concurrency (1,000), so a runaway forecast
 *   cannot turn the warmer into a load generator. Users with bigger pools raise it.
 * - `holdMs: 'auto'`: the controller picks the hold from N and the measured dispatch rate, just long enough for
 *   the pings to overlap (capped by MAX_HOLD_MS); a fixed guess is either too short to spread or too long.
 * - `budget: reserved, 0.2`: pings draw on the function's reserved concurrency when it has one, so that is the
 *   pool that must keep room for real traffic: warming takes at most a fifth of it. A function without
 *   reserved concurrency draws on the account's pool instead; with this source no limit can be derived there
 *   and `max` is the bound. Set `source: 'unreserved'` to bound such a function by a share of the account's
 *   unreserved concurrency. (The reverse default would be worse: a share of the account pool could exceed a
 *   small reserved limit and throttle the function's own traffic.)
 * - `model: 'auto'`: backtest the models on the target's own history and use the best.
 * - `coldStartMetric`: `UserColdStart` in namespace `Warmpool` (dimensions `service` and `function_name`), what
 *   Warmpool's handler-side helper emits by default: only for a real request that started its container. Never
 *   Powertools' `ColdStart`, which under warming counts a prewarmed container's first real request (see
 *   docs/config.md), so that name is refused.
 * - `decisionTtlDays: 14`: two weeks of decisions covers a weekly-seasonal backtest and a post-mortem, and
 *   matches CloudWatch's 15 days of 1-minute data.
 * - `dryRun: false`: the point of deploying a warmer is to warm.
 * - `memoryMb: 1024`, `architecture: 'x86_64'`, `initMs: 400`: cost-model estimates only (a common size, the
 *   Lambda default architecture, a typical Node INIT); set them to the function's real figures.
 * - `schedules: []`: no known events unless the user declares them.
 * - `stabilization: 120 min, 10`: a pool shrinks only once no raw count of the last two hours asks for more (at
 *   most 10 containers held): bursty functions come back within the hour or two (docs/forecasting.md).
 * - `maxTicksBetweenReads: 12`, `wakeAfterColdStarts: 2`: a steady target's metric reads back off, doubling up to
 *   every 12 ticks (an hour) while the decided count holds, and come back to every tick when it changes; two
 *   user-felt cold starts delivered by the log subscription since the last read bring the read forward, so the
 *   first burst after hours of quiet is read within a tick, not up to an hour later. Reading every tick costs
 *   most of the whole bill on quiet functions (5.3× the oracle's on the Azure top 32); 12 with the wake is 1.91×
 *   for 52.9% of none's cold starts avoided at idle 10 and 49.3% at idle 15, where 8 without it was 1.80× for
 *   49.5% and 45.9% (docs/config.md, *Reading a steady target less often*). Set 1 where a cold start costs more
 *   than a read every tick.
 */
export const DEFAULT_TARGET: TargetDefaults = {
  min: 0,
  max: 100,
  holdMs: 'auto',
  budget: { source: 'reserved', share: 0.2 },
  stabilization: { ...STABILIZATION_DEFAULTS },
  model: 'auto',
  coldStartMetric: {
    namespace: 'Warmpool',
    name: 'UserColdStart',
    dimensions: { service: `\${functionName}`, function_name: `\${functionName}` },
  },
  decisionTtlDays: 14,
  dryRun: false,
  memoryMb: 1024,
  architecture: 'x86_64',
  initMs: 400,
  schedules: [],
  maxTicksBetweenReads: 12,
  wakeAfterColdStarts: 2,
};

/** Every 5 minutes: inside the idle time after which Lambda commonly reaps containers. */
export const DEFAULT_TICK_INTERVAL_SECONDS = 300;

/**
 * Prices in USD, us-east-1, x86_64 (source: ../shared/notes/aws-facts.md and the AWS pricing pages for Lambda,
 * CloudWatch and DynamoDB). DynamoDB is on-demand after the November 2024 price cut: $0.625 per million write
 * request units and $0.125 per million read request units (aws.amazon.com/dynamodb/pricing/on-demand/).
 */
export const DEFAULT_PRICES: Prices = {
  requestPerMillion: 0.2,
  gbSecond: 0.0000166667,
  provisionedGbSecond: 0.0000041667,
  provisionedDurationGbSecond: 0.0000097222,
  getMetricDataPer1000Metrics: 0.01,
  dynamoWritePerMillion: 0.625,
  dynamoReadPerMillion: 0.125,
  arm64DurationFactor: 0.8,
};
