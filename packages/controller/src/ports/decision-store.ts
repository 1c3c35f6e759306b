import type { Decision } from '@warmpool/core';
import type { FanOutResult } from '../fanout/types.js';

/** What happened to a decision after it was recorded. */
export const OUTCOME_STATUSES = {
  /** The pings went out and reached as many distinct containers as decided. */
  warmed: 'warmed',
  /**
   * The pings went out but reached fewer distinct containers than decided; `fanOut.shortfall` says how many
   * were missing and why (throttles, the deadline, a shared-budget cut, queueing, a hold shorter than the spread).
   */
  short: 'short',
  /** `dryRun`: recorded, not warmed. */
  dryRun: 'dry-run',
  /** Nothing to warm (count 0). */
  nothing: 'nothing-to-warm',
  /** The fan-out threw or ran out of time. */
  warmFailed: 'warm-failed',
} as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[keyof typeof OUTCOME_STATUSES];

export interface DecisionOutcome {
  readonly status: OutcomeStatus;
  readonly fanOut: FanOutResult | null;
  /** Why the warm failed, when it did. */
  readonly error?: string | undefined;
  readonly completedAtMs: number;
}

/** One item of the decision table: one per target per window. */
export interface DecisionRecord {
  /** Target id `name:qualifier` (the partition key). */
  readonly target: string;
  /** Window start, epoch ms (the sort key, stored as ISO 8601). */
  readonly windowStartMs: number;
  /** Identifies the tick run that wrote it (a duplicated delivery has another id but finds this record). */
  readonly tickId: string;
  readonly recordedAtMs: number;
  /** DynamoDB TTL, epoch seconds. */
  readonly expiresAt: number;
  /** Everything decide() returned. */
  readonly decision: Decision;
  /** Why the tick degraded for this target (metrics unavailable, state unreadable …), empty when it did not. */
  readonly degraded: readonly string[];
  /** Null until the warm round ends. */
  readonly outcome: DecisionOutcome | null;
  /**
   * What the metrics showed for the previous window (`[windowStartMs - interval, windowStartMs)`), as far as it
   * was reported at tick time: the actuals `warmpool decisions` sets against that window's forecast.
   */
  readonly observed?: ObservedWindow | undefined;
}

export interface ObservedWindow {
  readonly windowStartMs: number;
  /** Peak `ConcurrentExecutions` (pings included), null when no minute had a datapoint. */
  readonly peakConcurrency: number | null;
  /**
   * Peak of real traffic: the same minutes with the pings' own inflation masked and imputed as `decide()` does
   * (`realPeakOver` in core). Absent on records written before it was recorded.
   */
  readonly realPeak?: number | null | undefined;
  /** User-felt cold starts (the configured metric, Sum). */
  readonly coldStarts: number;
  /** Minutes of the window that were reported (had passed the reporting lag). */
  readonly reportedMinutes: number;
}

export type PutDecisionResult =
  | { readonly created: true }
  /** The window already had a decision: a duplicated tick. `existing` is what the first run recorded. */
  | { readonly created: false; readonly existing: DecisionRecord };

export interface ListDecisionsOptions {
  /** Only windows starting at or after this time. */
  readonly sinceMs?: number | undefined;
  /** Page size (default 50). */
  readonly limit?: number | undefined;
  /** From a previous page's `nextPageToken`. */
  readonly pageToken?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface DecisionPage {
  /** Newest window first. */
  readonly items: readonly DecisionRecord[];
  readonly nextPageToken?: string | undefined;
}

/** Options of `recordOutcome`. */
export interface RecordOutcomeOptions {
  readonly signal?: AbortSignal | undefined;
  /** The decision record's `expiresAt`: a store that keeps the outcome apart lets it expire with its decision. */
  readonly expiresAt?: number | undefined;
}

/**
 * Where decisions live. Writes are conditional on the window being new, so a second run of the same tick finds
 * the first run's decision and does not warm twice; the outcome of a round is recorded against that window, and
 * every read returns it on the window's record.
 */
export interface DecisionStore {
  /** Records a decision unless its window already has one (then returns that one). */
  putDecision(record: DecisionRecord, options?: { signal?: AbortSignal }): Promise<PutDecisionResult>;
  /** Records the warm outcome of (target, window): read back as the `outcome` of that window's record. */
  recordOutcome(
    target: string,
    windowStartMs: number,
    outcome: DecisionOutcome,
    options?: RecordOutcomeOptions,
  ): Promise<void>;
  /** Recorded decisions of one target, newest first, paged. */
  listDecisions(target: string, options?: ListDecisionsOptions): Promise<DecisionPage>;
}
