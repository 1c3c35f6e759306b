import type { CapacityObservation, Clock, Decision, TargetConfig } from '@warmpool/core';
import type { MetricsEmitter } from '../emf/emf.js';
import type { BudgetCut } from '../fanout/shared-budget.js';
import type { FanOutResult } from '../fanout/types.js';
import type { Logger } from '../log/logger.js';
import type { DecisionStore, ObservedWindow, OutcomeStatus } from '../ports/decision-store.js';
import type { MetricsSource } from '../ports/metrics-source.js';
import type { WakeStore } from '../ports/wake-store.js';
import type { ContainerCache } from './container-cache.js';
import type { DecisionOutbox } from './outbox.js';

/** Warms `count` containers of `target`; resolves with what the fan-out reached. Must honour `signal`. */
export type WarmTarget = (
  target: TargetConfig,
  count: number,
  options: {
    readonly signal: AbortSignal;
    readonly deadlineMs: number;
    readonly tickId: string;
    /** Set when the tick's shared budget granted fewer than decided (`count` is then the granted number). */
    readonly budgetCut?: BudgetCut | null | undefined;
    /**
     * The target's last recorded round (from the decision table), so a controller container that has not
     * warmed this target yet still starts from a measured dispatch rate.
     */
    readonly lastRound?: FanOutResult | null | undefined;
  },
) => Promise<FanOutResult>;

/** Reads the concurrency limits `decide()` budgets against (GetFunctionConcurrency, GetAccountSettings). */
export type ReadCapacity = (target: TargetConfig, signal: AbortSignal) => Promise<CapacityObservation>;

/** Reads `UnreservedConcurrentExecutions` (null when the account did not say). */
export type ReadAccount = (signal: AbortSignal) => Promise<number | null>;

/** Everything a tick talks to, injected: the handler wires AWS, tests wire fakes and loopback stand-ins. */
export interface TickDeps {
  readonly metrics: MetricsSource;
  readonly store: DecisionStore;
  readonly warm: WarmTarget;
  /** Optional: without it the budget is unknown and `max` bounds the count. */
  readonly capacity?: ReadCapacity | undefined;
  /**
   * Optional: the account's unreserved concurrency (GetAccountSettings), read once per tick for the budget all
   * targets share (`SharedBudget`); without it, or when it fails, no target is cut by it.
   */
  readonly account?: ReadAccount | undefined;
  /** Time for decisions and records (a simulated clock in the e2e tests). */
  readonly clock: Clock;
  readonly log: Logger;
  readonly emf: MetricsEmitter;
  /** Keeps decisions whose writes were lost, for the next tick to write (optional; see DecisionOutbox). */
  readonly outbox?: DecisionOutbox | undefined;
  /**
   * What this container remembers between ticks, keyed by `scope` (the decision table) and target: the past
   * decisions (refreshed by a query of the newest windows only) and the last cold-start read (a busy target's
   * count is read at most every `coldStartEveryTicks` ticks). Absent: every tick reads the whole lookback and
   * every needed cold-start count.
   */
  readonly cache?: { readonly cache: ContainerCache; readonly scope: string } | undefined;
  /**
   * The targets' wake marks (cold starts the log subscription delivered), read once per tick where the cache
   * backs reads off: a steady target with `wakeAfterColdStarts` new cold starts is read at once. Absent, or
   * unreadable: reads wait out their back-off.
   */
  readonly wakes?: WakeStore | undefined;
}

export interface TickOptions {
  /**
   * Real milliseconds the tick may take (in Lambda: `context.getRemainingTimeInMillis()` minus a margin). The
   * tick returns by then whatever the AWS calls do; work still running is abandoned and reported.
   */
  readonly timeBudgetMs?: number | undefined;
  /** Reporting lag assumed for CloudWatch datapoints (default 2 minutes). */
  readonly metricLagMs?: number | undefined;
  /**
   * Forces dry run on every target (the CLI's `--dry-run`): decide and report, warm nothing and write nothing,
   * so the window stays free for the scheduled tick.
   */
  readonly dryRun?: boolean | undefined;
  /** Bound on each decision-store call the tick waits on (default STORE_CALL_TIMEOUT_MS). */
  readonly storeCallTimeoutMs?: number | undefined;
  /** Identifies this run in records and logs (the handler passes the Lambda request id). */
  readonly tickId?: string | undefined;
  /**
   * With a container cache: read a busy target's cold-start count at most every this many ticks (default
   * `COLD_START_EVERY_TICKS` from core, as the simulator's warmpool policy does), reusing the last read in between.
   */
  readonly coldStartEveryTicks?: number | undefined;
}

