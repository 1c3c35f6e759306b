import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { LOOKBACK_MINUTES, type WarmpoolConfig } from '@warmpool/core';
import { SharedBudget } from '../fanout/shared-budget.js';
import type { MetricsReadResult } from '../ports/metrics-source.js';
import { computeQueryWindow } from '../window/query-window.js';
import { tickWindowStart, windowSortKey } from '../window/tick-window.js';
import { beforeDeadline, DeadlineError, describeError } from './deadline.js';
import { runTarget } from './run-target.js';
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
  const tickSignal = AbortSignal.timeout(budget);
  // Every target's calls listen on the tick's signal at once (hundreds of targets): not a leak, so no
  // MaxListenersExceededWarning.
  setMaxListeners(0, tickSignal);
  const tickId = options.tickId ?? `${windowSortKey(nowMs)}/${randomUUID().slice(0, 8)}`;
  const log = deps.log.child({ tickId });
  const targets = options.dryRun ? config.targets.map((t) => ({ ...t, dryRun: true })) : config.targets;
  const window = computeQueryWindow({
    nowMs,
    lagMs: options.metricLagMs ?? DEFAULT_METRIC_LAG_MS,
    lookbackPeriods: LOOKBACK_MINUTES,
  });

  // Decisions an earlier tick could not write go first, so this tick's reads see them.
  let recoveredWrites: string[] = [];
  if (deps.outbox && deps.outbox.size > 0) {
    const flushed = await beforeDeadline(deps.outbox.flush(deps.store, tickSignal), tickSignal).catch(() => ({
      written: [] as string[],
      failed: 1,
    }));
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

  let read: MetricsReadResult | null = null;
  let metricsError: string | null = null;
  try {
    const signal = AbortSignal.any([tickSignal, AbortSignal.timeout(Math.floor(budget * METRICS_SHARE))]);
    // Seasonal references must cover the decision window too: from the window's end to the next tick's end.
    const decisionEndMs =
      tickWindowStart(nowMs, config.tickIntervalSeconds) + config.tickIntervalSeconds * 1000;
    const referenceExtendPeriods = Math.max(0, Math.ceil((decisionEndMs - window.endMs) / window.periodMs));
    read = await beforeDeadline(
      deps.metrics.read({ targets, window, signal, referenceExtendPeriods }),
      signal,
    );
  } catch (e) {
    metricsError = describeError(e);
    log.error('metrics unavailable: deciding from the last decisions', { error: e });
  }

  const warmDeadlineMs = startedReal + budget - Math.min(OUTCOME_RESERVE_MS, budget * 0.2);
  const sharedBudget = new SharedBudget(await account);
  const results = await Promise.all(
    targets.map(async (target): Promise<TargetTickResult> => {
      const tlog = log.child({ target: target.id });
      try {
        const r = await beforeDeadline(
          runTarget({
            deps,
            target,
            tickIntervalSeconds: config.tickIntervalSeconds,
            nowMs,
            tickId,
            window,
            metrics: read ? (read.byTarget.get(target.id) ?? null) : null,
            metricsError: read ? (read.byTarget.has(target.id) ? null : 'no series returned') : metricsError,
            signal: tickSignal,
            warmDeadlineMs,
            sharedBudget,
            log: tlog,
          }),
          tickSignal,
        );
        // A duplicated tick re-reports the first run's numbers; emitting them again would double-count.
        if (r.status !== 'duplicate') emitTarget(deps, r, read === null || !read.byTarget.has(target.id));
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
        deps.emf.emit({ Target: target.id }, { targetFailed: 1 });
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

  const lostWrites = results.filter((r) => r.write === 'lost').map((r) => r.target);
  const result: TickResult = {
    tickId,
    nowMs,
    metrics: read
      ? { ok: true, calls: read.calls, queries: read.queries }
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
    statuses: Object.fromEntries(results.map((r) => [r.target, r.status])),
    lostWrites,
    realMs: Date.now() - startedReal,
  });
  return result;
}

function emitTarget(deps: TickDeps, r: TargetTickResult, metricsUnavailable: boolean): void {
  deps.emf.emit(
    { Target: r.target },
    {
      forecast: r.decision?.forecast.peak ?? 0,
      decided: r.decision?.count ?? 0,
      reached: r.fanOut?.distinctContainers ?? 0,
      ...(typeof r.observed?.realPeak === 'number' ? { observedRealPeak: r.observed.realPeak } : {}),
      throttled: r.fanOut?.throttled ?? 0,
      decisionWriteFailed: r.write === 'lost' ? 1 : 0,
      shortRound: r.status === 'short' ? 1 : 0,
      metricsUnavailable: metricsUnavailable ? 1 : 0,
    },
  );
}
