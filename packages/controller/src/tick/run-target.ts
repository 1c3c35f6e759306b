import {
  type CapacityObservation,
  decide,
  type PastDecision,
  realPeakOver,
  type TargetConfig,
  type TargetHistory,
} from '@warmpool/core';
import type { SharedBudget } from '../fanout/shared-budget.js';
import { describeShortfall, shortfallOf } from '../fanout/shortfall.js';
import type { FanOutResult } from '../fanout/types.js';
import type { Logger } from '../log/logger.js';
import type {
  DecisionOutcome,
  DecisionRecord,
  ObservedWindow,
  OutcomeStatus,
} from '../ports/decision-store.js';
import type { TargetMetrics } from '../ports/metrics-source.js';
import { emptySeries } from '../window/dense-series.js';
import type { QueryWindow } from '../window/query-window.js';
import { describeError } from './deadline.js';
import { isOwnUnfinished } from './own-record.js';
import { latestState, toPastDecisions } from './past-decisions.js';
import { timeoutSignal } from './timeout-signal.js';
import type { TargetTickResult, TickDeps, WriteStatus } from './types.js';

const UNKNOWN_CAPACITY: CapacityObservation = { reservedConcurrency: null, unreservedConcurrency: null };
/** Past decisions read per target: the forecast's lookback at one per tick, plus slack. */
const PAST_DECISIONS_LIMIT = 100;

export interface TargetRun {
  readonly deps: TickDeps;
  readonly target: TargetConfig;
  readonly tickIntervalSeconds: number;
  readonly nowMs: number;
  readonly tickId: string;
  readonly window: QueryWindow;
  /**
   * This target's metrics, or null when the read failed outright (`metricsError` says why) or was deferred
   * (`concurrencyReadAtMs`).
   */
  readonly metrics: TargetMetrics | null;
  /** When a steady target's concurrency was last read, where this tick deferred the read: the last decision is kept. */
  readonly concurrencyReadAtMs?: number | undefined;
  /** Cold starts delivered since the last read, where they brought this read forward (`read-woken`). */
  readonly wokenByColdStarts?: number | undefined;
  readonly metricsError: string | null;
  readonly signal: AbortSignal;
  /** Real epoch ms by which the fan-out must be done, leaving time to record the outcome. */
  readonly warmDeadlineMs: number;
  /** The tick's budget shared by targets on the account's unreserved pool (absent: nothing is cut). */
  readonly sharedBudget?: SharedBudget | undefined;
  readonly log: Logger;
  /**
   * False for a `--dry-run` tick: it reads and decides but writes nothing, so it never claims a window that the
   * scheduled tick needs (a recorded window makes every later run of it a duplicate). Default true.
   */
  readonly writes?: boolean | undefined;
  /** The past decisions when the tick read them already (to plan its metric reads); read here otherwise. */
  readonly past?: PastRead | undefined;
}

/** A target's past decisions as read, or why they could not be. */
export type PastRead = { readonly records: readonly DecisionRecord[] } | { readonly error: unknown };

/**
 * Reads the past decisions of the query window (the forecast's lookback); never throws. With a container cache,
 * a cold container (or a target it has not seen) reads the whole lookback; afterwards only the newest windows
 * are queried (from the newest cached window minus one interval, or from the oldest cached record still waiting
 * for its outcome), merged in: a duplicated tick's outcome or another container's records are still picked up.
 * Records past their TTL (`expiresAt`) are left out either way, as DynamoDB deletes them.
 */
export async function readPastDecisions(
  deps: Pick<TickDeps, 'store' | 'cache'>,
  target: TargetConfig,
  window: QueryWindow,
  signal: AbortSignal,
  at: { readonly nowMs: number; readonly tickIntervalSeconds: number },
): Promise<PastRead> {
  const live = (r: DecisionRecord) => r.windowStartMs >= window.startMs && !(r.expiresAt * 1000 <= at.nowMs);
  const newestFirst = (rs: Iterable<DecisionRecord>) =>
    [...rs].filter(live).sort((a, b) => b.windowStartMs - a.windowStartMs);
  const c = deps.cache;
  const cached = c?.cache.pastOf(c.scope, target.id);
  const warm = c !== undefined && cached !== undefined && cached.records.size > 0;
  let items: readonly DecisionRecord[];
  try {
    const page = await deps.store.listDecisions(target.id, {
      sinceMs: warm
        ? refreshSince(cached.records.values(), at.tickIntervalSeconds, window.startMs)
        : window.startMs,
      limit: PAST_DECISIONS_LIMIT,
      signal,
    });
    items = page.items;
  } catch (error) {
    return { error };
  }
  if (!items.every(isRecord)) return { records: items }; // malformed: the target fails alone, uncached
  if (!c) return { records: newestFirst(items) };
  if (warm) for (const r of items) cached.records.set(r.windowStartMs, r);
  const records = newestFirst(warm ? cached.records.values() : items);
  c.cache.setPast(c.scope, target.id, records);
  return { records };
}

