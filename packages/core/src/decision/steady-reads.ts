import type { TargetConfig } from '../config/types.js';
import { ValidationError } from '../errors.js';
import { MINUTE } from '../forecast/series.js';
import { boundsWithSchedules } from '../schedule/bounds.js';

type ReadTarget = Pick<TargetConfig, 'min' | 'max' | 'schedules' | 'maxTicksBetweenReads'> &
  Partial<Pick<TargetConfig, 'wakeAfterColdStarts'>>;

/**
 * What a controller container remembers of a target's last `ConcurrentExecutions` read, to back the next one
 * off while the target is steady (see `concurrencyReadDue`).
 */
export interface ConcurrencyReadState {
  /** When the concurrency was last read (the tick's time). */
  readonly readMs: number;
  /** Ticks from that read to the next one (1: the next tick). */
  readonly everyTicks: number;
  /** The count decided on that read. */
  readonly count: number;
  /** The bounds in force on that read (schedules applied): a change of bounds reads at once. */
  readonly min: number;
  readonly max: number;
  /**
   * The target's count of delivered cold starts (its wake mark) as seen at that read, where the controller
   * reads one: the next ticks wake the target on what was delivered since.
   */
  readonly coldStartsSeen?: number | undefined;
}

export interface ConcurrencyReadDueInput {
  /** This container's memory of the target's last read; null when it never read it (a cold container). */
  readonly state: ConcurrencyReadState | null;
  readonly target: ReadTarget;
  readonly nowMs: number;
  readonly tickIntervalSeconds: number;
  /**
   * The last round reached fewer containers than it was sent to, or was throttled: the pool is not what the
   * last read said, so read now. (The simulator's rounds always reach their count.)
   */
  readonly lastRoundShort?: boolean | undefined;
  /**
   * User-felt cold starts delivered since the last read (the construct's log subscription on the target's log
   * group): at `wakeAfterColdStarts` or more the read comes at once. Absent: none known.
   */
  readonly coldStartsSinceRead?: number | undefined;
}

/**
 * Whether this tick reads the target's `ConcurrentExecutions`. Yes on a cold container, when the last read is
 * `everyTicks` ticks old, when the clock went back, when the last round came back short, when the bounds in
 * force differ from those of the last read (a schedule began or ended), and when at least `wakeAfterColdStarts`
 * user-felt cold starts were delivered since the last read (`readWoken`). Otherwise the target is steady: `decide()`
 * keeps the last decision (`read-deferred`) and the next read covers the minutes in between: it feeds back every
 * window it missed and replays what each would have decided (`replayMissedWindows`). Pure.
 */
export function concurrencyReadDue(input: ConcurrencyReadDueInput): boolean {
  const { state, nowMs } = input;
  if (state === null || input.lastRoundShort === true || nowMs < state.readMs) return true;
  if (readWoken(input)) return true;
  const tickMs = tickMsOf(input.tickIntervalSeconds);
  const wait = Math.min(state.everyTicks, Math.max(1, Math.floor(input.target.maxTicksBetweenReads)));
  if (Math.round((nowMs - state.readMs) / tickMs) >= wait) return true;
  const b = boundsAt(input.target, nowMs, tickMs);
  return b.min !== state.min || b.max !== state.max;
}

/**
 * Whether cold starts delivered since the last read wake a steady target: a quiet target's back-off grows to
 * `maxTicksBetweenReads`, and the first burst after hours of quiet would otherwise be read up to that many ticks
 * late. The cold starts are what the burst already cost; the read warms for the rest of it. Pure.
 */
export function readWoken(input: Pick<ConcurrencyReadDueInput, 'target' | 'coldStartsSinceRead'>): boolean {
  const after = input.target.wakeAfterColdStarts ?? 0;
  const since = input.coldStartsSinceRead ?? 0;
  return Number.isInteger(after) && after > 0 && Number.isFinite(since) && since >= after;
}

/**
 * The state after a read that decided `count`: the wait doubles, up to the target's `maxTicksBetweenReads`, while
 * reads keep deciding the same count, and drops to one tick when the count changes. Pure.
 */
export function afterConcurrencyRead(
  prev: ConcurrencyReadState | null,
  read: {
    readonly nowMs: number;
    readonly count: number;
    readonly tickIntervalSeconds: number;
    /** The target's wake mark count seen at this read, where one was read. */
    readonly coldStartsSeen?: number | undefined;
  },
  target: ReadTarget,
): ConcurrencyReadState {
  const most = target.maxTicksBetweenReads;
  if (!(Number.isInteger(most) && most >= 1))
    throw new ValidationError('maxTicksBetweenReads', 'must be an integer >= 1');
  const steady = prev !== null && prev.count === read.count;
  const everyTicks = steady ? Math.min(most, prev.everyTicks * 2) : 1;
  const b = boundsAt(target, read.nowMs, tickMsOf(read.tickIntervalSeconds));
  return {
    readMs: read.nowMs,
    everyTicks,
    count: read.count,
    min: b.min,
    max: b.max,
    ...(read.coldStartsSeen !== undefined ? { coldStartsSeen: read.coldStartsSeen } : {}),
  };
}

function tickMsOf(tickIntervalSeconds: number): number {
  return Number.isFinite(tickIntervalSeconds) && tickIntervalSeconds > 0
    ? tickIntervalSeconds * 1000
    : 300_000;
}

/** The bounds decide() applies to the window of the tick at `nowMs` (the same window arithmetic). */
function boundsAt(target: ReadTarget, nowMs: number, tickMs: number): { min: number; max: number } {
  const windowStartMs = Math.round(nowMs / tickMs) * tickMs;
  const windowEndMs = windowStartMs + Math.max(1, Math.ceil(tickMs / MINUTE)) * MINUTE;
  const b = boundsWithSchedules(
    target.min,
    Math.max(target.min, target.max),
    target.schedules,
    windowStartMs,
    windowEndMs,
  );
  return { min: b.min, max: b.max };
}
