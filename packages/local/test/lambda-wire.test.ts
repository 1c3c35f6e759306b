import { createMarker, encodeClientContext } from '@warmpool/warmup/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaStandIn } from '../src/lambda-server.js';
import { LocalWorld } from '../src/world.js';

// Wire-level checks with plain fetch (this package does not depend on the SDK; the SDK-driven tests of the
// stand-in live with the controller, which does).
let standIn: LambdaStandIn | undefined;
afterEach(async () => {
  await standIn?.stop();
  standIn = undefined;
});

async function start(world: LocalWorld): Promise<string> {
  standIn = new LambdaStandIn(world);
  return standIn.start();
}

describe('Lambda stand-in wire protocol', () => {
  it('decodes x-amz-client-context and hands it to the function as context.clientContext', async () => {
    const seen: unknown[] = [];
    const world = new LocalWorld().addFunction({
      name: 'echo',
      qualifiers: ['live'],
      warmup: false,
      sim: { initMs: 0 },
      handler: async (event, context) => {
        seen.push(context.clientContext);
        return { event, fn: context.functionName, version: context.functionVersion };
      },
    });
    const endpoint = await start(world);
    const marker = createMarker({ tick: 't', i: 2, holdMs: 1, ts: 5 });
    const res = await fetch(`${endpoint}/2015-03-31/functions/echo/invocations?Qualifier=live`, {
      method: 'POST',
      headers: {
        'x-amz-invocation-type': 'RequestResponse',
        'x-amz-client-context': encodeClientContext(marker),
      },
      body: '{"x":1}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amz-executed-version')).toBe('live');
    expect(await res.json()).toEqual({ event: { x: 1 }, fn: 'echo', version: 'live' });
    expect(seen).toEqual([{ custom: { warmpool: marker } }]);
  });

  it('answers a throttle as 429 TooManyRequestsException with the Reason in the body', async () => {
    const world = new LocalWorld().addFunction({ name: 'f', reservedConcurrency: 0, handler: async () => 1 });
    const endpoint = await start(world);
    const res = await fetch(`${endpoint}/2015-03-31/functions/f/invocations`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(429);
    expect(res.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(await res.json()).toMatchObject({
      Type: 'User',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
  });

  it('rejects a body that is not JSON and operations it does not serve', async () => {
    const world = new LocalWorld().addFunction({ name: 'f', handler: async () => 1 });
    const endpoint = await start(world);
    const bad = await fetch(`${endpoint}/2015-03-31/functions/f/invocations`, {
      method: 'POST',
      body: 'not json',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    const other = await fetch(`${endpoint}/2015-03-31/functions/f`, { method: 'GET' });
    expect(other.status).toBe(404);
    const event = await fetch(`${endpoint}/2015-03-31/functions/f/invocations`, {
      method: 'POST',
      headers: { 'x-amz-invocation-type': 'Event' },
      body: '{}',
    });
    expect(event.status).toBe(400);
  });
});
