import type { ColdStartMetricConfig, ForecastModelChoice } from '@warmpool/core';
import type { Duration, SecretValue } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Architecture, Code, IAlias, IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * One function to keep warm. The per-target fields mean what they mean in the core config schema
 * (docs/config.md); anything left out takes the core default.
 */
export interface WarmpoolTarget {
  /**
   * The function to warm: an alias (recommended: warm what traffic calls), a version, or a function with an
   * explicit `qualifier`.
   */
  readonly function: IFunction | IAlias;
  /**
   * The alias or version to warm. Required when `function` is neither an alias nor a version: an unqualified
   * function would warm `$LATEST`, which is rarely what serves traffic. Set `'$LATEST'` to say you mean it.
   * @default - the alias name or version number of `function`
   */
  readonly qualifier?: string;
  /**
   * Containers always kept warm.
   * @default 0
   */
  readonly min?: number;
  /**
   * The most containers ever warmed.
   * @default 100
   */
  readonly max?: number;
  /**
   * How long each warm ping holds its container, in ms, or `'auto'` to let the controller pick it.
   * @default 'auto'
   */
  readonly holdMs?: number | 'auto';
  /**
   * The share of a concurrency pool warming may take.
   * @default { source: 'reserved', share: 0.2 }
   */
  readonly budget?: { readonly source?: 'reserved' | 'unreserved'; readonly share?: number };
  /**
   * Scale-down stabilization: a round warms no fewer containers than the highest raw count decided within the
   * last `windowMinutes`, each held count cut to `maxCount` (docs/forecasting.md).
   * @default { windowMinutes: 120, maxCount: 10 }
   */
  readonly stabilization?: { readonly windowMinutes?: number; readonly maxCount?: number };
  /**
   * The forecast model.
   * @default 'auto'
   */
  readonly model?: ForecastModelChoice;
  /**
   * The cold-start metric the controller reads (Powertools-compatible by default).
   * @default - namespace 'Warmpool', name 'UserColdStart' (what the helper writes), dimensions service and function_name
   */
  readonly coldStartMetric?: Partial<ColdStartMetricConfig>;
  /**
   * The function's memory in MB, for the cost model.
   * @default - the function's own memory size when it is defined in this app, else 1024
   */
  readonly memoryMb?: number;
  /**
   * Decide and record, but do not warm.
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Known events (a 09:00 batch, a launch): while one holds, its `min` (and `max`, where set) are the bounds.
   * The controller reads them from its config on every tick, so no extra resource is created.
   * @default - none
   */
  readonly schedules?: readonly WarmpoolSchedule[];
  /**
   * Longest wait, in ticks, between two metric reads of a steady target (one whose reads keep deciding the same
   * count); between reads the last decision is kept. Fewer GetMetricData requests, at the price of seeing a change
   * of traffic that much later (docs/config.md). An integer from 1 to 12.
   * @default 12 - back off up to every 12 ticks (an hour at the default rate) while the count holds; cold starts
   * delivered by the log subscription bring a read forward
   */
  readonly maxTicksBetweenReads?: number;
  /**
   * With `wakeOnColdStarts` on: a deferred metric read comes at the next tick once at least this many user-felt
   * cold starts of the target were delivered since its last read. An integer ≥ 0; 0 never wakes the target (its
   * reads wait out their back-off) and subscribes nothing for it. Always 0 in the controller's config when
   * `wakeOnColdStarts` is false.
   * @default 2
   */
  readonly wakeAfterColdStarts?: number;
}

/** One known event, in EventBridge Scheduler's syntax (see docs/config.md, `schedules`). */
export interface WarmpoolSchedule {
  /** `cron(minutes hours day-of-month month day-of-week year)` or `rate(value unit)`. */
  readonly expression: string;
  /**
   * The IANA time zone the cron is read in.
   * @default 'UTC'
   */
  readonly timezone?: string;
  /** How long the bounds hold after each start: whole minutes, from 1 minute to 7 days. */
  readonly duration: Duration;
  /** Containers kept warm at least while it holds. */
  readonly min: number;
  /**
   * The most containers warmed while it holds, replacing the target's `max`.
   * @default - the target's max
   */
  readonly max?: number;
  /**
   * For `rate(...)`: the first start, an ISO 8601 date-time with its offset.
   * @default - the Unix epoch
   */
  readonly start?: string;
}

/** The alarm on repeated controller failures. */
export interface WarmpoolAlarmOptions {
  /**
   * Failed ticks per schedule period that count as a breach.
   * @default 1
   */
  readonly threshold?: number;
  /**
   * Consecutive breaching periods before the alarm fires: one failed tick is noise, repeated ones are not.
   * @default 2
   */
  readonly evaluationPeriods?: number;
}

