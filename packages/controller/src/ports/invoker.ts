import type { CapacityObservation } from '@warmpool/core';

/** One synchronous Invoke (RequestResponse) of a function's qualifier. */
export interface InvokeRequest {
  readonly functionName: string;
  /** Always set: an unqualified call would warm `$LATEST`, not the alias that serves traffic. */
  readonly qualifier: string;
  /** Base64 JSON ClientContext (the warm-ping marker travels here). */
  readonly clientContext: string;
  /** JSON payload (event). */
  readonly payload: string;
  /** Aborts the call (the round's deadline). The invocation may still run in Lambda. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Called once the request has left the process (written to its socket), or when the call settles without
   * that. Only an Invoker with `tracksDispatch` calls it before the answer.
   */
  readonly onDispatched?: (() => void) | undefined;
}

export const INVOKE_RESULT_KINDS = { ok: 'ok', throttled: 'throttled', failed: 'failed' } as const;
export type InvokeResultKind = (typeof INVOKE_RESULT_KINDS)[keyof typeof INVOKE_RESULT_KINDS];

/**
 * What came back, as data (an Invoker never throws for an AWS-level outcome):
 * - `ok`: the function ran; `payload` is the parsed JSON answer (or the raw text), `functionError` is set when
 *   the function itself failed (`X-Amz-Function-Error`).
 * - `throttled`: 429 TooManyRequestsException, with Lambda's `Reason` and `retryAfterSeconds`.
 * - `failed`: anything else: `error` is the AWS error name (ResourceNotFoundException, …), `Timeout` when the
 *   signal aborted the call, or a socket error code (ECONNRESET, …).
 */
export type InvokeResult =
  | {
      readonly kind: 'ok';
      readonly payload: unknown;
      readonly executedVersion: string | undefined;
      readonly functionError: string | undefined;
    }
  | { readonly kind: 'throttled'; readonly reason: string; readonly retryAfterSeconds: number | undefined }
  | {
      readonly kind: 'failed';
      readonly error: string;
      readonly message: string;
      /**
       * Whether the request left the process before it failed; false for a connection that never opened or a
       * call aborted before it was written. Unset: unknown, counted as dispatched.
       */
      readonly dispatched?: boolean | undefined;
    };

/** The Lambda operations warming needs. The SDK adapter is `LambdaInvoker`; tests use `FakeInvoker`. */
export interface Invoker {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
  /**
   * True when `onDispatched` fires as each request leaves (not only when it settles): the fan-out then lets
   * one wave leave at a time, so each round's pings leave together instead of interleaved with every other
   * round's.
   */
  readonly tracksDispatch?: boolean | undefined;
  /**
   * The function's reserved concurrency (GetFunctionConcurrency) and, unless `account: false`, the account's
   * unreserved concurrency (GetAccountSettings), for `decide()`'s budget.
   */
  readCapacity(
    functionName: string,
    options?: { readonly account?: boolean; readonly signal?: AbortSignal },
  ): Promise<CapacityObservation>;
  /** Optional: the account's UnreservedConcurrentExecutions alone (GetAccountSettings), for the shared budget. */
  readUnreservedConcurrency?(options?: { readonly signal?: AbortSignal }): Promise<number | null>;
}
