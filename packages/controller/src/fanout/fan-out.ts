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
import { LAMBDA_SCALING_RATE, planRamp, type RampRecord, type RampWave, type ScalingRate } from './ramp.js';
import type { BudgetCut } from './shared-budget.js';
import type { InFlightSlots } from './slots.js';
import { backoffMs, throttleAction } from './throttle.js';
import type { FanOutResult } from './types.js';

/** The longest a wave keeps the next one waiting for its requests to be written. */
const GATE_BOUND_MS = 2_000;
/** Kept after the last hold for the answers' trip back when a ramp is fitted inside the deadline. */
const ANSWER_MARGIN_MS = 1_000;

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
  /**
   * In-flight slots shared by every round of the controller (size = the HTTP agent's sockets). Each wave waits
   * until all its pings can be in flight at once. Without it, waves dispatch at once, unbounded.
   */
  readonly slots?: InFlightSlots | undefined;
  /**
   * The per-function scaling rate a round above one wave is ramped by (default Lambda's 1,000 per 10 s); null:
   * never ramp (one wave, whatever its size).
   */
  readonly scaling?: ScalingRate | null | undefined;
  /**
   * The hold for a single-wave round, given the pings in flight once its wave is admitted (its own and other
   * rounds'): they all leave the process together, so one round's pings spread over the dispatch of all of
   * them, not of its own alone. Used when longer than `holdMs`; absent: `holdMs`.
   */
  readonly holdForInFlight?: ((pingsInFlight: number) => number) | undefined;
  /** Expected dispatch spread of one wave (`pickHold`'s `spreadMs`), for the ramp's pacing. */
  readonly waveSpreadMs?: number | undefined;
  /** A shared-budget cut made before the round (recorded on the result; `n` is already the granted count). */
  readonly budgetCut?: BudgetCut | null | undefined;
  /** For the marker's `ts` (signature time). Waits and wall time use real time. */
  readonly clock?: Clock | undefined;
  readonly random?: (() => number) | undefined;
}

interface PingOutcome {
  /** The request left the process (see FanOutResult.sent). */
  readonly sent: boolean;
  readonly result: InvokeResult | null;
  /** performance.now() when the last attempt was dispatched and when its answer arrived. */
  readonly dispatchedAt: number;
  readonly answeredAt: number;
  readonly wave: number;
  /** The hold this ping asked for. */
  readonly holdMs: number;
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
 * One warm round: N synchronous Invokes with the marker, dispatched together so their holds overlap and Lambda
 * has to spread them over N containers. With `slots`, a wave leaves only once all its pings can be in flight at
 * once (no socket queue spreads them out). A round above the per-function scaling rate is ramped (`planRamp`):
 * waves one scaling window apart whose holds all end together. Rate-limit throttles are retried with jittered
 * backoff (honouring `retryAfterSeconds`) while the deadline allows; a concurrency-limit throttle stops the
 * round (no retries, nothing more sent): the pool real traffic draws on is full. Resolves with what happened,
 * never throws for Lambda outcomes.
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

  // A round above the scaling rate is ramped; the in-flight slots bound it too, since every wave of a ramp
  // holds until the end (all its pings are in flight at once at the last wave).
  const inFlightCap = input.slots && toSend > input.slots.capacity ? input.slots.capacity : null;
  const planned = inFlightCap ?? toSend;
  const scaling = input.scaling === null ? null : (input.scaling ?? LAMBDA_SCALING_RATE);
  const ramp =
    scaling === null
      ? null
      : planRamp(planned, {
          scaling,
          baseHoldMs: input.holdMs,
          waveSpreadMs: input.waveSpreadMs,
          maxTotalMs: Math.max(input.holdMs, input.timeoutMs - ANSWER_MARGIN_MS),
        });
  const waves: readonly RampWave[] = ramp
    ? ramp.waves
    : [{ size: planned, offsetMs: 0, holdMs: input.holdMs }];

  const round = new AbortController();
  // Every in-flight call listens on this one signal.
  setMaxListeners(0, round.signal);
  const timer = setTimeout(() => round.abort(), input.timeoutMs);
  const onOuterAbort = () => round.abort();
  input.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (input.signal?.aborted) round.abort();
  const deadlineAt = startedAt + input.timeoutMs;

  const ts = clock.now();
  const payload = '{}';
  let stopped: string | null = null;

