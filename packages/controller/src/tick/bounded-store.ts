import type { DecisionStore } from '../ports/decision-store.js';
import { beforeDeadline, DeadlineError } from './deadline.js';
import { timeoutSignal } from './timeout-signal.js';

/** Default bound on one store call the tick waits on: DynamoDB answers in tens of ms; 2 s is an outage. */
export const STORE_CALL_TIMEOUT_MS = 2_000;

/** A store call that did not answer within its bound (the store accepted the connection and went silent). */
export class StoreTimeoutError extends Error {
  override readonly name = 'StoreTimeoutError';
}

/**
 * The store with every call bounded on its own: each gets an abort signal of `callTimeoutMs` (joined with the
 * caller's), and the call is raced against it, so a store that ignores the signal is abandoned too. Warming
 * then waits on a hung DynamoDB for at most one bound per call, never for the whole tick's budget.
 *
 * Why not the SDK's `requestTimeout`: @smithy/node-http-handler 4.x only logs a warning when it is exceeded
 * unless `throwOnRequestTimeout` is set, and it bounds one attempt, not the retries; a signal bounds the call.
 */
export function boundedStore(store: DecisionStore, callTimeoutMs: number): DecisionStore {
  const bounded = async <T>(
    op: string,
    callerSignal: AbortSignal | undefined,
    call: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    const bound = timeoutSignal(Math.max(1, callTimeoutMs), callerSignal);
    const { signal } = bound;
    try {
      return await beforeDeadline(call(signal), signal);
    } catch (e) {
      if (callerSignal?.aborted) throw new DeadlineError('time budget exhausted');
      // Name the bound, not the SDK's AbortError, so the record and the logs say what happened.
      if (signal.aborted)
        throw new StoreTimeoutError(`${op} did not answer within ${callTimeoutMs} ms`, { cause: e });
      throw e;
    } finally {
      bound.dispose();
    }
  };
  return {
    putDecision: (record, options = {}) =>
      bounded('putDecision', options.signal, (signal) => store.putDecision(record, { signal })),
    recordOutcome: (target, windowStartMs, outcome, options = {}) =>
      bounded('recordOutcome', options.signal, (signal) =>
        store.recordOutcome(target, windowStartMs, outcome, { ...options, signal }),
      ),
    listDecisions: (target, options = {}) =>
      bounded('listDecisions', options.signal, (signal) =>
        store.listDecisions(target, { ...options, signal }),
      ),
  };
}
