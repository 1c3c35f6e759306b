/** The outcome of one warm round, as data. Recorded on the decision item. */
export interface FanOutResult {
  readonly target: string;
  readonly qualifier: string;
  readonly requested: number;
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
}
