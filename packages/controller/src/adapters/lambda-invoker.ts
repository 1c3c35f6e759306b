import {
  GetAccountSettingsCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import type { CapacityObservation } from '@warmpool/core';
import type { InvokeRequest, InvokeResult, Invoker } from '../ports/invoker.js';
import { type DispatchTracker, invokeKey } from './dispatch-tracker.js';
import { dispatchTrackerOf } from './lambda-client.js';

const decoder = new TextDecoder();

function parsePayload(bytes: Uint8Array | undefined): unknown {
  if (!bytes || bytes.length === 0) return null;
  const text = decoder.decode(bytes);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toNumber(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

const NEVER_CONNECTED: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** Maps what the SDK threw to data. */
export function classifyInvokeError(e: unknown, signal?: AbortSignal): InvokeResult {
  const err = (e ?? {}) as {
    name?: string;
    message?: string;
    code?: string;
    Reason?: string;
    retryAfterSeconds?: unknown;
  };
  if (err.name === 'TooManyRequestsException') {
    return {
      kind: 'throttled',
      reason: err.Reason || 'Unknown',
      retryAfterSeconds: toNumber(err.retryAfterSeconds),
    };
  }
  if (signal?.aborted || err.name === 'AbortError') {
    return { kind: 'failed', error: 'Timeout', message: err.message ?? 'aborted' };
  }
  // Socket errors: smithy names some of them TimeoutError but keeps Node's code (ECONNRESET for a dropped call).
  if (typeof err.code === 'string' && err.code.startsWith('E')) {
    // These fail before a connection exists: the request never left the process.
    const dispatched = !NEVER_CONNECTED.has(err.code);
    return { kind: 'failed', error: err.code, message: err.message ?? err.code, dispatched };
  }
  const name = err.name && err.name !== 'Error' ? err.name : 'Error';
  return { kind: 'failed', error: name, message: err.message ?? String(e) };
}

/** The Invoker port over @aws-sdk/client-lambda (use a client from `createLambdaClient`). */
export class LambdaInvoker implements Invoker {
  private readonly tracker: DispatchTracker | undefined;

  constructor(private readonly client: LambdaClient) {
    this.tracker = dispatchTrackerOf(client);
  }

  get tracksDispatch(): boolean {
    return this.tracker !== undefined;
  }

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    const { onDispatched, tracker } = { onDispatched: request.onDispatched, tracker: this.tracker };
    const key = invokeKey(request.functionName, request.qualifier, request.clientContext);
    let written = false;
    tracker?.expect(key, () => {
      written = true;
      onDispatched?.();
    });
    try {
      const out = await this.client.send(
        new InvokeCommand({
          FunctionName: request.functionName,
          Qualifier: request.qualifier,
          InvocationType: 'RequestResponse',
          ClientContext: request.clientContext,
          Payload: new TextEncoder().encode(request.payload),
        }),
        request.signal ? { abortSignal: request.signal } : {},
      );
      return {
        kind: 'ok',
        payload: parsePayload(out.Payload),
        executedVersion: out.ExecutedVersion,
        functionError: out.FunctionError,
      };
    } catch (e) {
      const result = classifyInvokeError(e, request.signal);
      // The agent saw the whole request leave, or it did not: a failure before that sent nothing.
      return tracker && result.kind === 'failed' ? { ...result, dispatched: written } : result;
    } finally {
      if (tracker) tracker.settle(key);
      else onDispatched?.();
    }
  }

  async readUnreservedConcurrency(options: { readonly signal?: AbortSignal } = {}): Promise<number | null> {
    const out = await this.client.send(
      new GetAccountSettingsCommand({}),
      options.signal ? { abortSignal: options.signal } : {},
    );
    return out.AccountLimit?.UnreservedConcurrentExecutions ?? null;
  }

  async readCapacity(
    functionName: string,
    options: { readonly account?: boolean; readonly signal?: AbortSignal } = {},
  ): Promise<CapacityObservation> {
    const send = options.signal ? { abortSignal: options.signal } : {};
    const [fn, account] = await Promise.all([
      this.client.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }), send),
      options.account === false ? undefined : this.client.send(new GetAccountSettingsCommand({}), send),
    ]);
    return {
      reservedConcurrency: fn.ReservedConcurrentExecutions ?? null,
      unreservedConcurrency: account?.AccountLimit?.UnreservedConcurrentExecutions ?? null,
    };
  }
}