export const TARGET_STATUSES = {
  ...({
    warmed: 'warmed',
    short: 'short',
    dryRun: 'dry-run',
    nothing: 'nothing-to-warm',
    warmFailed: 'warm-failed',
  } as const satisfies Record<string, OutcomeStatus>),
  /** The window already had a decision (a duplicated tick): nothing warmed, the first run's decision reported. */
  duplicate: 'duplicate',
  /** Something failed before a decision existed (a bug or bad data); other targets are unaffected. */
  failed: 'failed',
  /** The tick's time budget ran out for this target. */
  timedOut: 'timed-out',
} as const;
export type TargetStatus = (typeof TARGET_STATUSES)[keyof typeof TARGET_STATUSES];

/** What happened to the decision record's writes. */
export const WRITE_STATUSES = {
  recorded: 'recorded',
  /** The first write failed but the retry after warming stored the decision with its outcome. */
  recovered: 'recovered',
  /**
   * Neither write reached the store: reported, logged and counted in `DecisionWriteFailed` (and queued in the
   * outbox, when there is one, for the next tick to write).
   */
  lost: 'lost',
  /** Another run had already recorded this window. */
  duplicate: 'duplicate',
  /** Never attempted (the target failed or timed out first). */
  skipped: 'skipped',
  /** A `--dry-run` tick writes nothing, so it never claims a window a scheduled tick needs. */
  dryRun: 'dry-run',
} as const;
export type WriteStatus = (typeof WRITE_STATUSES)[keyof typeof WRITE_STATUSES];

export interface TargetTickResult {
  readonly target: string;
  readonly status: TargetStatus;
  /** The decision acted on (for a duplicate: the one recorded by the first run). */
  readonly decision: Decision | null;
  readonly fanOut: FanOutResult | null;
  /** The decision's write, then the outcome's write. */
  readonly write: WriteStatus;
  readonly outcomeWrite: WriteStatus;
  /** Why this target degraded (metrics unavailable, state unreadable, capacity unknown …). */
  readonly degraded: readonly string[];
  /** What the metrics showed for the previous window (absent when they were unavailable). */
  readonly observed?: ObservedWindow | undefined;
  readonly error?: string | undefined;
}

export interface TickResult {
  readonly tickId: string;
  readonly nowMs: number;
  readonly metrics: {
    readonly ok: boolean;
    readonly calls: number;
    readonly queries: number;
    /** Targets whose cold-start count was not read: their decision did not need it (left out when none). */
    readonly coldStartsSkipped?: number;
    /**
     * Steady targets whose metrics were not read this tick (`maxTicksBetweenReads`): each kept its last decision,
     * with the reason `read-deferred` (left out when none).
     */
    readonly readsDeferred?: number;
    /**
     * Steady targets read before their back-off was due because cold starts were delivered since their last
     * read (`wakeAfterColdStarts`): their decisions say `read-woken` (left out when none).
     */
    readonly readsWoken?: number;
    readonly error?: string;
  };
  readonly targets: readonly TargetTickResult[];
  /** Targets whose decision did not reach the store this tick (DynamoDB unavailable); queued when an outbox is set. */
  readonly lostWrites: readonly string[];
  /** Decisions of earlier ticks (`target@window`) written from the outbox at the start of this tick. */
  readonly recoveredWrites: readonly string[];
  /** True when the time budget ran out before every target finished. */
  readonly timedOut: boolean;
  /**
   * Additive: the budget the targets on the account's unreserved pool shared this tick: the pool read
   * (null when unknown, with `error` saying why: nothing was cut then) and the pings claimed from it.
   */
  readonly sharedBudget?:
    | { readonly unreserved: number | null; readonly claimed: number; readonly error?: string }
    | undefined;
}
