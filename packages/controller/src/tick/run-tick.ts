import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import {
  afterConcurrencyRead,
  COLD_START_EVERY_TICKS,
  type ControllerMetric,
  coldStartReadDue,
  coldStartsNeeded,
  concurrencyReadDue,
  forecastMade,
  LOOKBACK_MINUTES,
  type MinuteSeries,
  risenSinceColdRead,
  type TargetConfig,
  TICK_FAULT_METRICS,
  type WarmpoolConfig,
} from '@warmpool/core';
import { SharedBudget } from '../fanout/shared-budget.js';
import type { DecisionRecord } from '../ports/decision-store.js';
import type { MetricsReadResult, TargetMetrics } from '../ports/metrics-source.js';
import type { WakeMark } from '../ports/wake-store.js';
import { computeQueryWindow } from '../window/query-window.js';
import { tickWindowStart, windowSortKey } from '../window/tick-window.js';
import { boundedStore, STORE_CALL_TIMEOUT_MS } from './bounded-store.js';
import { rememberingStore } from './container-cache.js';
import { beforeDeadline, DeadlineError, describeError } from './deadline.js';
import { latestState, toPastDecisions } from './past-decisions.js';
import { readPastDecisions, runTarget } from './run-target.js';
import { timeoutSignal } from './timeout-signal.js';
import type { TargetTickResult, TickDeps, TickOptions, TickResult } from './types.js';

/** Default time budget when the caller gives none (the CLI): well inside a 5-minute schedule. */
export const DEFAULT_TIME_BUDGET_MS = 60_000;
/** CloudWatch Lambda metrics usually land one to two minutes late. */
export const DEFAULT_METRIC_LAG_MS = 120_000;
/** Share of the budget the one metrics read may use before the tick decides without it. */
const METRICS_SHARE = 0.4;
/** Time kept after the fan-out to record its outcome. */
const OUTCOME_RESERVE_MS = 3_000;
/**
 * Bound on the whole outbox flush at the start of a tick, apart from the tick's budget: a store still hung
 * since the last tick must not eat this one too.
 */
export const OUTBOX_FLUSH_TIMEOUT_MS = 3_000;

/**
 * One controller tick over every target: one metrics read for all, then each target concurrently and isolated
 * (decide → record → warm → record outcome). Never throws for a dependency failure; returns what happened,
 * within `timeBudgetMs` of real time.
 */