  const ping = async (
    i: number,
    wave: number,
    holdMs: number,
    sig: string | undefined,
    onDispatched?: () => void,
  ): Promise<PingOutcome> => {
    // Created only now, when the ping's slot is held: memory follows the pings in flight, not the round.
    const clientContext = encodeClientContext(createMarker({ tick: input.tickId, i, holdMs, ts, sig }));
    let last: InvokeResult | null = null;
    let dispatchedAt = performance.now();
    const outcome = (result: InvokeResult | null): PingOutcome => {
      onDispatched?.();
      return settled(result);
    };
    const settled = (result: InvokeResult | null): PingOutcome => ({
      sent: result !== null && !(result.kind === 'failed' && result.dispatched === false),
      result,
      dispatchedAt,
      answeredAt: performance.now(),
      wave,
      holdMs,
    });
    for (let attempt = 0; ; attempt++) {
      if (stopped || round.signal.aborted) return outcome(last);
      dispatchedAt = performance.now();
      last = await input.invoker
        .invoke({
          functionName: input.functionName,
          qualifier: input.qualifier,
          clientContext,
          payload,
          signal: round.signal,
          onDispatched: attempt === 0 ? onDispatched : undefined,
        })
        // An Invoker reports outcomes as data; one that throws anyway costs this ping, not the round.
        .catch(
          (e: unknown): InvokeResult => ({
            kind: 'failed',
            error: e instanceof Error && e.name ? e.name : 'Error',
            message: e instanceof Error ? e.message : String(e),
          }),
        );
      if (last.kind !== 'throttled') return outcome(last);
      const action = throttleAction(last.reason);
      if (action === 'stop') {
        stopped ??= `stopped: ${last.reason}`;
        return outcome(last);
      }
      const delay = backoffMs(attempt, last.retryAfterSeconds, baseMs, random);
      const fits = performance.now() + delay + holdMs < deadlineAt;
      if (action === 'give-up' || attempt >= maxRetries || !fits) return outcome(last);
      await sleep(delay, round.signal);
    }
  };

  // Waves leave one at a time when the Invoker can tell when a request has left (see InFlightSlots.oneAtATime).
  const slotsForGate = input.slots && input.invoker.tracksDispatch === true ? input.slots : undefined;
  const tally = new RoundTally(waves.length);
  const pending: Promise<void>[] = [];
  const started: number[] = [];
  let queuedMs = 0;
  let next = 0;
  try {
    for (const [w, wave] of waves.entries()) {
      if (w > 0) {
        const wait = (started[0] as number) + wave.offsetMs - performance.now();
        if (wait > 0) await sleep(wait, round.signal);
      }
      if (stopped || round.signal.aborted || wave.size === 0) break;
      const askedAt = performance.now();
      if (input.slots && !(await input.slots.acquire(wave.size, round.signal))) break;
      const dispatch = async () => {
        if (stopped || round.signal.aborted) return;
        const now = performance.now();
        if (w === 0) queuedMs = Math.round(now - askedAt);
        started.push(now);
        // A late wave still ends with the others: its hold is what is left of the ramp, never below the base.
        // Ungated, a single wave also holds for the other rounds' pings leaving beside it.
        const inFlight = input.slots ? input.slots.inFlight : wave.size;
        const holdMs = ramp
          ? Math.max(ramp.baseHoldMs, Math.round((started[0] as number) + ramp.totalMs - now))
          : slotsForGate
            ? wave.holdMs
            : Math.max(wave.holdMs, input.holdForInFlight?.(inFlight) ?? 0);
        const sig = input.sharedSecret ? signMarker(input.sharedSecret, input.tickId, ts, holdMs) : undefined;
        const slots = input.slots;
        const written: Promise<void>[] = [];
        for (let j = 0; j < wave.size; j++) {
          let done: (() => void) | undefined;
          if (slotsForGate)
            written.push(
              new Promise<void>((resolve) => {
                done = resolve;
              }),
            );
          pending.push(
            ping(next++, w, holdMs, sig, done).then((o) => {
              slots?.release(1);
              tally.add(o);
            }),
          );
        }
        tally.waveHold(w, holdMs);
        // The next wave may leave once all of this one's requests are written (or after a bound, whatever
        // holds a request up: the gate must never stall the tick).
        if (slotsForGate) await Promise.race([Promise.all(written), sleep(GATE_BOUND_MS, round.signal)]);
      };
      if (slotsForGate) await slotsForGate.oneAtATime(dispatch);
      else await dispatch();
      if (started.length <= w) {
        // Stopped or aborted while waiting its turn: give back the slots nobody used.
        input.slots?.release(wave.size);
        break;
      }
    }
    await Promise.all(pending);
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', onOuterAbort);
  }
  const first = started[0] ?? startedAt;
  const rampRecord: RampRecord | null = ramp
    ? {
        ...ramp,
        waves: ramp.waves.map((wv, i) => ({
          ...wv,
          ...(started[i] !== undefined ? { startedAfterMs: Math.round((started[i] as number) - first) } : {}),
        })),
      }
    : null;
  return tally.summarise({
    input,
    target,
    limit,
    stopped,
    startedAt,
    ramp: rampRecord,
    inFlightCap,
    queuedMs,
  });
}

