import { type PastDecision, rawCountToHold, replayedToHold, type TuningState } from '@warmpool/core';
import type { DecisionRecord } from '../ports/decision-store.js';

/**
 * The controller's own past warm rounds as decide() reads them (newest first): what was fired and when, so
 * the forecast can mask the minutes its pings inflated. A dry run or a round that never ran fired nothing.
 */
export function toPastDecisions(records: readonly DecisionRecord[]): PastDecision[] {
  return records.map((r) => {
    const fan = r.outcome?.fanOut ?? null;
    // A short round fired pings too: their minutes are inflated as much as a full round's.
    const pinged = r.outcome?.status === 'warmed' || r.outcome?.status === 'short';
    const fired = pinged ? (fan?.sent ?? r.decision.count) : 0;
    return {
      windowStartMs: r.windowStartMs,
      warmedAtMs: r.decision.decidedAtMs,
      count: fired,
      reached: fan ? fan.distinctContainers : undefined,
      // decide() picks the next hold from the spread the last rounds measured (median of 3).
      dispatchSpreadMs: fan?.dispatchSpreadMs ?? undefined,
      // What the forecast asked for holds the next decisions up for a while (scale-down stabilization).
      rawCount: rawCountToHold(r.decision),
      // A read after ticks that did not read replays what those windows would have asked for: it holds as theirs.
      replayed: replayedToHold(r.decision),
    };
  });
}

/** The tuning state to carry forward: the newest record's. */
export function latestState(records: readonly DecisionRecord[]): TuningState | null {
  return records[0]?.decision.state ?? null;
}
