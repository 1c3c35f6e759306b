/**
 * The hard limits a config is checked against. They are caps, not defaults: a value outside them is rejected.
 */

/**
 * The longest a warm ping may hold its container, in ms. A ping that holds longer keeps that container busy
 * while real requests arrive, and those requests then start cold: the very thing warming is meant to prevent.
 * Ten seconds is ample for N pings to overlap at realistic Invoke dispatch rates.
 */
export const MAX_HOLD_MS = 10_000;

/**
 * Sanity cap on `min` and `max`. Lambda's default account concurrency is 1,000; no realistic warm pool is ten
 * times that, so a larger figure is almost surely a typo (an extra zero, or ms pasted as a count).
 */
export const MAX_WARM_CONTAINERS = 10_000;

/** Lambda's memory range, in MB. */
export const MEMORY_MB_RANGE = { min: 128, max: 10_240 } as const;

/**
 * The controller's schedule: whole minutes (CloudWatch metrics are 1-minute, EventBridge rates are whole
 * minutes), from every minute up to every hour (Lambda may reap idle containers well before an hour).
 */
export const TICK_INTERVAL_SECONDS_RANGE = { min: 60, max: 3_600, step: 60 } as const;

/**
 * Most targets one config (one controller) may list. Each target costs a store read, a conditional write and a
 * fan-out inside one tick's deadline; 5,000 targets with a 15 s budget were seen to take 33 s. A thousand keeps
 * the metrics read to a few GetMetricData calls (500 queries each) and the tick inside its deadline; more
 * belong in several deployments.
 */
export const MAX_TARGETS = 1_000;

/**
 * The longest `maxTicksBetweenReads`: an hour at the default 5-minute tick. A steady target's later read still
 * covers every minute since (the lookback is 6 hours), but a target that stops being steady is seen that late.
 */
export const MAX_TICKS_BETWEEN_READS = 12;

/**
 * The longest scale-down stabilization window: the forecast's lookback (6 hours). A raw count older than what the
 * controller reads back cannot hold anything.
 */
export const MAX_STABILIZATION_MINUTES = 360;

/** CloudWatch allows at most 30 dimensions per metric. */
export const MAX_METRIC_DIMENSIONS = 30;

/** A shared secret shorter than this is too easy to guess for an HMAC key. */
export const MIN_SHARED_SECRET_LENGTH = 16;
