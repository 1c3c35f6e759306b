import type { FanOutResult } from '../src/fanout/types.js';

/** The tick time the controller tests share (noon UTC, 1 January 2026). */
export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A CliIo that records what a command printed. */
export function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

/**
 * A round where every ping succeeded on its own container; `overrides` change what a test is about
 * (newContainers, wallMs, ...).
 */
export function fullRound(
  target: { readonly id: string; readonly qualifier: string },
  count: number,
  overrides: Partial<FanOutResult> = {},
): FanOutResult {
  return {
    target: target.id,
    qualifier: target.qualifier,
    requested: count,
    sent: count,
    succeeded: count,
    throttled: 0,
    throttleReasons: {},
    failed: 0,
    failures: {},
    distinctContainers: count,
    newContainers: 0,
    unrecognised: 0,
    stoppedEarly: null,
    holdMs: 100,
    wallMs: 100,
    ...overrides,
  };
}