function isRecord(r: unknown): r is DecisionRecord {
  return typeof r === 'object' && r !== null && typeof (r as DecisionRecord).windowStartMs === 'number';
}

/**
 * Where a warm container's refresh query starts: one interval before the newest cached window, or earlier at
 * the oldest cached record still without an outcome (another run may have written it since); never before the
 * lookback. Pure.
 */
export function refreshSince(
  cached: Iterable<DecisionRecord>,
  tickIntervalSeconds: number,
  lookbackStartMs: number,
): number {
  let newest = Number.NEGATIVE_INFINITY;
  let oldestPending = Number.POSITIVE_INFINITY;
  for (const r of cached) {
    if (r.windowStartMs < lookbackStartMs) continue;
    newest = Math.max(newest, r.windowStartMs);
    if (r.outcome === null) oldestPending = Math.min(oldestPending, r.windowStartMs);
  }
  if (newest === Number.NEGATIVE_INFINITY) return lookbackStartMs;
  return Math.max(lookbackStartMs, Math.min(newest - tickIntervalSeconds * 1000, oldestPending));
}

/**
 * One target's tick: read its past decisions, decide, record (conditionally), warm, record the outcome. Every
 * dependency failure degrades instead of failing: no metrics → last decision or min; no store → warm anyway
 * and report the lost write; a duplicated window → report the first run's decision and warm nothing.
 */
