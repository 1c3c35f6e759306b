import { setMaxListeners } from 'node:events';
import {
  type BudgetConfig,
  budgetLimit,
  type CapacityObservation,
  type Clock,
  systemClock,
  ValidationError,
} from '@warmpool/core';
import { createMarker, encodeClientContext, readAnswer, signMarker } from '@warmpool/warmup/protocol';
import type { InvokeResult, Invoker } from '../ports/invoker.js';
import { backoffMs, throttleAction } from './throttle.js';
import type { FanOutResult } from './types.js';

export interface FanOutInput {
  readonly invoker: Invoker;
  readonly functionName: string;
  /** Always invoked: an unqualified name would warm `$LATEST`, not the alias traffic uses. */
  readonly qualifier: string;
  /** The target id for the result (default `functionName:qualifier`). */
  readonly target?: string | undefined;
  /** Pings requested. */
  readonly n: number;
  readonly holdMs: number;
  /** Same for every ping of the round; the helper echoes it. */
  readonly tickId: string;
  readonly sharedSecret?: string | undefined;
  /**
   * Real ms the round may take, well inside the controller's timeout. Calls still open then are aborted and
   * counted as failed (`Timeout`); no retry starts that could not finish by then.
   */
  readonly timeoutMs: number;
  /** Aborts the whole round (the tick's own deadline). */
  readonly signal?: AbortSignal | undefined;
  /** Caps the pings sent at floor(share × pool) (see core's `budgetLimit`) when both are given. */
  readonly budget?: BudgetConfig | undefined;
  readonly capacity?: CapacityObservation | undefined;
  /** Retries per ping for rate-limit throttles (default 2). */
  readonly maxRetries?: number | undefined;
  /** Base of the exponential jitter (default 100 ms). */
  readonly backoffBaseMs?: number | undefined;
  /** For the marker's `ts` (signature time). Waits and wall time use real time. */
  readonly clock?: Clock | undefined;
  readonly random?: (() => number) | undefined;
}

interface PingOutcome {
  readonly sent: boolean;
  readonly result: InvokeResult | null;
  /** performance.now() when the answer arrived. */
  readonly answeredAt: number;
}