export interface WarmpoolProps {
  /** The functions to keep warm (at least one). */
  readonly targets: readonly WarmpoolTarget[];
  /**
   * How often the controller runs: whole minutes, from 1 minute to 1 hour.
   * @default Duration.minutes(5)
   */
  readonly schedule?: Duration;
  /**
   * An existing decisions table (partition key `pk` S, sort key `sk` S, TTL on `expiresAt`). When given, the
   * construct creates no table.
   * @default - a new on-demand table with TTL and point-in-time recovery
   */
  readonly table?: ITable;
  /**
   * How long decision records are kept (DynamoDB TTL): whole days.
   * @default Duration.days(14)
   */
  readonly decisionTtl?: Duration;
  /**
   * An alarm on the controller's `Errors` metric: `true` for the defaults, options to tune it, `false` for none.
   * @default true
   */
  readonly alarm?: boolean | WarmpoolAlarmOptions;
  /**
   * A CloudWatch dashboard of forecast, actual concurrency and warm count per target.
   * @default false
   */
  readonly dashboard?: boolean;
  /**
   * The warm-ping HMAC key (at least 16 characters), shared with the targets' `withWarmup`. Prefer
   * `SecretValue.secretsManager(...)`: CloudFormation resolves it at deploy time, so it is not in the template.
   * It still ends up in the controller's environment, readable by whoever may read the function's configuration.
   * @default - pings are not signed
   */
  readonly sharedSecret?: SecretValue;
  /**
   * The controller's code. An escape hatch for tests and prebuilt bundles. Its `index` module exports `handler`
   * (the tick) and, with `wakeOnColdStarts`, `wakeHandler` (the wake function's entry point).
   * @default - the controller handler bundled with esbuild (ESM)
   */
  readonly controllerCode?: Code;
  /**
   * The controller's instruction set. It is pure JavaScript, prebundled, so it runs on either; arm64's duration
   * is about 20% cheaper per GB-second. Pass `Architecture.X86_64` where arm64 is not offered or not wanted
   * (a `controllerCode` with native modules built for x86).
   * @default Architecture.ARM_64
   */
  readonly controllerArchitecture?: Architecture;
  /**
   * The most targets one controller invocation runs. With more targets than this, each tick is split into
   * `ceil(targets / targetsPerShard)` shards, each an invocation of its own on its own schedule rule (input
   * `{ "shard": k, "shards": n }`), and the controller's reserved concurrency is the number of shards. Lower it
   * when targets warm many containers each (a large `max`), so that a shard's fan-out fits its deadline.
   * @default 50
   */
  readonly targetsPerShard?: number;
  /**
   * Wake on cold starts: a CloudWatch Logs subscription filter on each target's log group delivers the helper's
   * cold-start lines (the `coldStartMetric` EMF records, matched by a JSON pattern such as
   * `{ $.UserColdStart = 1 }`) to a small wake function beside each controller, so a quiet target's deferred read
   * comes at the next tick instead of up to `maxTicksBetweenReads` ticks late. Deliveries never go to the
   * controller, so they never delay a tick: each shard with a subscription gets a wake function of its own
   * (the controller's code, `wakeHandler`; 128 MB, 10 s, reserved concurrency 2, so a burst of cold starts
   * queues for delivery instead of taking the account's concurrency) whose role may only update the decision
   * table's items and write its logs. Each delivery is one small invocation and one DynamoDB write (about $1 per
   * million cold starts). One filter per distinct log group and shard (aliases of one function share one), all
   * behind one `lambda:InvokeFunction` permission for `logs.amazonaws.com` per wake function.
   *
   * A log group takes at most two subscription filters: set false where both are taken (then reads wait out
   * their back-off). The log group must exist when the stack deploys: a function defined elsewhere is
   * subscribed at `/aws/lambda/NAME`; a function of this app only when the app manages its log group (its
   * `logGroup` prop, or the feature flag `@aws-cdk/aws-lambda:useCdkManagedLogGroup`), else it is left out
   * with a synth warning (`@warmpool/infra:wakeOnColdStarts`). Each filter is one CloudFormation resource
   * (500 per stack). The cold-start metric's name must be a plain identifier (letters, digits, `_`).
   * @default true
   */
  readonly wakeOnColdStarts?: boolean;
  /**
   * How long the controller's logs are kept (its wake functions' too: they share its log group).
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}
