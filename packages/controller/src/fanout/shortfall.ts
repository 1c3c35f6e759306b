import type { FanOutResult } from './types.js';

/**
 * Why a round reached fewer distinct containers than decided. Several can apply at once; each is read from
 * what the round measured, never assumed.
 */
export const SHORT_REASONS = {
  /** The tick's shared budget (the account's unreserved pool) granted fewer pings than decided. */
  budgetCut: 'budget-cut',
  /** The round needed more pings in flight at once than the controller's slots (its sockets) allow. */
  inFlightCap: 'in-flight-cap',
  /** Lambda throttled pings (see `throttleReasons`). */
  throttled: 'throttled',
  /** Pings failed (network, function error; see `failures`). */
  failed: 'failed',
  /** The deadline (or the tick's abort) ended the round before every ping was answered. */
  deadline: 'deadline',
  /** Answers without the Warmpool protocol: the helper is not installed, nothing was held. */
  unrecognised: 'unrecognised',
  /** The helper held less than asked (its `maxHoldMs`): early pings freed their containers for later ones. */
  holdCapped: 'hold-capped',
  /** A ping reached Lambda more than a hold after it was dispatched: it waited in a socket queue. */
  queued: 'queued',
  /** The answers arrived over a spread longer than the hold: late pings found early containers free again. */
  holdShorterThanSpread: 'hold-shorter-than-spread',
  /** Every ping answered, held as asked and arrived inside the hold, yet some shared a container. */
  reused: 'containers-reused',
} as const;
export type ShortReason = (typeof SHORT_REASONS)[keyof typeof SHORT_REASONS];

export interface Shortfall {
  readonly decided: number;
  readonly reached: number;
  readonly missing: number;
  readonly reasons: readonly ShortReason[];
}

/**
 * The shortfall of a finished round against the count decided, or null when it reached that many distinct
 * containers. A pure function of the recorded result, so the record and the status can never disagree.
 */
export function shortfallOf(decided: number, r: FanOutResult): Shortfall | null {
  const reached = r.distinctContainers;
  if (reached >= decided) return null;
  const reasons: ShortReason[] = [];
  if (r.budgetCut || (typeof r.budgetLimit === 'number' && r.budgetLimit < decided))
    reasons.push(SHORT_REASONS.budgetCut);
  if (typeof r.inFlightCap === 'number') reasons.push(SHORT_REASONS.inFlightCap);
  if (r.throttled > 0) reasons.push(SHORT_REASONS.throttled);
  const deadline =
    r.stoppedEarly === 'deadline' || r.stoppedEarly === 'aborted' || (r.failures.Timeout ?? 0) > 0;
  if (r.failed - (r.failures.Timeout ?? 0) > 0) reasons.push(SHORT_REASONS.failed);
  if (deadline) reasons.push(SHORT_REASONS.deadline);
  if (r.unrecognised > 0) reasons.push(SHORT_REASONS.unrecognised);
  if (typeof r.heldLessMs === 'number') reasons.push(SHORT_REASONS.holdCapped);
  if (typeof r.maxDispatchDelayMs === 'number' && r.maxDispatchDelayMs > r.holdMs)
    reasons.push(SHORT_REASONS.queued);
  // A ramp's waves are spread on purpose (their holds overlap); only a single wave's spread is compared.
  if (!r.ramp && typeof r.dispatchSpreadMs === 'number' && r.dispatchSpreadMs >= r.holdMs)
    reasons.push(SHORT_REASONS.holdShorterThanSpread);
  if (reasons.length === 0) reasons.push(SHORT_REASONS.reused);
  return { decided, reached, missing: decided - reached, reasons };
}

/** One line for logs and the CLI: `short 7/10: throttled, deadline`. */
export function describeShortfall(s: Shortfall): string {
  return `short ${s.reached}/${s.decided}: ${s.reasons.join(', ')}`;
}
