import { InvokeCommand } from '@aws-sdk/client-lambda';
import { createLambdaClient, fanOut, LambdaInvoker } from '@warmpool/controller';
import { LambdaStandIn, LocalWorld, sampleFunction } from '@warmpool/local';
import type { WarmPingAnswerPayload } from '@warmpool/warmup';
import { createMarker, encodeClientContext } from '@warmpool/warmup/protocol';
import { afterEach, describe, expect, it } from 'vitest';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const SECRET = 'a-shared-secret-of-32-characters';
const started: LambdaStandIn[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function setup(world: LocalWorld) {
  const standIn = new LambdaStandIn(world);
  started.push(standIn);
  const endpoint = await standIn.start();
  const client = createLambdaClient({ endpoint, credentials });
  return { standIn, endpoint, client, invoker: new LambdaInvoker(client) };
}

const round = (invoker: LambdaInvoker, n: number, extra: Partial<Parameters<typeof fanOut>[0]> = {}) =>
  fanOut({
    invoker,
    functionName: 'sample',
    qualifier: 'live',
    n,
    holdMs: 40,
    tickId: 'tick-1',
    timeoutMs: 4_000,
    ...extra,
  });

describe('fan-out against the Lambda stand-in (real SDK)', () => {
  it.each([
    [1, 40],
    [50, 300],
    [500, 1_500],
  ])('reaches exactly N = %i distinct containers when nothing else runs', async (n, holdMs) => {
    const world = new LocalWorld().addFunction(sampleFunction({ sim: { initMs: 0 } }));
    const { invoker, standIn } = await setup(world);
    const result = await round(invoker, n, { holdMs });
    expect(result).toMatchObject({
      requested: n,
      sent: n,
      succeeded: n,
      distinctContainers: n,
      newContainers: n,
      throttled: 0,
      failed: 0,
      unrecognised: 0,
      stoppedEarly: null,
      holdMs,
    });
    expect(world.sim('sample', 'live')?.containers).toBe(n);
    expect(standIn.invocations.every((i) => i.qualifier === 'live' && i.clientContext)).toBe(true);
  });

  it('reuses warm containers on the next round: same ids, none new', async () => {
    const world = new LocalWorld().addFunction(sampleFunction({ sim: { initMs: 0 } }));
    const { invoker } = await setup(world);
    await round(invoker, 5, { holdMs: 200 });
    const second = await round(invoker, 5, { tickId: 'tick-2', holdMs: 200 });
    expect(second).toMatchObject({ distinctContainers: 5, newContainers: 0 });
  });

  it('caps the round by the budget so real traffic keeps its reserved concurrency', async () => {
    const world = new LocalWorld().addFunction(
      sampleFunction({ reservedConcurrency: 20, sim: { initMs: 0 } }),
    );
    const { invoker } = await setup(world);
    const capacity = await invoker.readCapacity('sample');
    expect(capacity).toEqual({ reservedConcurrency: 20, unreservedConcurrency: 980 });
    const warming = round(invoker, 10, { holdMs: 300, budget: { source: 'reserved', share: 0.2 }, capacity });
    // While the pings hold, real traffic up to the rest of the pool arrives (in the same simulated time).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const real = Array.from({ length: 16 }, () => world.injectReal('sample', 'live', 1_000));
    const result = await warming;
    expect(result).toMatchObject({
      requested: 10,
      sent: 4,
      distinctContainers: 4,
      budgetLimit: 4,
      throttled: 0,
    });
    expect(real.filter((r) => r.status === 'throttled')).toEqual([]);
  });

  it('keeps real requests sent through the SDK at the same moment clear of throttles', async () => {
    // Reserved 30, share 0.2: pings may take 6; 24 real requests (each busy 2 s in the model) fit beside them.
    const world = new LocalWorld().addFunction(
      sampleFunction({ reservedConcurrency: 30, realDurationMs: 2_000, sim: { initMs: 0 } }),
    );
    const { invoker, client } = await setup(world);
    const capacity = await invoker.readCapacity('sample');
    const real = Array.from({ length: 24 }, (_, i) =>
      client
        .send(
          new InvokeCommand({ FunctionName: 'sample', Qualifier: 'live', Payload: JSON.stringify({ i }) }),
        )
        .then(
          () => 'ok',
          (e: { name?: string }) => e.name ?? 'error',
        ),
    );
    const result = await round(invoker, 20, {
      holdMs: 300,
      budget: { source: 'reserved', share: 0.2 },
      capacity,
    });
    expect(await Promise.all(real)).toEqual(Array(24).fill('ok'));
    expect(result).toMatchObject({ sent: 6, succeeded: 6, throttled: 0 });
    expect(world.sim('sample', 'live')?.stats()).toMatchObject({ realInvocations: 24, pings: 6 });
  });

  it('stops at once, without retrying, when the reserved pool is full', async () => {
    const world = new LocalWorld().addFunction(
      sampleFunction({ reservedConcurrency: 10, sim: { initMs: 0 } }),
    );
    const { invoker, standIn } = await setup(world);
    for (let i = 0; i < 8; i++) world.injectReal('sample', 'live', 60_000);
    const result = await round(invoker, 6, { holdMs: 300 });
    expect(result.distinctContainers).toBe(2);
    expect(result.throttled).toBe(4);
    expect(result.throttleReasons).toEqual({ ReservedFunctionConcurrentInvocationLimitExceeded: 4 });
    expect(result.stoppedEarly).toBe('stopped: ReservedFunctionConcurrentInvocationLimitExceeded');
    expect(standIn.invocations).toHaveLength(6);
  });

  it('stops on the account limit for a function without reserved concurrency', async () => {
    const world = new LocalWorld({ accountConcurrency: 3 }).addFunction(
      sampleFunction({ sim: { initMs: 0 } }),
    );
    const { invoker, standIn } = await setup(world);
    const result = await round(invoker, 5, { holdMs: 300 });
    expect(result).toMatchObject({
      distinctContainers: 3,
      throttled: 2,
      stoppedEarly: 'stopped: ConcurrentInvocationLimitExceeded',
    });
    expect(standIn.invocations).toHaveLength(5);
  });

  it('ends a throttle storm within the deadline with an honest result', async () => {
    const world = new LocalWorld().addFunction(sampleFunction({ sim: { initMs: 0 } }));
    const { invoker, standIn } = await setup(world);
    standIn.injectFault(
      { kind: 'throttle', reason: 'FunctionInvocationRateLimitExceeded' },
      { times: 100_000 },
    );
    const result = await round(invoker, 20, {
      timeoutMs: 600,
      maxRetries: 50,
      backoffBaseMs: 20,
      holdMs: 40,
    });
    expect(result).toMatchObject({
      requested: 20,
      sent: 20,
      succeeded: 0,
      distinctContainers: 0,
      throttled: 20,
    });
    expect(result.throttleReasons).toEqual({ FunctionInvocationRateLimitExceeded: 20 });
    expect(standIn.invocations.length).toBeGreaterThan(20);
    expect(result.wallMs).toBeLessThan(600 + 500);
  });

  it('retries rate throttles with backoff and still reaches every container', async () => {
    const world = new LocalWorld().addFunction(sampleFunction({ sim: { initMs: 0 } }));
    const { invoker, standIn } = await setup(world);
    standIn.injectFault(
      { kind: 'throttle', reason: 'ReservedFunctionInvocationRateLimitExceeded' },
      { times: 3 },
    );
    const result = await round(invoker, 10, { holdMs: 400, backoffBaseMs: 10 });
    expect(result).toMatchObject({ succeeded: 10, throttled: 0, distinctContainers: 10 });
    expect(standIn.invocations).toHaveLength(13);
  });

  it('does not retry when retryAfterSeconds cannot fit before the deadline', async () => {
    const world = new LocalWorld().addFunction(sampleFunction({ sim: { initMs: 0 } }));
    const { invoker, standIn } = await setup(world);
    standIn.injectFault(
      { kind: 'throttle', reason: 'CallerRateLimitExceeded', retryAfterSeconds: 30 },
      { times: 2 },
    );
    const result = await round(invoker, 4, { timeoutMs: 2_000 });
    expect(result).toMatchObject({
      succeeded: 2,
      throttled: 2,
      throttleReasons: { CallerRateLimitExceeded: 2 },
    });
    expect(standIn.invocations).toHaveLength(4);
  });

  it('counts function errors, dropped connections and slow calls past the deadline as failures', async () => {
    const world = new LocalWorld().addFunction(sampleFunction({ sim: { initMs: 0 } }));
    const { invoker, standIn } = await setup(world);
    standIn.injectFault({ kind: 'function-error' }, { times: 1 });
    standIn.injectFault({ kind: 'drop' }, { times: 1 });
    standIn.injectFault({ kind: 'slow', delayMs: 5_000 }, { times: 1 });
    const result = await round(invoker, 6, { timeoutMs: 500 });
    expect(result.succeeded).toBe(3);
    expect(result.failed).toBe(3);
    expect(result.failures).toEqual({ 'FunctionError:Unhandled': 1, ECONNRESET: 1, Timeout: 1 });
    expect(result.stoppedEarly).toBe('deadline');
  });

  it('reports a deleted target as ResourceNotFoundException', async () => {
    const world = new LocalWorld().addFunction(sampleFunction({ sim: { initMs: 0 } }));
    const { invoker } = await setup(world);
    world.removeFunction('sample');
    const result = await round(invoker, 3);
    expect(result).toMatchObject({ failed: 3, failures: { ResourceNotFoundException: 3 }, succeeded: 0 });
  });

  it('flags answers without the protocol (helper not installed)', async () => {
    const world = new LocalWorld().addFunction(sampleFunction({ warmup: false, sim: { initMs: 0 } }));
    const { invoker } = await setup(world);
    const result = await round(invoker, 3);
    expect(result).toMatchObject({ succeeded: 0, unrecognised: 3, distinctContainers: 0 });
  });

  it('caps a hold over the function’s maxHoldMs', async () => {
    const world = new LocalWorld().addFunction(
      sampleFunction({ warmup: { maxHoldMs: 20 }, sim: { initMs: 0 } }),
    );
    const { client } = await setup(world);
    const out = await client.send(
      new InvokeCommand({
        FunctionName: 'sample',
        Qualifier: 'live',
        ClientContext: encodeClientContext(createMarker({ tick: 't', i: 0, holdMs: 5_000, ts: Date.now() })),
      }),
    );
    const answer = JSON.parse(new TextDecoder().decode(out.Payload)) as WarmPingAnswerPayload;
    expect(answer.warmpool.heldMs).toBe(20);
    expect(out.ExecutedVersion).toBe('live');
  });

  it('runs the user handler for a forged marker in an API-Gateway-shaped event', async () => {
    const world = new LocalWorld().addFunction(sampleFunction({ sim: { initMs: 0 } }));
    const { client } = await setup(world);
    const marker = createMarker({ tick: 't', i: 0, holdMs: 5_000, ts: Date.now() });
    const event = {
      version: '2.0',
      rawPath: '/',
      headers: { 'x-amz-client-context': encodeClientContext(marker) },
      body: JSON.stringify({ custom: { warmpool: marker } }),
      custom: { warmpool: marker },
    };
    const out = await client.send(
      new InvokeCommand({ FunctionName: 'sample', Qualifier: 'live', Payload: JSON.stringify(event) }),
    );
    const body = JSON.parse(new TextDecoder().decode(out.Payload));
    expect(body.statusCode).toBe(200);
    expect(body.warmpool).toBeUndefined();
    expect(JSON.parse(body.body).hello).toBe('from the sample function');
  });

  it('warms with a shared secret, and a wrong secret warms nothing', async () => {
    const world = new LocalWorld().addFunction(
      sampleFunction({ warmup: { sharedSecret: SECRET }, sim: { initMs: 0 } }),
    );
    const { invoker } = await setup(world);
    expect(await round(invoker, 3, { sharedSecret: SECRET })).toMatchObject({
      succeeded: 3,
      distinctContainers: 3,
    });
    const wrong = await round(invoker, 3, {
      sharedSecret: 'not-the-secret-of-that-function',
      tickId: 'tick-2',
    });
    expect(wrong).toMatchObject({ succeeded: 0, unrecognised: 3 });
  });
});