function validate(input: FanOutInput): void {
  const { n, holdMs, timeoutMs } = input;
  if (!(Number.isInteger(n) && n >= 0))
    throw new ValidationError('n', 'must be an integer >= 0', { detail: `${n}` });
  if (!(Number.isFinite(holdMs) && holdMs >= 0)) throw new ValidationError('holdMs', 'must be a number >= 0');
  if (!(Number.isFinite(timeoutMs) && timeoutMs > holdMs))
    throw new ValidationError('timeoutMs', 'must be longer than holdMs', {
      detail: `${timeoutMs} <= ${holdMs}`,
    });
  if (!input.qualifier)
    throw new ValidationError('qualifier', 'is required (never warm $LATEST by accident)');
  if (!input.tickId) throw new ValidationError('tickId', 'is required');
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * One warm round: N synchronous Invokes with the marker, all fired at once so their holds overlap and Lambda
 * has to spread them over N containers. Rate-limit throttles are retried with jittered backoff (honouring
 * `retryAfterSeconds`) while the deadline allows; a concurrency-limit throttle stops the round (no retries,
 * nothing more sent): the pool real traffic draws on is full. Resolves with what happened, never throws for
 * Lambda outcomes.
 */
export async function fanOut(input: FanOutInput): Promise<FanOutResult> {
  validate(input);
  const startedAt = performance.now();
  const clock = input.clock ?? systemClock;
  const random = input.random ?? Math.random;
  const maxRetries = input.maxRetries ?? 2;
  const baseMs = input.backoffBaseMs ?? 100;
  const target = input.target ?? `${input.functionName}:${input.qualifier}`;

  const limit = input.budget && input.capacity ? budgetLimit(input.budget, input.capacity) : null;
  const toSend = limit === null ? input.n : Math.min(input.n, limit);

  const round = new AbortController();
  // Every in-flight call listens on this one signal.
  setMaxListeners(0, round.signal);
  const timer = setTimeout(() => round.abort(), input.timeoutMs);
  const onOuterAbort = () => round.abort();
  input.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (input.signal?.aborted) round.abort();
  const deadlineAt = startedAt + input.timeoutMs;

  const ts = clock.now();
  const sig = input.sharedSecret ? signMarker(input.sharedSecret, input.tickId, ts, input.holdMs) : undefined;
  const payload = '{}';
  let stopped: string | null = null;

  const ping = async (i: number): Promise<PingOutcome> => {
    const clientContext = encodeClientContext(
      createMarker({ tick: input.tickId, i, holdMs: input.holdMs, ts, sig }),
    );
    let last: InvokeResult | null = null;
    for (let attempt = 0; ; attempt++) {
      if (stopped || round.signal.aborted)
        return { sent: attempt > 0, result: last, answeredAt: performance.now() };
      last = await input.invoker
        .invoke({
          functionName: input.functionName,
          qualifier: input.qualifier,
          clientContext,
          payload,
          signal: round.signal,
        })
        // An Invoker reports outcomes as data; one that throws anyway costs this ping, not the round.
        .catch(
          (e: unknown): InvokeResult => ({
            kind: 'failed',
            error: e instanceof Error && e.name ? e.name : 'Error',
            message: e instanceof Error ? e.message : String(e),
          }),
        );
      if (last.kind !== 'throttled') return { sent: true, result: last, answeredAt: performance.now() };
      const action = throttleAction(last.reason);
      if (action === 'stop') {
        stopped ??= `stopped: ${last.reason}`;
        return { sent: true, result: last, answeredAt: performance.now() };
      }
      const delay = backoffMs(attempt, last.retryAfterSeconds, baseMs, random);
      const fits = performance.now() + delay + input.holdMs < deadlineAt;
      if (action === 'give-up' || attempt >= maxRetries || !fits)
        return { sent: true, result: last, answeredAt: performance.now() };
      await sleep(delay, round.signal);
    }
  };

  let outcomes: PingOutcome[];
  try {
    outcomes = await Promise.all(Array.from({ length: toSend }, (_, i) => ping(i)));
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', onOuterAbort);
  }
  return summarise({ input, target, limit, outcomes, stopped, startedAt });
}

function summarise(r: {
  input: FanOutInput;
  target: string;
  limit: number | null;
  outcomes: PingOutcome[];
  stopped: string | null;
  startedAt: number;
}): FanOutResult {
  const throttleReasons: Record<string, number> = {};
  const failures: Record<string, number> = {};
  const containers = new Set<string>();
  let sent = 0;
  let succeeded = 0;
  let throttled = 0;
  let failed = 0;
  let newContainers = 0;
  let unrecognised = 0;
  let timedOut = false;
  let first = Number.POSITIVE_INFINITY;
  let lastArrival = Number.NEGATIVE_INFINITY;
  for (const o of r.outcomes) {
    if (o.sent) sent++;
    const res = o.result;
    if (!res) continue;
    if (res.kind === 'throttled') {
      throttled++;
      throttleReasons[res.reason] = (throttleReasons[res.reason] ?? 0) + 1;
    } else if (res.kind === 'failed') {
      failed++;
      failures[res.error] = (failures[res.error] ?? 0) + 1;
      if (res.error === 'Timeout') timedOut = true;
    } else if (res.functionError) {
      failed++;
      const key = `FunctionError:${res.functionError}`;
      failures[key] = (failures[key] ?? 0) + 1;
    } else {
      const answer = readAnswer(res.payload);
      if (!answer) {
        unrecognised++;
        continue;
      }
      succeeded++;
      containers.add(answer.containerId);
      if (answer.started) newContainers++;
      const arrival = o.answeredAt - answer.heldMs;
      first = Math.min(first, arrival);
      lastArrival = Math.max(lastArrival, arrival);
    }
  }
  const stoppedEarly = r.stopped ?? (timedOut ? 'deadline' : r.input.signal?.aborted ? 'aborted' : null);
  return {
    target: r.target,
    qualifier: r.input.qualifier,
    requested: r.input.n,
    sent,
    succeeded,
    throttled,
    throttleReasons,
    failed,
    failures,
    distinctContainers: containers.size,
    newContainers,
    unrecognised,
    stoppedEarly,
    holdMs: r.input.holdMs,
    wallMs: Math.round(performance.now() - r.startedAt),
    dispatchSpreadMs: succeeded >= 2 ? Math.round(lastArrival - first) : null,
    budgetLimit: r.limit !== null && r.limit < r.input.n ? r.limit : null,
  };
}
