import type { TargetConfig } from '../config/types.js';
import { ValidationError } from '../errors.js';
import { pingLoads } from '../forecast/mask.js';
import { feedbackSpan } from '../forecast/prepare.js';
import { pingSpanMs } from '../forecast/real-peak.js';
import { MINUTE, prepareSeries } from '../forecast/series.js';
import type { MinuteSeries, PastDecision } from './types.js';

export interface ColdStartReadInput {
  /** The tick's `ConcurrentExecutions` read (Maximum per minute, pings included). */
  readonly concurrency: MinuteSeries;
  /** The controller's own past decisions, newest first (where its pings were). */
  readonly pastDecisions: readonly PastDecision[];
  readonly holdMs: TargetConfig['holdMs'];
  readonly tickIntervalSeconds: number;
  readonly nowMs: number;
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
  const span = feedbackSpan(windowStartMs, Math.max(1, Math.ceil(tickMs / MINUTE)));
  const s = prepareSeries(input.concurrency, span.fromMs, span.toMs, Number.MAX_SAFE_INTEGER);
  if (s.datapoints === 0) return false;
  // A ping that reached fewer containers than it was sent to loads the minute with what it reached: compare
  // against that, so a real request beside a short round still counts as real.
  const pings = input.pastDecisions.map((d) => ({ ...d, count: d.reached ?? d.count }));
  const loads = pingLoads(s, pings, pingSpanMs(input.holdMs));
  for (let i = 0; i < s.values.length; i++) {
    if ((s.values[i] as number) > (loads[i] as number)) return true;
  }
  return false;
}

/**
 * How often a busy target's cold-start count is read, in ticks, by default: in between, the controller reuses
 * the count its container read last, the minutes since stay missing, and the self-tuning holds. 24 ticks is two
 * hours at a 5-minute tick, about a Lambda container's life (a new container reads it at once). Chosen on the
 * shared traces with `scripts/sweep/knobs.mjs` (K = 1, 6, 12, 24; docs/config.md, *The controller's own cost*):
 * about 1-2% more cold starts than reading every tick, for 0.36 (Azure) to 0.76 (Huawei) fewer metrics per
 * target per tick, and the controller within $0.12 a target a month on both traces with a margin ($0.116 on the
 * busy Huawei trace; K = 12 gives $0.119).
 */
export const COLD_START_EVERY_TICKS = 24;

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
