import { FORECAST_MODELS, type ForecastModelChoice, type TargetConfig } from '../config/types.js';
import { forecastPeak } from '../forecast/forecast.js';
import { coldStartsOver, feedbackSpan, prepareHistory } from '../forecast/prepare.js';
import { pingSpanMs } from '../forecast/real-peak.js';
import { cleanReading, MINUTE, peakOver } from '../forecast/series.js';
import { boundsWithSchedules } from '../schedule/bounds.js';
import { catchUpTuning, unappliedWindows } from '../tuning/catch-up.js';
import { normaliseTuningState, TUNING_CHANGES } from '../tuning/headroom.js';
import { budgetLimit } from './budget.js';
import { type HoldOptions, measuredDispatchRate, pickHold } from './hold.js';
import {
  busyAtRound,
  INTERFERENCE_DEFAULTS,
  type InterferenceOptions,
  measuredInterference,
  quietFor,
  ROUND_VERDICTS,
  type RoundWeighing,
  trafficPool,
  weighRound,
} from './interference.js';
import { rawCountOf, replayMissedWindows } from './replay.js';
import { stabilizedCount } from './stabilize.js';
import {
  type Decision,
  type PastDecision,
  REASON_CODES,
  type Reason,
  type TargetHistory,
  type TuningState,
} from './types.js';

export interface DecideConfig {
  readonly target: TargetConfig;
  readonly tickIntervalSeconds: number;
  /** Knobs of the interference check (INTERFERENCE_DEFAULTS where absent). */
  readonly interference?: InterferenceOptions | undefined;
  /** Knobs of the hold picked for `holdMs: 'auto'` (HOLD_DEFAULTS where absent). */
  readonly hold?: HoldOptions | undefined;
}

/** Rounds whose measured dispatch rate sets the hold: a median, so one slow round does not stretch it. */
const HOLD_RATE_ROUNDS = 3;

/** Used when the tick interval is not a positive finite number (the config parser rejects that anyway). */
const FALLBACK_TICK_SECONDS = 300;

const MODEL_CHOICES = new Set<string>(Object.values(FORECAST_MODELS));

/**
 * Decides how many containers to keep warm for one target over the next window. Pure and deterministic: the
 * same inputs give a deep-equal decision; it never throws on odd data (NaN, negatives, empty or missing series).
 *
 * The window is the tick interval, aligned to the tick grid (nowMs rounded to a multiple of the interval), so a
 * tick that EventBridge delivers twice decides for the same window and applies its feedback once.
 *
 * Steps: mask warm minutes → forecast the window peak → update headroom from the feedback of every window since
 * the last update (one, unless ticks did not read) → raw = ceil(peak × headroom) → replay the windows whose ticks
 * did not read → hold the raw count up to the recent (and replayed) raw counts → clamp to [min, max] → cap by the
 * budget (which wins over min).
 */
