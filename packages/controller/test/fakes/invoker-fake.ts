import type { CapacityObservation } from '@warmpool/core';
import { readMarker, WARM_PING_PROTOCOL_VERSION } from '@warmpool/warmup/protocol';
import type { InvokeRequest, InvokeResult, Invoker } from '../../src/ports/invoker.js';

export type FakeResponder = (request: InvokeRequest, index: number) => InvokeResult | Promise<InvokeResult>;

function decodeContext(base64: string): unknown {
  try {
    return JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Answers with the warm-ping protocol, container `fake-<index>`, started, holding as requested. */
export const protocolResponder: FakeResponder = (request, index) => {
  const marker = readMarker(decodeContext(request.clientContext));
  return {
    kind: 'ok',
    executedVersion: request.qualifier,
    functionError: undefined,
    payload: marker
      ? {
          warmpool: {
            v: WARM_PING_PROTOCOL_VERSION,
            containerId: `fake-${index}`,
            started: true,
            ageMs: 0,
            heldMs: marker.holdMs,
            tick: marker.tick,
            i: marker.i,
          },
        }
      : null,
  };
};

/**
 * In-memory Invoker. Records every call; by default answers each ping as the helper would, from a new
 * container each time; `respond` replaces that; `failNext` makes the next call(s) return a given result (or
 * throw a given error) first.
 */
export class FakeInvoker implements Invoker {
  readonly calls: InvokeRequest[] = [];
  readonly capacityCalls: { functionName: string; account: boolean }[] = [];
  capacity: CapacityObservation = { reservedConcurrency: null, unreservedConcurrency: null };
  private responder: FakeResponder = protocolResponder;
  private readonly next: (InvokeResult | Error)[] = [];

  respond(responder: FakeResponder): this {
    this.responder = responder;
    return this;
  }

  failNext(result: InvokeResult | Error, times = 1): this {
    for (let i = 0; i < times; i++) this.next.push(result);
    return this;
  }

  /** The fake's requests "leave" as soon as they are made; set false to act as an Invoker that cannot tell. */
  tracksDispatch = true;

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    const index = this.calls.length;
    this.calls.push(request);
    request.onDispatched?.();
    const forced = this.next.shift();
    if (forced instanceof Error) throw forced;
    if (forced) return forced;
    return this.responder(request, index);
  }

  async readUnreservedConcurrency(): Promise<number | null> {
    this.capacityCalls.push({ functionName: '', account: true });
    if (this.next[0] instanceof Error) throw this.next.shift();
    return this.capacity.unreservedConcurrency;
  }

  async readCapacity(
    functionName: string,
    options: { readonly account?: boolean } = {},
  ): Promise<CapacityObservation> {
    const account = options.account ?? true;
    this.capacityCalls.push({ functionName, account });
    // Only a queued Error applies here; queued results are for invoke().
    if (this.next[0] instanceof Error) throw this.next.shift();
    return account ? this.capacity : { ...this.capacity, unreservedConcurrency: null };
  }
}
