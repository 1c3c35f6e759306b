import type { RampRecord } from './ramp.js';
import type { BudgetCut } from './shared-budget.js';
import type { Shortfall } from './shortfall.js';

/** The outcome of one warm round, as data. Recorded on the decision item. */
export interface FanOutResult {
  readonly target: string;
  readonly qualifier: string;
  readonly requested: number;
  /**
   * Pings dispatched: handed to the network (an answer, a throttle, or a failure after the request left the
   * process). A ping never started (the round stopped first) or one that failed before leaving (connection
   * refused, aborted while waiting for a socket) is not counted.
   */
  readonly sent: number;
  readonly succeeded: number;
  /** Throttled pings, by the `Reason` Lambda gave (e.g. ReservedFunctionConcurrentInvocationLimitExceeded). */
  readonly throttled: number;
  readonly throttleReasons: Readonly<Record<string, number>>;
  /** Pings that failed for another reason (function error, network, timeout). */
  readonly failed: number;
  readonly failures: Readonly<Record<string, number>>;
  /** Distinct container ids that answered. */
  readonly distinctContainers: number;
  /** Pings that started their container (prewarms). */
  readonly newContainers: number;
  /** Pings answered without the Warmpool protocol (the helper is not installed). */
  readonly unrecognised: number;
  /** Why the round stopped early, if it did (e.g. "stopped: ConcurrentInvocationLimitExceeded", "deadline"). */
  readonly stoppedEarly: string | null;
  readonly holdMs: number;
  readonly wallMs: number;
  /**
   * Additive (warming helper): the spread between the first and the last protocol answer's estimated arrival
   * (answer time minus hold), the measured dispatch spread `pickHold` learns the rate from; null below 2 answers.
   */
  readonly dispatchSpreadMs?: number | null | undefined;
  /** Additive: floor(share x pool) when a budget capped the round below `requested`; null when no cap applied. */
  readonly budgetLimit?: number | null | undefined;
  /**
   * Additive: the largest hold a helper answered with, when it held less than asked (its `maxHoldMs` capped
   * the hold); null when every answer held as asked.
   */
  readonly heldLessMs?: number | null | undefined;
  /** Additive: the slowest ping's time from dispatch to reaching Lambda (answer time minus hold). */
  readonly maxDispatchDelayMs?: number | null | undefined;
  /** Additive: answers the dispatch spread was measured over (one wave's, for a ramp); absent: `succeeded`. */
  readonly spreadPings?: number | undefined;
  /** Additive: the round was cut to the controller's in-flight slots (every ping of a round is in flight at once). */
  readonly inFlightCap?: number | null | undefined;
  /** Additive: how long the round waited for in-flight slots before its first wave left (0: none). */
  readonly queuedMs?: number | undefined;
  /** Additive: the waves of a round larger than one wave can reach (see `planRamp`); null for one wave. */
  readonly ramp?: RampRecord | null | undefined;
  /** Additive: the tick's shared budget granted fewer pings than decided (see `SharedBudget`). */
  readonly budgetCut?: BudgetCut | null | undefined;
  /** Additive: set when fewer distinct containers answered than decided (the outcome is then `short`). */
  readonly shortfall?: Shortfall | null | undefined;
}