export function decide(
  config: DecideConfig,
  history: TargetHistory,
  state: TuningState | null,
  nowMs: number,
): Decision {
  const target = config.target;
  const tickSeconds =
    Number.isFinite(config.tickIntervalSeconds) && config.tickIntervalSeconds > 0
      ? config.tickIntervalSeconds
      : FALLBACK_TICK_SECONDS;
  const horizonMinutes = Math.max(1, Math.ceil(tickSeconds / 60));
  const tickMs = tickSeconds * 1000;
  const now = Number.isFinite(nowMs) ? nowMs : 0;
  const windowStartMs = Math.round(now / tickMs) * tickMs;
  const windowEndMs = windowStartMs + horizonMinutes * MINUTE;
  // Known events (schedules) raise the floor and may move the ceiling while they hold: see boundsWithSchedules.
  const ownMin = wholeCount(target.min, 0);
  const bounds = boundsWithSchedules(
    ownMin,
    Math.max(ownMin, wholeCount(target.max, ownMin)),
    target.schedules,
    windowStartMs,
    windowEndMs,
  );
  const { min, max } = bounds;
  const prev = normaliseTuningState(state);
  const reasons: Reason[] = [];
  const say = (code: Reason['code'], message: string) => reasons.push({ code, message });
  const choice: ForecastModelChoice = MODEL_CHOICES.has(target.model) ? target.model : FORECAST_MODELS.auto;
  const h: Partial<TargetHistory> = history !== null && typeof history === 'object' ? history : {};
  const decisions = Array.isArray(h.pastDecisions) ? h.pastDecisions : [];

  let forecast: Decision['forecast'];
  let tuned: TuningState;
  let rawCount: number;
  let weigh: ((wanted: number) => RoundWeighing) | null = null;
  let silent = false;
  let quietMinutes = 0;
  let minShortfallShare = 0;
  let stabilized: Decision['stabilized'];
  let replayed: Decision['replayed'];
  const deferredFromMs =
    typeof h.concurrencyReadAtMs === 'number' && Number.isFinite(h.concurrencyReadAtMs)
      ? h.concurrencyReadAtMs
      : null;
  const unavailable = h.metricsUnavailable === true || h.concurrency === undefined || deferredFromMs !== null;
  if (unavailable) {
    // A failed read is not evidence of idleness, and a deferred one found the target steady: keep what was
    // decided last, or min when there is nothing.
    const last = prev.lastCount ?? lastDecidedCount(decisions);
    tuned = prev;
    rawCount = last ?? 0;
    forecast = {
      peak: 0,
      model: choice === FORECAST_MODELS.auto ? FORECAST_MODELS.peakQuantile : choice,
      score: null,
      candidates: [],
      why:
        deferredFromMs !== null && h.metricsUnavailable !== true
          ? // The read-deferred reason says when it was last read; the item is billed per KB, so not twice.
            'read deferred: no forecast made'
          : 'metrics unavailable: no forecast made',
      horizonMinutes,
    };
    if (deferredFromMs !== null && h.metricsUnavailable !== true && last !== null) {
      say(
        REASON_CODES.readDeferred,
        `steady target: concurrency not read this tick (last read at ${new Date(deferredFromMs).toISOString()}), the last decision (${last}) kept`,
      );
    } else if (last !== null) {
      say(
        REASON_CODES.metricsMissingLastDecision,
        `metrics missing: fell back to the last decision (${last})`,
      );
    } else {
      say(
        REASON_CODES.metricsMissingMin,
        `metrics missing and no earlier decision: fell back to min (${min})`,
      );
    }
  } else {
    const prepared = prepareHistory(
      h as TargetHistory,
      windowStartMs,
      windowEndMs,
      pingSpanMs(target.holdMs),
      tickMs,
    );
    const fc = forecastPeak(prepared, choice, horizonMinutes, windowStartMs, windowEndMs);
    const peaks = fc.windowPeaks;
    // The feedback of every window since the tuning was last updated: after deferred or failed ticks, the read
    // applies the windows it missed (their minutes are in this read), not only the last one.
    const coldReadAtMs = typeof h.coldStartsReadAtMs === 'number' ? h.coldStartsReadAtMs : null;
    const windows = unappliedWindows(prev, windowStartMs, tickMs);
    const update = catchUpTuning(prev, windows, (w) => {
      const span = feedbackSpan(w, horizonMinutes);
      const cold = coldStartsOver(prepared, span.fromMs, span.toMs);
      const observedPeak = peakOver(prepared.concurrency, span.fromMs, span.toMs);
      return {
        coldStarts: cold.outsidePings,
        coldStartsDuringPings: cold.duringPings,
        observedPeak: Number.isNaN(observedPeak) ? 0 : observedPeak,
        warmed: warmedForPreviousWindow(decisions, w),
        // A count read at an earlier tick (and reused) says nothing of the windows after that read.
        coldStartsUnread: coldReadAtMs !== null && coldReadAtMs < w - tickMs / 2,
      };
    });
    tuned = update.state;
    const woken = h.wokenByColdStarts;
    if (typeof woken === 'number' && Number.isFinite(woken) && woken > 0)
      say(
        REASON_CODES.readWoken,
        `read before its back-off was due: ${woken} user-felt cold start(s) delivered since the last read`,
      );
    if (update.change === TUNING_CHANGES.raised) say(REASON_CODES.headroomRaised, update.message);
    if (update.change === TUNING_CHANGES.decayed) say(REASON_CODES.headroomDecayed, update.message);
    if (prepared.maskedMinutes > 0) {
      say(
        REASON_CODES.warmMinutesMasked,
        `${prepared.maskedMinutes} minute(s) with warm pings masked and imputed from their neighbours`,
      );
    }
    const invalid = prepared.concurrency.invalid ?? 0;
    // Readings that were there but unusable are not "no datapoints": such a function is not new, it reports
    // nonsense, and the reasons must say so rather than call it new or idle.
    const isNew =
      prepared.concurrency.datapoints === 0 &&
      invalid === 0 &&
      decisions.length === 0 &&
      prev.lastCount === null;
    let observed = 0;
    for (const x of peaks) if (x > observed) observed = x;
    if (invalid > 0) {
      say(
        REASON_CODES.invalidReadings,
        `${invalid} of ${invalid + prepared.concurrency.datapoints} concurrency readings were negative, NaN or infinite and were ignored`,
      );
    }
    if (isNew) {
      say(REASON_CODES.newFunction, 'new function: no concurrency datapoints and no earlier decisions');
      say(REASON_CODES.metricsMissingMin, `no metrics yet: fell back to min (${min})`);
    } else if (observed === 0 && !(invalid > 0 && prepared.concurrency.datapoints === 0)) {
      say(
        REASON_CODES.idle,
        `idle: no real concurrency in the last ${prepared.concurrency.values.length} minutes`,
      );
    }
    forecast = {
      peak: fc.peak,
      model: fc.model,
      score: fc.score,
      candidates: fc.candidates,
      why: fc.why,
      horizonMinutes,
    };
    say(REASON_CODES.modelChosen, fc.why);
    rawCount = rawCountOf(fc.peak, tuned.headroom);
    // The windows this read caught up on (deferred or failed ticks) ask for what a read at each would have. A
    // tick delivered again has nothing left to catch up on: it reuses the replay its state recorded.
    const missed = windows
      .slice(0, -1)
      .map((w, i) => ({ windowStartMs: w, headroom: update.headrooms[i] as number }));
    replayed =
      missed.length > 0
        ? (replayMissedWindows(
            h as TargetHistory,
            missed,
            choice,
            horizonMinutes,
            pingSpanMs(target.holdMs),
            tickMs,
          ) ?? undefined)
        : windows.length === 0 && prev.updatedForWindowMs === windowStartMs
          ? prev.replayed
          : undefined;
    // Scale-down stabilization: a pool shrinks only once no raw count of the stabilization window asks for more
    // (this read's replay included, as the next decisions will count it).
    const held = stabilizedCount(rawCount, decisions, windowStartMs, target.stabilization ?? {}, replayed);
    if (held.fromWindowMs !== null) {
      stabilized = { count: held.count, fromWindowMs: held.fromWindowMs };
      const asked = held.replayed
        ? `the window of ${new Date(held.fromWindowMs).toISOString()}, replayed from this read (its tick did not read), asked for it`
        : `the window of ${new Date(held.fromWindowMs).toISOString()} asked for it`;
      say(
        REASON_CODES.scaleDownHeld,
        `raw count ${rawCount} held at ${held.count}: ${asked} (scale-down stabilization)`,
      );
    }
    const knobs = { ...INTERFERENCE_DEFAULTS, ...stripUndefined(config.interference ?? {}) };
    const pool = trafficPool(prepared.concurrency, knobs.assumedIdleMinutes);
    const estimate = measuredInterference(prepared);
    const busy = busyAtRound(prepared.concurrency, horizonMinutes, knobs.busyShare);
    weigh = (wanted) => weighRound(wanted, pool, busy, estimate, knobs.weight, knobs.minShortfallShare);
    quietMinutes = knobs.quietMinutes;
    minShortfallShare = knobs.minShortfallShare;
    silent = quietFor(prepared, quietMinutes);
  }

  // What the bounds apply to: the raw count, or the higher count stabilization held it at.
  const wanted = stabilized?.count ?? rawCount;
  let boundedCount = wanted;
  if (bounds.note !== null && !(wanted < min && bounds.minFromSchedule)) {
    say(REASON_CODES.scheduledMin, `${bounds.note}; raw count ${wanted} not raised by it`);
  }
  if (wanted < min && bounds.minFromSchedule) {
    boundedCount = min;
    say(REASON_CODES.scheduledMin, `${bounds.note}; raw count ${wanted} raised to the scheduled min ${min}`);
  } else if (wanted < min) {
    boundedCount = min;
    say(REASON_CODES.clampedToMin, `raw count ${wanted} raised to min ${min}`);
  } else if (wanted > max) {
    boundedCount = max;
    say(REASON_CODES.clampedToMax, `raw count ${wanted} clamped to max ${max}`);
  }

  const budget = target.budget;
  const limit = budgetLimit(budget, h.capacity);
  let count = boundedCount;
  if (limit === null) {
    say(
      REASON_CODES.budgetUnknown,
      `${budget.source} concurrency unknown: no budget cap applied, max bounds`,
    );
  } else if (boundedCount > limit) {
    count = limit;
    if (limit < min) {
      say(
        REASON_CODES.budgetBelowMin,
        `budget ${limit} (${budget.share} of ${budget.source} concurrency) is below min ${min}: real traffic comes first`,
      );
    } else {
      say(REASON_CODES.budgetLimited, `count ${boundedCount} limited to the budget ${limit}`);
    }
  }
  // Cut by max or the budget, before weighing: a round skipped for interference is not a cap (more headroom
  // still raises the target above what traffic keeps).
  const capped = !unavailable && count < wanted;
  let interference: Decision['interference'];
  if (weigh !== null && count > min) {
    const w = weigh(count);
    interference = {
      trafficPool: w.trafficPool,
      shortfall: w.shortfall,
      perRound: w.interferencePerRound,
      rounds: w.rounds,
      verdict: silent && w.verdict === ROUND_VERDICTS.go ? REASON_CODES.quietSkip : w.verdict,
    };
    if (interference.verdict === REASON_CODES.quietSkip) {
      say(
        REASON_CODES.quietSkip,
        `no real traffic for ${quietMinutes} minutes: no round beyond min (${min}) until traffic returns`,
      );
      count = min;
    } else if (w.verdict === ROUND_VERDICTS.trafficKeepsPool) {
      say(
        REASON_CODES.trafficKeepsPool,
        w.shortfall === 0
          ? `traffic alone kept ${w.trafficPool} container(s) in use within the idle time, the forecast needs ${count}: no round beyond min (${min})`
          : `traffic alone kept ${w.trafficPool} container(s) in use within the idle time, the forecast needs ${count}: a round of ${w.size} ping(s) would add ${w.shortfall}, under ${minShortfallShare} of it: no round beyond min (${min})`,
      );
      count = min;
    } else if (w.verdict === ROUND_VERDICTS.interferenceLimited) {
      say(
        REASON_CODES.interferenceLimited,
        `the last ${w.rounds} round(s) caused ~${round1(w.interferencePerRound ?? 0)} cold start(s) each, more than the ${w.shortfall} this one could prevent: round skipped, min (${min}) kept`,
      );
      count = min;
    } else if (w.size < count) {
      say(
        REASON_CODES.trafficKeepsPool,
        `about ${count - w.size} container(s) are busy with traffic when the round lands, out of its reach: round of ${w.size} for a pool of ${count}`,
      );
      count = Math.max(min, w.size);
    }
  }
  // No round, no hold: a count of 0 records none (every stored decision is billed by its size).
  const hold = count > 0 ? chooseHold(target.holdMs, count, decisions, config.hold) : undefined;
  const dryRun = target.dryRun === true;
  if (dryRun) say(REASON_CODES.dryRun, 'dry run: decided and recorded, not warmed');

  return {
    target: target.id,
    functionName: target.functionName,
    qualifier: target.qualifier,
    windowStartMs,
    windowEndMs,
    decidedAtMs: now,
    forecast,
    headroom: tuned.headroom,
    rawCount,
    ...(stabilized ? { stabilized } : {}),
    ...(replayed ? { replayed } : {}),
    bounds: { min, max },
    boundedCount,
    budget: { source: budget.source, share: budget.share, limit },
    count,
    ...(interference ? { interference } : {}),
    ...(hold ? { hold } : {}),
    dryRun,
    reasons,
    // Capped only means something against a forecast; the last-decision fallback has none.
    // The replay rides on the state only for this window (see TuningState.replayed), never carried past it.
    state: { ...withoutReplay(tuned), lastCount: count, capped, ...(replayed ? { replayed } : {}) },
  };
}