/**
 * What a round's pings did, added up as they answer: nothing per ping is kept but the container ids, so
 * memory follows the pings in flight and the distinct containers, not every request of the round.
 */
class RoundTally {
  readonly throttleReasons: Record<string, number> = {};
  readonly failures: Record<string, number> = {};
  readonly containers = new Set<string>();
  sent = 0;
  succeeded = 0;
  throttled = 0;
  failed = 0;
  newContainers = 0;
  unrecognised = 0;
  timedOut = false;
  heldLessMs: number | null = null;
  maxDispatchDelayMs: number | null = null;
  private readonly first: number[];
  private readonly last: number[];
  private readonly answers: number[];
  private readonly holds: number[];

  constructor(waves: number) {
    this.first = Array.from({ length: waves }, () => Number.POSITIVE_INFINITY);
    this.last = Array.from({ length: waves }, () => Number.NEGATIVE_INFINITY);
    this.answers = Array.from({ length: waves }, () => 0);
    this.holds = Array.from({ length: waves }, () => 0);
  }

  waveHold(wave: number, holdMs: number): void {
    this.holds[wave] = holdMs;
  }

  add(o: PingOutcome): void {
    if (o.sent) this.sent++;
    const res = o.result;
    if (!res) return;
    if (res.kind === 'throttled') {
      this.throttled++;
      this.throttleReasons[res.reason] = (this.throttleReasons[res.reason] ?? 0) + 1;
    } else if (res.kind === 'failed') {
      this.failed++;
      this.failures[res.error] = (this.failures[res.error] ?? 0) + 1;
      if (res.error === 'Timeout') this.timedOut = true;
    } else if (res.functionError) {
      this.failed++;
      const key = `FunctionError:${res.functionError}`;
      this.failures[key] = (this.failures[key] ?? 0) + 1;
    } else {
      const answer = readAnswer(res.payload);
      if (!answer) {
        this.unrecognised++;
        return;
      }
      this.succeeded++;
      this.containers.add(answer.containerId);
      if (answer.started) this.newContainers++;
      if (answer.heldMs < o.holdMs) this.heldLessMs = Math.max(this.heldLessMs ?? 0, answer.heldMs);
      const arrival = o.answeredAt - answer.heldMs;
      const delay = Math.round(arrival - o.dispatchedAt);
      this.maxDispatchDelayMs = Math.max(this.maxDispatchDelayMs ?? 0, delay);
      this.first[o.wave] = Math.min(this.first[o.wave] as number, arrival);
      this.last[o.wave] = Math.max(this.last[o.wave] as number, arrival);
      this.answers[o.wave] = (this.answers[o.wave] as number) + 1;
    }
  }

  summarise(r: {
    input: FanOutInput;
    target: string;
    limit: number | null;
    stopped: string | null;
    startedAt: number;
    ramp: RampRecord | null;
    inFlightCap: number | null;
    queuedMs: number;
  }): FanOutResult {
    const stoppedEarly =
      r.stopped ?? (this.timedOut ? 'deadline' : r.input.signal?.aborted ? 'aborted' : null);
    // The spread `pickHold` learns from is one wave's (a ramp's waves are apart on purpose): the first one.
    const spreadPings = this.answers[0] ?? 0;
    const spread = spreadPings >= 2 ? Math.round((this.last[0] as number) - (this.first[0] as number)) : null;
    return {
      target: r.target,
      qualifier: r.input.qualifier,
      requested: r.input.n,
      sent: this.sent,
      succeeded: this.succeeded,
      throttled: this.throttled,
      throttleReasons: this.throttleReasons,
      failed: this.failed,
      failures: this.failures,
      distinctContainers: this.containers.size,
      newContainers: this.newContainers,
      unrecognised: this.unrecognised,
      stoppedEarly,
      holdMs: this.holds[0] ?? r.input.holdMs,
      wallMs: Math.round(performance.now() - r.startedAt),
      dispatchSpreadMs: spread,
      ...(r.ramp ? { spreadPings } : {}),
      budgetLimit: r.limit !== null && r.limit < r.input.n ? r.limit : null,
      heldLessMs: this.heldLessMs,
      maxDispatchDelayMs: this.maxDispatchDelayMs,
      queuedMs: r.queuedMs,
      ramp: r.ramp,
      inFlightCap: r.inFlightCap,
      budgetCut: r.input.budgetCut ?? null,
    };
  }
}
