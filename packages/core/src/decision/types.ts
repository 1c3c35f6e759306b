import type { BudgetSource, ForecastModelName } from '../config/types.js';

/**
 * A per-minute series as CloudWatch returns it after window maths: `values[i]` covers the minute starting at
 * `startMs + i * 60_000`. `null` is a missing datapoint (CloudWatch returned nothing for that minute).
 */
export interface MinuteSeries {
  readonly startMs: number;
  readonly values: readonly (number | null)[];
}

/** What the controller did in a past window, read back from the decision store. */
export interface PastDecision {
  readonly windowStartMs: number;
  /** When the pings were fired (tick time). The minute containing it reads at least `count`. */
  readonly warmedAtMs: number;
  /** Containers the controller decided to warm. */
  readonly count: number;
  /** Distinct containers the fan-out actually reached, where known. */
  readonly reached?: number | undefined;
  /** First to last ping answer of the round, in ms, where measured: sets the next holds (see `pickHold`). */
  readonly dispatchSpreadMs?: number | null | undefined;
  /**
   * The decision's raw count (its forecast × headroom, before bounds), where it made a forecast: holds the next
   * decisions up for a while (`stabilizedCount`).
   */
  readonly rawCount?: number | undefined;
  /**
   * Where the decision's read followed ticks that did not read: the highest raw count those windows would have
   * decided, and its window (`Decision.replayed`). It holds the next decisions up as that window's own would have.
   */
  readonly replayed?: ReplayedRawCount | undefined;
}

/** A raw count replayed for a window whose tick did not read (see `replayMissedWindows`). */
export interface ReplayedRawCount {
  readonly windowStartMs: number;
  readonly rawCount: number;
}

/** Concurrency limits read at tick time; `null` where unknown or not applicable. */
export interface CapacityObservation {
  /** The function's reserved concurrency (GetFunctionConcurrency), or null when it has none. */
  readonly reservedConcurrency: number | null;
  /** The account's unreserved concurrency, or null when not read. */
  readonly unreservedConcurrency: number | null;
}

/** Everything `decide` reads about one target. All series are 1-minute, oldest first, already lag-trimmed. */
export interface TargetHistory {
  /** `ConcurrentExecutions` Maximum per minute (includes the controller's own pings). */
  readonly concurrency: MinuteSeries;
  /**
   * Optional seasonal references: `ConcurrentExecutions` over the same span as `concurrency` shifted back one
   * day (and one week), extended forward by the forecast horizon, so seasonal-naive can be both used and
   * backtested without the caller shipping whole days of minutes.
   */
  readonly dayAgo?: MinuteSeries | undefined;
  readonly weekAgo?: MinuteSeries | undefined;
  /** User-felt cold starts per minute (the configured cold-start metric, Sum). */
  readonly coldStarts: MinuteSeries;
  /**
   * When `coldStarts` was read, where that was at an earlier tick (a busy target's count is read every few
   * ticks, and the last read reused in between): the last window's cold starts are then unknown, so the
   * self-tuning neither rises nor counts a quiet window. Absent: read this tick.
   */
  readonly coldStartsReadAtMs?: number | undefined;
  /** `Throttles` Sum per minute, where read. */
  readonly throttles?: MinuteSeries | undefined;
  /** The controller's own past decisions, newest first. */
  readonly pastDecisions: readonly PastDecision[];
  readonly capacity: CapacityObservation;
  /** True when the metrics read failed outright (as opposed to returning no datapoints). */
  readonly metricsUnavailable?: boolean | undefined;
  /**
   * When the concurrency was last read, where this tick did not read it: the target is steady and its read backs
   * off (`concurrencyReadDue`). `decide()` then keeps the last decision (`read-deferred`), with this tick's
   * bounds and budget, and the tuning holds. Absent: read this tick.
   */
  readonly concurrencyReadAtMs?: number | undefined;
  /**
   * User-felt cold starts delivered since the last read, where they brought this read forward (`readWoken`): the
   * reasons say so (`read-woken`). Absent: the read was due anyway.
   */
  readonly wokenByColdStarts?: number | undefined;
}

/** Self-tuning state carried forward from one decision to the next (stored on the decision record). */
export interface TuningState {
  readonly version: 1;
  /** Multiplier applied to the forecast peak, within [HEADROOM_MIN, HEADROOM_MAX]. */
  readonly headroom: number;
  /** Window start of the decision that produced this state, or null for a fresh state. */
  readonly updatedForWindowMs: number | null;
  /** Consecutive quiet windows (no user cold starts, unused warm capacity); drives the slow decay. */
  readonly quietWindows: number;
  /** The last decided count, the fallback when metrics are missing. */
  readonly lastCount: number | null;
  /**
   * The last decision's count was cut by `max` or the budget (below ceil(peak × headroom)). Cold starts in such
   * a window do not raise the headroom: more of it cannot add containers. Absent in older states (= false).
   */
  readonly capped?: boolean | undefined;
  /**
   * The replay of the decision that produced this state (`Decision.replayed`), for its own window: a tick
   * delivered again applies no feedback and has no windows left to replay, so it reuses this one and decides the
   * same. Absent when that decision replayed nothing.
   */
  readonly replayed?: ReplayedRawCount | undefined;
}

