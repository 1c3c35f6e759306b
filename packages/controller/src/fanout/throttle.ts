/**
 * What to do with each TooManyRequestsException `Reason`. Concurrency reasons mean the pool real traffic
 * draws on is full: another ping would take a slot from a real request, so the round stops. Rate reasons
 * only say "not this fast": retry after a jittered backoff that honours `retryAfterSeconds`.
 */
export const STOP_REASONS: ReadonlySet<string> = new Set([
  'ReservedFunctionConcurrentInvocationLimitExceeded',
  'ConcurrentInvocationLimitExceeded',
]);

export const RETRY_REASONS: ReadonlySet<string> = new Set([
  'FunctionInvocationRateLimitExceeded',
  'ReservedFunctionInvocationRateLimitExceeded',
  'CallerRateLimitExceeded',
  'ConcurrentSnapshotCreateLimitExceeded',
]);

export const THROTTLE_ACTIONS = { stop: 'stop', retry: 'retry', giveUp: 'give-up' } as const;
export type ThrottleAction = (typeof THROTTLE_ACTIONS)[keyof typeof THROTTLE_ACTIONS];

/** Unknown reasons are neither retried nor treated as a full pool: that ping is counted as throttled. */
export function throttleAction(reason: string): ThrottleAction {
  if (STOP_REASONS.has(reason)) return THROTTLE_ACTIONS.stop;
  if (RETRY_REASONS.has(reason)) return THROTTLE_ACTIONS.retry;
  return THROTTLE_ACTIONS.giveUp;
}

/**
 * Delay before retry `attempt` (0-based): at least Lambda's `retryAfterSeconds`, plus exponential jitter
 * (uniform in [0, base × 2^attempt)) so throttled pings do not come back in lockstep.
 */
export function backoffMs(
  attempt: number,
  retryAfterSeconds: number | undefined,
  baseMs: number,
  random: () => number,
): number {
  const floor = Math.max(0, (retryAfterSeconds ?? 0) * 1000);
  return Math.round(floor + random() * baseMs * 2 ** attempt);
}