export async function runTick(
  deps: TickDeps,
  config: WarmpoolConfig,
  nowMs: number = deps.clock.now(),
  options: TickOptions = {},
): Promise<TickResult> {
  const startedReal = Date.now();
  const budget = Math.max(1, options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  // Held by its own timer (see timeoutSignal) and never disposed: abandoned work must still see it abort.
  const tickSignal = timeoutSignal(budget).signal;
  // Every target's calls listen on the tick's signal at once (hundreds of targets): not a leak, so no
  // MaxListenersExceededWarning.
  setMaxListeners(0, tickSignal);
  const tickId = options.tickId ?? `${windowSortKey(nowMs)}/${randomUUID().slice(0, 8)}`;
  const log = deps.log.child({ tickId });
  // Every store call the tick waits on gets its own short bound (an abort signal per call).
  const bounded = boundedStore(deps.store, options.storeCallTimeoutMs ?? STORE_CALL_TIMEOUT_MS);
  // What this container writes (or finds written) is kept in its cache too, so the next tick need not read it.
  const store = deps.cache ? rememberingStore(bounded, deps.cache.cache, deps.cache.scope) : bounded;
  const tickDeps: TickDeps = { ...deps, store };
  // Per-tick sums of the fault metrics, emitted once without dimensions for the construct's alarms.
  const faults: Partial<Record<ControllerMetric, number>> = {};
  const emf: TickDeps['emf'] = {
    emit: (dimensions, values) => {
      for (const k of TICK_FAULT_METRICS) faults[k] = (faults[k] ?? 0) + (values[k] ?? 0);
      deps.emf.emit(dimensions, values);
    },
  };
  const targets = options.dryRun ? config.targets.map((t) => ({ ...t, dryRun: true })) : config.targets;
  const window = computeQueryWindow({
    nowMs,
    lagMs: options.metricLagMs ?? DEFAULT_METRIC_LAG_MS,
    lookbackPeriods: LOOKBACK_MINUTES,
  });

  // Decisions an earlier tick could not write go first, so this tick's reads see them.
  let recoveredWrites: string[] = [];
  if (deps.outbox && deps.outbox.size > 0 && !options.dryRun) {
    const flushBound = timeoutSignal(OUTBOX_FLUSH_TIMEOUT_MS, tickSignal);
    const flushSignal = flushBound.signal;
    const flushed = await beforeDeadline(deps.outbox.flush(store, flushSignal), flushSignal)
      .catch(() => ({ written: [] as string[], failed: 1 }))
      .finally(() => flushBound.dispose());
    recoveredWrites = flushed.written;
    if (flushed.written.length > 0)
      log.warn('wrote decisions of earlier ticks from the outbox', { written: flushed.written });
    if (flushed.failed > 0)
      log.error('outbox still pending: the store is unavailable', { pending: deps.outbox.size });
  }

  // The account's unreserved pool, read once for the budget every target on it shares, beside the metrics.
  let accountError: string | undefined = deps.account ? undefined : 'no account reader';
  const account = deps.account
    ? beforeDeadline(deps.account(tickSignal), tickSignal).catch((e: unknown) => {
        accountError = describeError(e);
        log.warn('account settings unreadable: no shared budget this tick', { error: e });
        return null;
      })
    : Promise.resolve(null);
  // The wake marks (cold starts delivered since each target's last read), read beside the past decisions.
  const wakesRead = readWakeMarks(tickDeps, targets, tickSignal, options.storeCallTimeoutMs, log);
  // Past decisions first: they say where the pings were, so the metrics read asks only for what each decision
  // needs (a cold-start count only where the function ran beyond its pings). A failed read is handled per target.
  const past = new Map(
    await Promise.all(
      targets.map(
        async (t) =>
          [
            t.id,
            await readPastDecisions(tickDeps, t, window, tickSignal, {
              nowMs,
              tickIntervalSeconds: config.tickIntervalSeconds,
            }),
          ] as const,
      ),
    ),
  );
  const readInput = (t: TargetConfig, concurrency: MinuteSeries) => {
    const p = past.get(t.id);
    // Without its past, a target's pings cannot be told apart: null, and the count is read.
    if (!p || !('records' in p)) return null;
    return {
      concurrency,
      pastDecisions: toPastDecisions(p.records),
      holdMs: t.holdMs,
      tickIntervalSeconds: config.tickIntervalSeconds,
      nowMs,
      // The read feeds back every window since the tuning's last update: the count is needed if any of them ran.
      tuningUpdatedForWindowMs: latestState(p.records)?.updatedForWindowMs ?? null,
    };
  };
  // A needed count is read at most every K ticks where the container remembers the last read; in between that
  // read is reused and the minutes since it stay missing (null), never 0. A cold container reads it.
  const coldEvery = options.coldStartEveryTicks ?? COLD_START_EVERY_TICKS;
  const reuseCold = new Set<string>();
  const coldStartsFor = (t: TargetConfig, concurrency: MinuteSeries): boolean => {
    const input = readInput(t, concurrency);
    if (input !== null && !coldStartsNeeded(input)) return false;
    const c = deps.cache;
    const last = c?.cache.coldStartsOf(c.scope, t.id);
    if (!c || coldStartReadDue(last?.readMs ?? null, nowMs, config.tickIntervalSeconds, coldEvery))
      return true;
    // Before it is due when real traffic rose to a new high since the last read: a rise starts containers.
    if (input === null || (last && risenSinceColdRead(input, last.readMs))) return true;
    reuseCold.add(t.id);
    return false;
  };

  // A steady target's read backs off (`maxTicksBetweenReads`) where this container remembers its last one: it is
  // left out of the read, and decide() keeps its last decision. Its next read covers every minute in between, and
  // replays those windows.
  const wakes = await wakesRead;
  const { deferred, woken } = deferredReads(deps, targets, past, nowMs, config.tickIntervalSeconds, wakes);
  const readTargets = deferred.size > 0 ? targets.filter((t) => !deferred.has(t.id)) : targets;

  let read: MetricsReadResult | null = null;
  let metricsError: string | null = null;
  if (readTargets.length === 0) read = { byTarget: new Map(), calls: 0, queries: 0 };
  else
    try {
      // Not AbortSignal.any with AbortSignal.timeout: that timeout can be garbage-collected unfired (see timeoutSignal).
      const signal = timeoutSignal(Math.floor(budget * METRICS_SHARE), tickSignal).signal;
      // Seasonal references must cover the decision window too: from the window's end to the next tick's end.
      const decisionEndMs =
        tickWindowStart(nowMs, config.tickIntervalSeconds) + config.tickIntervalSeconds * 1000;
      const referenceExtendPeriods = Math.max(0, Math.ceil((decisionEndMs - window.endMs) / window.periodMs));
      read = await beforeDeadline(
        deps.metrics.read({ targets: readTargets, window, signal, referenceExtendPeriods, coldStartsFor }),
        signal,
      );
    } catch (e) {
      metricsError = describeError(e);
      log.error('metrics unavailable: deciding from the last decisions', { error: e });
    }
  const byTarget = read ? withCachedColdStarts(read.byTarget, reuseCold, nowMs, deps.cache) : null;

  const warmDeadlineMs = startedReal + budget - Math.min(OUTCOME_RESERVE_MS, budget * 0.2);
  const sharedBudget = new SharedBudget(await account);
  const results = await Promise.all(
    targets.map(async (target): Promise<TargetTickResult> => {
      const tlog = log.child({ target: target.id });
      try {
        const r = await beforeDeadline(
          runTarget({
            deps: tickDeps,
            target,
            tickIntervalSeconds: config.tickIntervalSeconds,
            nowMs,
            tickId,
            window,
            metrics: byTarget ? (byTarget.get(target.id) ?? null) : null,
            metricsError: deferred.has(target.id)
              ? null
              : read
                ? read.byTarget.has(target.id)
                  ? null
                  : 'no series returned'
                : metricsError,
            concurrencyReadAtMs: deferred.get(target.id),
            wokenByColdStarts: woken.get(target.id),
            signal: tickSignal,
            warmDeadlineMs,
            sharedBudget,
            log: tlog,
            writes: !options.dryRun,
            past: past.get(target.id),
          }),
          tickSignal,
        );
        // A duplicated tick re-reports the first run's numbers; emitting them again would double-count.
        if (r.status !== 'duplicate')
          emitTarget(emf, r, !deferred.has(target.id) && (read === null || !read.byTarget.has(target.id)));
        // A decision made on a read starts (or continues) the target's back-off.
        if (deps.cache && r.decision && r.status !== 'duplicate' && byTarget?.has(target.id))
          rememberRead(deps.cache, target, nowMs, config.tickIntervalSeconds, r.decision.count, wakes);
        tlog.info('target done', {
          status: r.status,
          count: r.decision?.count ?? null,
          forecast: r.decision?.forecast.peak ?? null,
          reached: r.fanOut?.distinctContainers ?? null,
          write: r.write,
          outcomeWrite: r.outcomeWrite,
          degraded: r.degraded,
        });
        return r;
      } catch (e) {
        const timedOut = e instanceof DeadlineError;
        tlog.error(timedOut ? 'target abandoned: time budget exhausted' : 'target failed', { error: e });
        emf.emit({ Target: target.id }, { targetFailed: 1 });
        return {
          target: target.id,
          status: timedOut ? 'timed-out' : 'failed',
          decision: null,
          fanOut: null,
          write: 'skipped',
          outcomeWrite: 'skipped',
          degraded: [],
          error: describeError(e),
        };
      }
    }),
  );

  emitTickFaults(deps, faults);
  const lostWrites = results.filter((r) => r.write === 'lost').map((r) => r.target);
  const result: TickResult = {
    tickId,
    nowMs,
    metrics: read
      ? {
          ok: true,
          calls: read.calls,
          queries: read.queries,
          ...(read.coldStartsSkipped ? { coldStartsSkipped: read.coldStartsSkipped } : {}),
          ...(deferred.size > 0 ? { readsDeferred: deferred.size } : {}),
          ...(woken.size > 0 ? { readsWoken: woken.size } : {}),
        }
      : { ok: false, calls: 0, queries: 0, error: metricsError ?? 'unknown' },
    targets: results,
    lostWrites,
    recoveredWrites,
    timedOut: results.some((r) => r.status === 'timed-out'),
    sharedBudget: {
      unreserved: sharedBudget.unreserved,
      claimed: sharedBudget.claimedTotal,
      ...(sharedBudget.unreserved === null && accountError ? { error: accountError } : {}),
    },
  };
  log.info('tick done', {
    targets: results.length,
    // What the read cost: GetMetricData bills each metric requested ($0.01 per 1,000).
    metricsRequested: read?.queries ?? 0,
    coldStartsSkipped: read?.coldStartsSkipped ?? 0,
    readsDeferred: deferred.size,
    readsWoken: woken.size,
    statuses: Object.fromEntries(results.map((r) => [r.target, r.status])),
    lostWrites,
    realMs: Date.now() - startedReal,
  });
  return result;
}

/** Targets whose reads back off and may be woken: only where this container remembers reads. */
function wakeable(deps: TickDeps, t: TargetConfig): boolean {
  return deps.cache !== undefined && t.maxTicksBetweenReads > 1 && t.wakeAfterColdStarts > 0;
}

/**
 * The wake marks of the targets that can be woken, in one read; null when there is no wake store, no such
 * target, or the read failed (then reads wait out their back-off, and the tick says so in its log).
 */
async function readWakeMarks(
  deps: TickDeps,
  targets: readonly TargetConfig[],
  tickSignal: AbortSignal,
  callTimeoutMs: number | undefined,
  log: TickDeps['log'],
): Promise<ReadonlyMap<string, WakeMark> | null> {
  const ids = targets.filter((t) => wakeable(deps, t)).map((t) => t.id);
  if (!deps.wakes || ids.length === 0) return null;
  const bound = timeoutSignal(callTimeoutMs ?? STORE_CALL_TIMEOUT_MS, tickSignal);
  try {
    return await beforeDeadline(deps.wakes.readWakes(ids, { signal: bound.signal }), bound.signal);
  } catch (e) {
    log.warn('wake marks unreadable: deferred reads wait out their back-off', { error: e });
    return null;
  } finally {
    bound.dispose();
  }
}

/**
 * The targets whose concurrency read this tick defers, with when each was read last: those whose container-cached
 * back-off (`concurrencyReadDue`) says the read is not due. A target without a cached read, whose past could not
 * be read, whose last round came back short or failed, or with `wakeAfterColdStarts` cold starts delivered since
 * its last read (`woken`, with their count), is read.
 */
function deferredReads(
  deps: TickDeps,
  targets: readonly TargetConfig[],
  past: ReadonlyMap<string, { readonly records: readonly DecisionRecord[] } | { readonly error: unknown }>,
  nowMs: number,
  tickIntervalSeconds: number,
  wakes: ReadonlyMap<string, WakeMark> | null,
): { deferred: Map<string, number>; woken: Map<string, number> } {
  const deferred = new Map<string, number>();
  const woken = new Map<string, number>();
  const c = deps.cache;
  if (!c) return { deferred, woken };
  for (const t of targets) {
    if (t.maxTicksBetweenReads <= 1) continue;
    const state = c.cache.concurrencyReadOf(c.scope, t.id);
    const p = past.get(t.id);
    if (!state || !p || !('records' in p)) continue;
    const lastRound = p.records.find((r) => r.outcome !== null)?.outcome?.status;
    const lastRoundShort = lastRound === 'short' || lastRound === 'warm-failed';
    const input = { state, target: t, nowMs, tickIntervalSeconds, lastRoundShort };
    if (concurrencyReadDue(input)) continue;
    // A mark counts only what was delivered since the read: the count it showed then is the baseline.
    const mark = wakes?.get(t.id);
    const since = mark ? mark.coldStarts - (state.coldStartsSeen ?? 0) : 0;
    if (since > 0 && concurrencyReadDue({ ...input, coldStartsSinceRead: since })) woken.set(t.id, since);
    else deferred.set(t.id, state.readMs);
  }
  return { deferred, woken };
}

/** Remembers a target's read, and the back-off it starts, in the container cache (only where it backs off). */
function rememberRead(
  cache: NonNullable<TickDeps['cache']>,
  target: TargetConfig,
  nowMs: number,
  tickIntervalSeconds: number,
  count: number,
  wakes: ReadonlyMap<string, WakeMark> | null,
): void {
  if (target.maxTicksBetweenReads <= 1) return;
  const prev = cache.cache.concurrencyReadOf(cache.scope, target.id) ?? null;
  // The mark as of this read is the next ticks' baseline; with the marks unread, the last one known stands.
  const coldStartsSeen = wakes ? (wakes.get(target.id)?.coldStarts ?? 0) : prev?.coldStartsSeen;
  cache.cache.setConcurrencyRead(
    cache.scope,
    target.id,
    afterConcurrencyRead(prev, { nowMs, count, tickIntervalSeconds, coldStartsSeen }, target),
  );
}

/**
 * The metrics as read, with each cold-start count read this tick remembered in the container cache, and the
 * remembered one put in where a needed count was not due for a read (`reuse`).
 */
function withCachedColdStarts(
  read: ReadonlyMap<string, TargetMetrics>,
  reuse: ReadonlySet<string>,
  nowMs: number,
  cache: TickDeps['cache'],
): ReadonlyMap<string, TargetMetrics> {
  if (!cache) return read;
  const out = new Map(read);
  for (const [id, m] of read) {
    if (m.coldStartsRead !== false)
      cache.cache.setColdStarts(cache.scope, id, { readMs: nowMs, series: m.coldStarts });
    else if (reuse.has(id)) {
      const last = cache.cache.coldStartsOf(cache.scope, id);
      if (last) out.set(id, { ...m, coldStarts: last.series, coldStartsReadAtMs: last.readMs });
    }
  }
  return out;
}

/**
 * One line per tick, without dimensions, summing the fault metrics over every target: what the construct's
 * alarms watch (an alarm needs one metric, and target ids are not known when the stack is synthesized). Zeros
 * are emitted too, so a quiet tick reads as 0 rather than as missing data.
 */
function emitTickFaults(deps: TickDeps, faults: Partial<Record<ControllerMetric, number>>): void {
  deps.emf.emit({}, Object.fromEntries(TICK_FAULT_METRICS.map((k) => [k, faults[k] ?? 0])));
}

function emitTarget(emf: TickDeps['emf'], r: TargetTickResult, metricsUnavailable: boolean): void {
  emf.emit(
    { Target: r.target },
    {
      // A kept decision (read deferred, metrics missing) made no forecast: leave the minute empty, not a 0.
      ...(forecastMade(r.decision) ? { forecast: r.decision?.forecast.peak ?? 0 } : {}),
      decided: r.decision?.count ?? 0,
      reached: r.fanOut?.distinctContainers ?? 0,
      ...(typeof r.observed?.realPeak === 'number' ? { observedRealPeak: r.observed.realPeak } : {}),
      throttled: r.fanOut?.throttled ?? 0,
      decisionWriteFailed: r.write === 'lost' ? 1 : 0,
      shortRound: r.status === 'short' ? 1 : 0,
      // A round in which no ping reached the target failed it as surely as an exception would.
      targetFailed: r.status === 'warm-failed' ? 1 : 0,
      metricsUnavailable: metricsUnavailable ? 1 : 0,
      // Answers without the Warmpool protocol: the handler-side helper is missing (see warm() in run-target).
      helperMissing: (r.fanOut?.unrecognised ?? 0) > 0 ? 1 : 0,
    },
  );
}
