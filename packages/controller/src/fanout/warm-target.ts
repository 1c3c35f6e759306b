import type { Clock, TargetConfig } from '@warmpool/core';
import type { Invoker } from '../ports/invoker.js';
import type { WarmTarget } from '../tick/types.js';
import { fanOut } from './fan-out.js';
import { measuredDispatchRate, pickHold } from './hold.js';

export interface WarmTargetOptions {
  readonly sharedSecret?: string | undefined;
  /**
   * Time for the marker's `ts` (what a signed marker's skew is checked against). Pass the tick's clock when
   * the targets live in simulated time (the e2e world), or signed pings fail the helper's skew check.
   */
  readonly clock?: Clock | undefined;
  /** Called with how the hold was picked, for the tick's log. */
  readonly onHold?: ((target: TargetConfig, why: string) => void) | undefined;
}

/**
 * The tick's `warm` dependency over an Invoker: fans out to the target's qualifier with its configured hold,
 * or with `pickHold` from N and the dispatch rate measured on this target's previous round (kept for as long
 * as this controller container lives; the first round assumes a rate). The hold never takes more than half
 * of the time left, so answers can still come back before the deadline.
 */
export function createWarmTarget(invoker: Invoker, options: WarmTargetOptions = {}): WarmTarget {
  const lastRate = new Map<string, number>();
  return async (target, count, { signal, deadlineMs, tickId }) => {
    const timeoutMs = Math.max(1, deadlineMs - Date.now());
    let holdMs: number;
    if (target.holdMs === 'auto') {
      const choice = pickHold(count, lastRate.get(target.id));
      holdMs = choice.holdMs;
      options.onHold?.(target, choice.why);
    } else holdMs = target.holdMs;
    holdMs = Math.min(holdMs, Math.floor(timeoutMs / 2));
    const result = await fanOut({
      invoker,
      functionName: target.functionName,
      qualifier: target.qualifier,
      target: target.id,
      n: count,
      holdMs,
      tickId,
      sharedSecret: options.sharedSecret,
      clock: options.clock,
      timeoutMs,
      signal,
    });
    const rate = measuredDispatchRate(result);
    if (rate !== null) lastRate.set(target.id, rate);
    return result;
  };
}