/**
 * The hold: the target's fixed one, or the shortest that still makes `count` pings overlap (`pickHold`), at the
 * median dispatch rate measured on the last rounds that reported their spread.
 */
function chooseHold(
  holdMs: TargetConfig['holdMs'],
  count: number,
  decisions: readonly PastDecision[],
  options: HoldOptions | undefined,
): Decision['hold'] {
  if (typeof holdMs === 'number')
    return { holdMs, source: 'target', why: `the target's fixed hold (${holdMs} ms)` };
  const rates: number[] = [];
  for (const d of decisions) {
    const reached = cleanReading(d?.reached);
    const spread = cleanReading(d?.dispatchSpreadMs);
    if (reached === null || spread === null) continue;
    const rate = measuredDispatchRate({ succeeded: reached, dispatchSpreadMs: spread });
    if (rate !== null) rates.push(rate);
    if (rates.length === HOLD_RATE_ROUNDS) break;
  }
  rates.sort((a, b) => a - b);
  const rate = rates.length > 0 ? (rates[(rates.length - 1) >> 1] as number) : null;
  const choice = pickHold(count, rate, stripUndefined(options ?? {}));
  return { holdMs: choice.holdMs, source: choice.rateSource, why: choice.why };
}

function withoutReplay(s: TuningState): TuningState {
  const { replayed: _, ...rest } = s;
  return rest;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function wholeCount(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : fallback;
}

function lastDecidedCount(decisions: readonly PastDecision[]): number | null {
  for (const d of decisions) {
    const c = cleanReading(d?.count);
    if (c !== null) return Math.floor(c);
  }
  return null;
}

/** Containers warmed for the window before `windowStartMs` (reached where known), or null if none decided. */
function warmedForPreviousWindow(decisions: readonly PastDecision[], windowStartMs: number): number | null {
  for (const d of decisions) {
    if (!(d?.windowStartMs < windowStartMs)) continue;
    return cleanReading(d.reached) ?? cleanReading(d.count);
  }
  return null;
}
