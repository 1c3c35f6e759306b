import type { TargetConfig } from '../config/types.js';
import { ValidationError } from '../errors.js';
import { pingLoads } from '../forecast/mask.js';
import { feedbackSpan } from '../forecast/prepare.js';
import { pingSpanMs } from '../forecast/real-peak.js';
import { MINUTE, type PreparedSeries, prepareSeries } from '../forecast/series.js';
import { unappliedWindows } from '../tuning/catch-up.js';
import type { MinuteSeries, PastDecision } from './types.js';

export interface ColdStartReadInput {
  /** The tick's `ConcurrentExecutions` read (Maximum per minute, pings included). */
  readonly concurrency: MinuteSeries;
  /** The controller's own past decisions, newest first (where its pings were). */
  readonly pastDecisions: readonly PastDecision[];
  readonly holdMs: TargetConfig['holdMs'];
  readonly tickIntervalSeconds: number;
  readonly nowMs: number;
  /**
   * The window the target's tuning was last updated for (`TuningState.updatedForWindowMs`): a read after deferred
   * or failed ticks feeds back every window since (`unappliedWindows`), so the count is needed if the function
   * ran beyond its pings in any of them. Absent or null: the last window only.
   */
  readonly tuningUpdatedForWindowMs?: number | null | undefined;
}

/**
 * Whether this tick's decision needs the target's cold-start count, decided from what was read already.
 *
 * `decide()` reads cold starts only over its feedback span (the last tick interval, lag included). A cold start
 * is an invocation, and an invocation raises `ConcurrentExecutions` in its minute above what the controller's
 * own pings explain: a real request that finds every container held by a ping reads pings + 1. So when no minute
 * of that span reads above its ping load, the count there is 0, and reading it would buy nothing: a quiet
 * target needs its cold-start count only after it has run. A busy target needs it every tick.
 *
 * A missing datapoint reads as no invocation (Lambda reports `ConcurrentExecutions` only for minutes in which
 * the function ran). Pure: a function of its arguments.
 */
export function coldStartsNeeded(input: ColdStartReadInput): boolean {
  const tickMs =
    Number.isFinite(input.tickIntervalSeconds) && input.tickIntervalSeconds > 0
      ? input.tickIntervalSeconds * 1000
      : 300_000;
  const windowStartMs = Math.round(input.nowMs / tickMs) * tickMs;
  const tickMinutes = Math.max(1, Math.ceil(tickMs / MINUTE));
  const windows = unappliedWindows(
    { updatedForWindowMs: input.tuningUpdatedForWindowMs ?? null },
    windowStartMs,
    tickMs,
  );
  if (windows.length === 0) return false;
  const fromMs = feedbackSpan(windows[0] as number, tickMinutes).fromMs;
  const span = { fromMs, toMs: feedbackSpan(windowStartMs, tickMinutes).toMs };
  const s = prepareSeries(input.concurrency, span.fromMs, span.toMs, Number.MAX_SAFE_INTEGER);
  if (s.datapoints === 0) return false;
  return aboveOwnPings(s, input).some((x) => x > 0);
}

/**
 * Each minute of `s` less the load the controller's own pings put on it: above 0 only where real requests ran.
 * A ping that reached fewer containers than it was sent to loads the minute with what it reached: compared
 * against that, a real request beside a short round still counts as real.
 */
function aboveOwnPings(s: PreparedSeries, input: ColdStartReadInput): number[] {
  const pings = input.pastDecisions.map((d) => ({ ...d, count: d.reached ?? d.count }));
  const loads = pingLoads(s, pings, pingSpanMs(input.holdMs));
  return Array.from(s.values, (v, i) => v - (loads[i] as number));
}

/**
 * How often a busy target's cold-start count is read, in ticks, by default: in between, the controller reuses
 * the count its container read last, the minutes since stay missing, and the self-tuning holds; a rise of real
 * traffic to a new high reads it at once (`risenSinceColdRead`), and so does a new container. Chosen on the
 * shared traces with `scripts/sweep/knobs.mjs` (docs/config.md, *The controller's own cost*): K = 12 with the
 * rise rule kept Azure's idle-10 cold starts at 1,678 (48.2% of none's avoided; every tick: 1,682) for 1.04
 * (Azure) and 1.08 (Huawei) metrics per target per tick, against 1.38 and 1.80 reading every tick. K = 13 to 24
 * cost less ($0.1196 down to $0.117 a target a month on Huawei) but left Azure at 47.5-48.0%.
 */
export const COLD_START_EVERY_TICKS = 12;

/**
 * Whether real traffic rose to a new high since the cold-start count was last read: the real level (each
 * minute's `ConcurrentExecutions` above what the controller's own pings explain) of a minute at or after
 * `lastReadMs` exceeds that of every minute before it in the series. A rise is when Lambda starts containers, so
 * it is when the self-tuning needs the count; a steady or falling target can wait for its next due read. Pure.
 */
export function risenSinceColdRead(input: ColdStartReadInput, lastReadMs: number): boolean {
  const s = prepareSeries(input.concurrency, input.concurrency.startMs, input.nowMs, Number.MAX_SAFE_INTEGER);
  if (s.datapoints === 0) return false;
  let before = 0;
  let since = 0;
  aboveOwnPings(s, input).forEach((x, i) => {
    const real = Math.max(0, x);
    if (s.startMs + i * MINUTE < lastReadMs) before = Math.max(before, real);
    else since = Math.max(since, real);
  });
  return since > before;
}

/**
 * Whether a needed cold-start count must be read this tick when it is read at most every `everyTicks` ticks:
 * yes when this container never read it (`lastReadMs` null: a cold container reads the whole lookback), when
 * the last read is `everyTicks` ticks old or more, or when the clock went back. Pure.
 */
export function coldStartReadDue(
  lastReadMs: number | null,
  nowMs: number,
  tickIntervalSeconds: number,
  everyTicks: number,
): boolean {
  if (!(Number.isInteger(everyTicks) && everyTicks >= 1))
    throw new ValidationError('coldStartEveryTicks', 'must be an integer >= 1');
  if (lastReadMs === null || everyTicks === 1) return true;
  const tickMs =
    Number.isFinite(tickIntervalSeconds) && tickIntervalSeconds > 0 ? tickIntervalSeconds * 1000 : 300_000;
  const ticks = Math.round((nowMs - lastReadMs) / tickMs);
  return nowMs < lastReadMs || ticks >= everyTicks;
}