export async function runTarget(run: TargetRun): Promise<TargetTickResult> {
  const { deps, target, log, signal } = run;
  const degraded: string[] = [];

  let records: readonly DecisionRecord[] = [];
  const past =
    run.past ??
    (await readPastDecisions(deps, target, run.window, signal, {
      nowMs: run.nowMs,
      tickIntervalSeconds: run.tickIntervalSeconds,
    }));
  if ('records' in past) {
    records = past.records;
  } else {
    degraded.push(`past decisions unreadable (${describeError(past.error)}): fresh tuning state`);
    log.warn('past decisions unreadable', { error: past.error });
  }

  let capacity = UNKNOWN_CAPACITY;
  if (deps.capacity) {
    try {
      capacity = await deps.capacity(target, signal);
    } catch (e) {
      degraded.push(`capacity unreadable (${describeError(e)}): budget unknown`);
      log.warn('capacity unreadable', { error: e });
    }
  }

  if (run.metricsError !== null) degraded.push(`metrics unavailable (${run.metricsError})`);
  const m = run.metrics;
  const history: TargetHistory = {
    concurrency: m?.concurrency ?? emptySeries(run.window),
    coldStarts: m?.coldStarts ?? emptySeries(run.window),
    coldStartsReadAtMs: m?.coldStartsReadAtMs,
    throttles: m?.throttles,
    dayAgo: m?.dayAgo,
    weekAgo: m?.weekAgo,
    pastDecisions: toPastDecisions(records),
    capacity,
    metricsUnavailable: m === null && run.concurrencyReadAtMs === undefined,
    concurrencyReadAtMs: m === null ? run.concurrencyReadAtMs : undefined,
    wokenByColdStarts: m === null ? undefined : run.wokenByColdStarts,
  };
  const decision = decide(
    { target, tickIntervalSeconds: run.tickIntervalSeconds },
    history,
    latestState(records),
    run.nowMs,
  );
  const record: DecisionRecord = {
    target: target.id,
    windowStartMs: decision.windowStartMs,
    tickId: run.tickId,
    recordedAtMs: deps.clock.now(),
    expiresAt: Math.floor(decision.windowStartMs / 1000) + target.decisionTtlDays * 86_400,
    decision,
    degraded,
    outcome: null,
    ...(m
      ? {
          observed: observe(
            m,
            decision.windowStartMs - run.tickIntervalSeconds * 1000,
            decision.windowStartMs,
            history.pastDecisions,
            target.holdMs,
          ),
        }
      : {}),
  };

  // The last recorded round's dispatch spread sizes this round's hold.
  const lastRound = records.find((r) => r.outcome?.fanOut)?.outcome?.fanOut ?? null;
  if (run.writes === false) {
    const outcome = await warm(run, decision.count, decision.dryRun, capacity.reservedConcurrency, lastRound);
    return {
      target: target.id,
      status: outcome.status,
      decision,
      fanOut: outcome.fanOut,
      write: 'dry-run',
      outcomeWrite: 'dry-run',
      degraded,
      ...(record.observed ? { observed: record.observed } : {}),
    };
  }

  // A tick that warms nothing (a dry run, or a count of 0) knows its outcome now: its one conditional put records
  // the decision with it, instead of a put and then an update (half the write units, same item).
  const known =
    decision.dryRun || decision.count <= 0
      ? await warm(run, decision.count, decision.dryRun, capacity.reservedConcurrency, lastRound)
      : null;
  let write: WriteStatus = 'recorded';
  try {
    const put = await deps.store.putDecision(known ? { ...record, outcome: known } : record, { signal });
    if (isOwnUnfinished(put, run.tickId) || (known && !put.created && put.existing.tickId === run.tickId)) {
      // Our own write landed but its answer was lost, and a retry hit the condition: we are the writer.
      log.warn('found this tick’s own decision after a retried write: carrying on as its writer', {
        window: new Date(decision.windowStartMs).toISOString(),
      });
    } else if (!put.created) {
      log.info('window already decided: duplicated tick, not warming again', {
        window: new Date(decision.windowStartMs).toISOString(),
        firstTickId: put.existing.tickId,
      });
      return {
        target: target.id,
        status: 'duplicate',
        decision: put.existing.decision,
        fanOut: put.existing.outcome?.fanOut ?? null,
        write: 'duplicate',
        outcomeWrite: 'skipped',
        degraded,
      };
    }
  } catch (e) {
    write = 'lost';
    log.error('decision write failed: warming from the decision anyway', { error: e, count: decision.count });
  }

  // The tick gives a target up at its budget and reports it `timed-out`. Warming or writing after that (now,
  // or via the outbox at the next tick) would contradict the report, so an abandoned target stops here.
  const abandoned = (outcome: DecisionOutcome | null): TargetTickResult => {
    log.error('abandoned target stopped after the tick returned: nothing more is warmed or recorded', {
      status: outcome?.status ?? null,
      reached: outcome?.fanOut?.distinctContainers ?? null,
    });
    return {
      target: target.id,
      status: 'timed-out',
      decision,
      fanOut: outcome?.fanOut ?? null,
      write,
      outcomeWrite: 'skipped',
      degraded,
    };
  };
  if (signal.aborted) return abandoned(null);
  const outcome =
    known ?? (await warm(run, decision.count, decision.dryRun, capacity.reservedConcurrency, lastRound));
  const status = outcome.status;
  if (signal.aborted) return abandoned(outcome);

  let outcomeWrite: WriteStatus = 'recorded';
  if (write === 'recorded' && known) {
    // written with the decision
  } else if (write === 'recorded') {
    try {
      await deps.store.recordOutcome(target.id, decision.windowStartMs, outcome, {
        signal,
        expiresAt: record.expiresAt,
      });
    } catch (e) {
      outcomeWrite = 'lost';
      log.error('outcome write failed', { error: e });
    }
  } else {
    // The store may be back: one more conditional put, now with the outcome, so the window is not lost.
    try {
      const retry = await deps.store.putDecision({ ...record, outcome }, { signal });
      // The first put had landed after all (its answer was lost): add the outcome to our own record, unless it
      // went with the decision.
      const own = !retry.created && retry.existing.tickId === run.tickId;
      if (isOwnUnfinished(retry, run.tickId))
        await deps.store.recordOutcome(target.id, decision.windowStartMs, outcome, {
          signal,
          expiresAt: record.expiresAt,
        });
      write = retry.created || own ? 'recovered' : 'duplicate';
      outcomeWrite = retry.created || own ? 'recorded' : 'skipped';
      if (retry.created || own)
        log.warn('decision recorded on retry after warming', { ownEarlierWrite: own });
    } catch (e) {
      outcomeWrite = 'lost';
      deps.outbox?.add({ ...record, outcome });
      log.error('decision lost: the store was unavailable before and after warming', {
        error: e,
        queued: deps.outbox !== undefined,
      });
    }
  }

  return {
    target: target.id,
    status,
    decision,
    fanOut: outcome.fanOut,
    write,
    outcomeWrite,
    degraded,
    ...(record.observed ? { observed: record.observed } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
  };
}

async function warm(
  run: TargetRun,
  count: number,
  dryRun: boolean,
  reservedConcurrency: number | null,
  lastRound: FanOutResult | null,
): Promise<DecisionOutcome> {
  const { deps, target, log } = run;
  const done = (status: OutcomeStatus, fanOut: FanOutResult | null, error?: string): DecisionOutcome => ({
    status,
    fanOut,
    ...(error ? { error } : {}),
    completedAtMs: deps.clock.now(),
  });
  if (dryRun) return done('dry-run', null);
  if (count <= 0) return done('nothing-to-warm', null);
  try {
    const remaining = run.warmDeadlineMs - Date.now();
    // Not AbortSignal.any with AbortSignal.timeout: that timeout can be garbage-collected unfired (see timeoutSignal).
    const signal = timeoutSignal(Math.max(0, remaining), run.signal).signal;
    const grant = run.sharedBudget?.claim(target, count, reservedConcurrency) ?? {
      granted: count,
      cut: null,
    };
    if (grant.cut) log.warn('cut by the shared budget', { ...grant.cut });
    const sent = await deps.warm(target, grant.granted, {
      signal,
      deadlineMs: run.warmDeadlineMs,
      tickId: run.tickId,
      budgetCut: grant.cut,
      lastRound,
    });
    if (reservedConcurrency === null && (sent.throttleReasons.ConcurrentInvocationLimitExceeded ?? 0) > 0)
      run.sharedBudget?.markFull(target.id);
    // The record holds what was decided, and why fewer were reached when they were.
    const cut = { ...sent, requested: count, budgetCut: grant.cut ?? sent.budgetCut ?? null };
    const shortfall = shortfallOf(count, cut);
    const fanOut: FanOutResult = { ...cut, shortfall };
    // Throttles alone are not a failure: the fan-out stopped to keep the pool for real traffic, and the
    // record shows it (throttled, Reason, stoppedEarly). No ping answering because of errors is one.
    if (fanOut.succeeded === 0 && fanOut.failed > 0) {
      const why = Object.entries({ ...fanOut.failures, ...fanOut.throttleReasons })
        .map(([k, v]) => `${k} x${v}`)
        .join(', ');
      log.error('no ping reached the target', {
        failures: fanOut.failures,
        throttleReasons: fanOut.throttleReasons,
      });
      return done('warm-failed', fanOut, `no ping succeeded: ${why}`);
    }
    // Answers without the Warmpool protocol mean the handler-side helper is not installed: the pings ran the
    // user's handler instead of holding a container, so nothing was warmed on purpose. Say so loudly.
    if (fanOut.unrecognised > 0) {
      const message = `${fanOut.unrecognised} of ${fanOut.sent} answers lacked the Warmpool protocol: is withWarmup installed in the target's handler?`;
      if (fanOut.succeeded === 0) {
        log.error('helper not installed', { unrecognised: fanOut.unrecognised, sent: fanOut.sent });
        return done('warm-failed', fanOut, message);
      }
      log.warn('some answers lacked the protocol', { unrecognised: fanOut.unrecognised, sent: fanOut.sent });
    }
    // Fewer containers than decided is not `warmed`: the status says so, the record says why.
    if (shortfall) {
      log.warn('short round', { ...shortfall, summary: describeShortfall(shortfall) });
      return done('short', fanOut);
    }
    return done('warmed', fanOut);
  } catch (e) {
    log.error('warm round failed', { error: e });
    return done('warm-failed', null, describeError(e));
  }
}

/** Actuals of `[fromMs, toMs)` from the series read this tick (minutes past the lag only). */
function observe(
  m: TargetMetrics,
  fromMs: number,
  toMs: number,
  pastDecisions: readonly PastDecision[],
  holdMs: TargetConfig['holdMs'],
): ObservedWindow {
  let peak: number | null = null;
  let cold = 0;
  let reported = 0;
  const inWindow = (startMs: number, i: number) => {
    const t = startMs + i * 60_000;
    return t >= fromMs && t < toMs;
  };
  m.concurrency.values.forEach((v, i) => {
    if (!inWindow(m.concurrency.startMs, i)) return;
    if (v !== null) peak = Math.max(peak ?? 0, v);
  });
  m.coldStarts.values.forEach((v, i) => {
    if (inWindow(m.coldStarts.startMs, i) && v !== null) cold += v;
  });
  const lastReported = m.concurrency.startMs + m.concurrency.values.length * 60_000;
  for (let t = fromMs; t < toMs; t += 60_000) if (t < lastReported) reported++;
  // Read up to the last reported minute only: later ones are missing because of the lag, not quiet.
  const realPeak =
    peak === null
      ? null
      : realPeakOver(m.concurrency, pastDecisions, holdMs, fromMs, Math.min(toMs, lastReported));
  return {
    windowStartMs: fromMs,
    peakConcurrency: peak,
    realPeak,
    coldStarts: cold,
    reportedMinutes: reported,
  };
}
