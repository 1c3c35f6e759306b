import type { Clock, TargetConfig } from '@warmpool/core';
import type { Invoker } from '../ports/invoker.js';
import type { WarmTarget } from '../tick/types.js';
import { fanOut } from './fan-out.js';
import { measuredDispatchRate, pickHold } from './hold.js';
import { LAMBDA_SCALING_RATE, type ScalingRate } from './ramp.js';
import type { InFlightSlots } from './slots.js';

export interface WarmTargetOptions {
  readonly sharedSecret?: string | undefined;
  /**
   * Time for the marker's `ts` (what a signed marker's skew is checked against). Pass the tick's clock when
   * the targets live in simulated time (the e2e world), or signed pings fail the helper's skew check.
   */
  readonly clock?: Clock | undefined;
  /** Called with how the hold was picked, for the tick's log. */
  readonly onHold?: ((target: TargetConfig, why: string) => void) | undefined;
  /** Pings in flight across all targets (size it to the Lambda client's sockets); see `InFlightSlots`. */
  readonly slots?: InFlightSlots | undefined;
  /** The per-function scaling rate rounds are ramped by (default Lambda's); null: never ramp. */
  readonly scaling?: ScalingRate | null | undefined;
}

/**
 * The tick's `warm` dependency over an Invoker: fans out to the target's qualifier with its configured hold,
 * or with `pickHold` from N and the dispatch rate measured on this target's previous round (kept for as long
 * as this controller container lives, else read from the last recorded round; only a target never warmed
 * assumes a rate). The hold never takes more than half of the time left, so answers can still come back
 * before the deadline. Rounds above the scaling rate are
 * ramped by the fan-out, with this hold as the last wave's.
 */
export function createWarmTarget(invoker: Invoker, options: WarmTargetOptions = {}): WarmTarget {
  const lastRate = new Map<string, number>();
  const scaling = options.scaling === null ? null : (options.scaling ?? LAMBDA_SCALING_RATE);
  return async (target, count, { signal, deadlineMs, tickId, budgetCut, lastRound }) => {
    const timeoutMs = Math.max(1, deadlineMs - Date.now());
    // A ramped round's hold is per wave (the ramp lengthens earlier waves' holds): pick it for one wave.
    const waveSize = scaling === null ? count : Math.min(count, scaling.environments);
    // This container's own last round first; else the one the decision table recorded (a new container).
    const learned = lastRate.get(target.id) ?? (lastRound ? measuredDispatchRate(lastRound) : null);
    const choice = pickHold(waveSize, learned);
    const ceiling = Math.floor(timeoutMs / 2);
    let holdMs: number;
    if (target.holdMs === 'auto') {
      holdMs = choice.holdMs;
      options.onHold?.(target, choice.why);
    } else holdMs = target.holdMs;
    holdMs = Math.min(holdMs, ceiling);
    // An auto hold also covers the other rounds' pings dispatched beside this one (see `holdForInFlight`), at
    // the assumed rate: a target's own measured rate was taken while others dispatched too, so it already
    // counts them and would count them twice.
    const holdForInFlight =
      target.holdMs === 'auto' ? (k: number) => Math.min(pickHold(k, null).holdMs, ceiling) : undefined;
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
      slots: options.slots,
      scaling,
      waveSpreadMs: choice.spreadMs,
      holdForInFlight,
      budgetCut,
    });
    const rate = measuredDispatchRate(result);
    if (rate !== null) lastRate.set(target.id, rate);
    return result;
  };
}
