import { FakeClock } from '@warmpool/core';
import { memoryEmitter } from '../src/emf/emf.js';
import type { FanOutResult } from '../src/fanout/types.js';
import { memoryLogger } from '../src/log/logger.js';
import type { TickDeps } from '../src/tick/types.js';

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

/**
 * TickDeps over the given fakes: a clock at T0, an in-memory logger and EMF emitter, and rounds that reach every
 * container (`fullRound`); `overrides` replace any of them (a recording `warm`, a container cache …).
 */
export function fakeTickDeps(parts: Pick<TickDeps, 'metrics' | 'store'> & Partial<TickDeps>): TickDeps {
  return {
    warm: async (t, count) => fullRound(t, count),
    clock: new FakeClock(T0),
    log: memoryLogger(),
    emf: memoryEmitter(),
    ...parts,
  };
}