export const REASON_CODES = {
  clampedToMin: 'clamped-to-min',
  clampedToMax: 'clamped-to-max',
  budgetLimited: 'budget-limited',
  budgetBelowMin: 'budget-below-min',
  /** The budget's pool (reserved or unreserved concurrency) is unknown, so no budget cap was applied. */
  budgetUnknown: 'budget-unknown',
  metricsMissingLastDecision: 'metrics-missing-last-decision',
  metricsMissingMin: 'metrics-missing-min',
  /** A steady target's concurrency was not read this tick (its read backs off): the last decision is kept. */
  readDeferred: 'read-deferred',
  /** Cold starts delivered since a steady target's last read brought its deferred read forward. */
  readWoken: 'read-woken',
  newFunction: 'new-function',
  /** Concurrency readings that were not finite non-negative numbers were ignored (read as no datapoint). */
  invalidReadings: 'invalid-readings',
  idle: 'idle',
  warmMinutesMasked: 'warm-minutes-masked',
  headroomRaised: 'headroom-raised',
  headroomDecayed: 'headroom-decayed',
  modelChosen: 'model-chosen',
  dryRun: 'dry-run',
  /** Real traffic used as many containers as the forecast needs within the idle time: no round beyond min. */
  trafficKeepsPool: 'traffic-keeps-pool',
  /** The last rounds' measured interference exceeds the cold starts this round could prevent: skipped. */
  interferenceLimited: 'interference-limited',
  /** No real traffic for `quietMinutes`: no round beyond min until traffic returns (a stale forecast). */
  quietSkip: 'quiet-skip',
  /** A schedule (a known event) holds over the window: its min, and max where set, are the bounds. */
  scheduledMin: 'scheduled-min',
  /** The raw count was held up by a higher one decided within the stabilization window. */
  scaleDownHeld: 'scale-down-held',
} as const;
export type ReasonCode = (typeof REASON_CODES)[keyof typeof REASON_CODES];

export interface Reason {
  readonly code: ReasonCode;
  readonly message: string;
}

export interface ModelScore {
  readonly model: ForecastModelName;
  /** Asymmetric backtest loss on the target's own recent history (lower is better); null if not scorable. */
  readonly score: number | null;
}

/** A decision as data. `decide` returns it; the controller executes and records it. */
export interface Decision {
  readonly target: string;
  readonly functionName: string;
  readonly qualifier: string;
  /** The window this decision covers: from the tick until the warmed containers stop serving. */
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly decidedAtMs: number;
  readonly forecast: {
    /** Forecast peak concurrency over the window (real traffic only, warm minutes masked). */
    readonly peak: number;
    readonly model: ForecastModelName;
    readonly score: number | null;
    readonly candidates: readonly ModelScore[];
    /** Why this model was used (e.g. "auto: lowest asymmetric loss over 12 windows"). */
    readonly why: string;
    readonly horizonMinutes: number;
  };
  readonly headroom: number;
  /** ceil(peak × headroom), before any clamp. */
  readonly rawCount: number;
  readonly bounds: { readonly min: number; readonly max: number };
  /**
   * Where scale-down stabilization held the raw count up: the count it held it at (`stabilizedCount`) and the
   * window whose raw count asked for it.
   */
  readonly stabilized?: { readonly count: number; readonly fromWindowMs: number } | undefined;
  /**
   * Where this read followed ticks that did not read (deferred or failed): the highest raw count those windows
   * would have decided, replayed from this read's minutes (`replayMissedWindows`), and its window.
   */
  readonly replayed?: ReplayedRawCount | undefined;
  /** rawCount (or the stabilized count) clamped to [min, max]. */
  readonly boundedCount: number;
  readonly budget: {
    readonly source: BudgetSource;
    readonly share: number;
    /** Max containers warming may take, or null where no limit could be derived. */
    readonly limit: number | null;
  };
  /** The final count: boundedCount after the budget, and after weighing the round's interference. */
  readonly count: number;
  /**
   * The round weighed against what it blocks (absent when metrics were unavailable): the pool traffic keeps
   * alive by itself, the shortfall of the forecast against it, and the interference measured on past rounds.
   */
  readonly interference?:
    | {
        readonly trafficPool: number;
        readonly shortfall: number;
        readonly perRound: number | null;
        readonly rounds: number;
        readonly verdict: 'go' | 'traffic-keeps-pool' | 'interference-limited' | 'quiet-skip';
      }
    | undefined;
  /**
   * How long each ping holds: the shortest that still overlaps the round, from the last rounds' spread. Absent
   * when the count is 0 (no round).
   */
  readonly hold?: {
    readonly holdMs: number;
    readonly source: 'target' | 'measured' | 'assumed';
    readonly why: string;
  };
  readonly dryRun: boolean;
  readonly reasons: readonly Reason[];
  /** State to carry into the next decision. */
  readonly state: TuningState;
}
