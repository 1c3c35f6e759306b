import {
  GetAccountSettingsCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { FakeClock } from '@warmpool/core';
import {
  forkLambdaStandIn,
  LambdaStandIn,
  LocalWorld,
  sampleFunction,
  splitFunctionName,
} from '@warmpool/local';
import type { WarmPingAnswerPayload } from '@warmpool/warmup';
import { createMarker, encodeClientContext } from '@warmpool/warmup/protocol';
import { afterEach, describe, expect, it } from 'vitest';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const started: LambdaStandIn[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function serve(world: LocalWorld) {
  const standIn = new LambdaStandIn(world);
  started.push(standIn);
  const endpoint = await standIn.start();
  const client = new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return { standIn, client };
}

const decoder = new TextDecoder();
const ping = (client: LambdaClient, holdMs = 5, qualifier = 'live', name = 'sample') =>
  client
    .send(
      new InvokeCommand({
        FunctionName: name,
        Qualifier: qualifier,
        ClientContext: encodeClientContext(createMarker({ tick: 't', i: 0, holdMs, ts: Date.now() })),
      }),
    )
    .then((out) => JSON.parse(decoder.decode(out.Payload)) as WarmPingAnswerPayload);

describe('LambdaStandIn + LocalWorld', () => {
  it('answers a ping with the simulated container’s id; started only for the call that started it', async () => {
    const world = new LocalWorld().addFunction(sampleFunction({ sim: { initMs: 0 } }));
    const { client } = await serve(world);
    const first = await ping(client);
    expect(first.warmpool).toMatchObject({ containerId: 'sample:live/0', started: true, heldMs: 5 });
    const again = await ping(client);
    expect(again.warmpool).toMatchObject({ containerId: 'sample:live/0', started: false });
    expect(world.sim('sample', 'live')?.stats()).toMatchObject({ pings: 2, prewarms: 1, coldStarts: 0 });
  });

  it('keeps identity consistent with traffic injected in simulated time (no handler run)', async () => {
    const clock = new FakeClock(1_764_000_000_000);
    const world = new LocalWorld({ clock }).addFunction(sampleFunction({ sim: { initMs: 0 } }));
    const { client } = await serve(world);
    const real = world.injectReal('sample', 'live', 1_000);
    expect(real).toMatchObject({ status: 'ok', started: true, containerId: 0 });
    clock.advance(2_000);
    const answer = await ping(client);
    // The injected request started container 0; the ping reused it, so it is not a prewarm.
    expect(answer.warmpool).toMatchObject({ containerId: 'sample:live/0', started: false, ageMs: 2_000 });
    // Simulated time jumps past the idle reap: the next ping starts a new container.
    clock.advance(20 * 60_000);
    expect((await ping(client)).warmpool).toMatchObject({ containerId: 'sample:live/1', started: true });
  });

  it('emits UserColdStart for a real first call and a prewarm line (never UserColdStart) for a ping', async () => {
    const lines: string[] = [];
    const world = new LocalWorld({ log: (_fn, line) => lines.push(line) }).addFunction(
      sampleFunction({ sim: { initMs: 0 } }),
    );
    const { client } = await serve(world);
    await ping(client, 50);
    const busy = ping(client, 100);
    await new Promise((r) => setTimeout(r, 20));
    const out = await client.send(
      new InvokeCommand({ FunctionName: 'sample', Qualifier: 'live', Payload: '{"a":1}' }),
    );
    await busy;
    expect(JSON.parse(decoder.decode(out.Payload)).statusCode).toBe(200);
    const parsed = lines.map((l) => JSON.parse(l));
    // The second ping reused the first one's (idle) container: one prewarm.
    expect(parsed.filter((o) => o.warmpool === 'prewarm')).toHaveLength(1);
    expect(parsed.filter((o) => o.UserColdStart === 1)).toEqual([
      expect.objectContaining({ function_name: 'sample', service: 'sample' }),
    ]);
    expect(world.sim('sample', 'live')?.stats()).toMatchObject({
      coldStarts: 1,
      prewarms: 1,
      pings: 2,
      realInvocations: 1,
    });
  });

  it('serves per-minute metrics (pings included) for the CloudWatch stand-in', async () => {
    const world = new LocalWorld().addFunction(sampleFunction({ sim: { initMs: 0, metricLagMs: 0 } }));
    const { client } = await serve(world);
    await Promise.all([ping(client, 30), ping(client, 30)]);
    const metrics = world.metricsLookup('sample', 'live');
    const now = Date.now() + 120_000;
    const series = metrics?.query('pings', now - 600_000, now, now);
    expect(series?.values.reduce<number>((a, v) => a + (v ?? 0), 0)).toBe(2);
    expect(world.metricsLookup('sample', undefined)).toBe(metrics);
    expect(world.metricsLookup('nope', 'live')).toBeUndefined();
  });

  it('throttles by reserved concurrency with the right Reason and counts real throttles', async () => {
    const world = new LocalWorld().addFunction(
      sampleFunction({ reservedConcurrency: 1, sim: { initMs: 0 } }),
    );
    const { client } = await serve(world);
    const holding = ping(client, 300);
    await new Promise((r) => setTimeout(r, 50));
    const err = await client
      .send(new InvokeCommand({ FunctionName: 'sample', Qualifier: 'live', Payload: '{}' }))
      .catch((e) => e);
    expect(err).toMatchObject({
      name: 'TooManyRequestsException',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    await holding;
    expect(world.sim('sample', 'live')?.stats().realInvocations).toBe(0);
  });

  it('answers GetFunctionConcurrency and GetAccountSettings from the world', async () => {
    const world = new LocalWorld({ accountConcurrency: 500 })
      .addFunction(sampleFunction({ name: 'a', reservedConcurrency: 40 }))
      .addFunction(sampleFunction({ name: 'b' }));
    const { client } = await serve(world);
    expect(
      (await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'a' })))
        .ReservedConcurrentExecutions,
    ).toBe(40);
    expect(
      (await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'b' })))
        .ReservedConcurrentExecutions,
    ).toBeUndefined();
    await expect(
      client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'zzz' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const account = await client.send(new GetAccountSettingsCommand({}));
    expect(account.AccountLimit).toMatchObject({
      ConcurrentExecutions: 500,
      UnreservedConcurrentExecutions: 460,
    });
  });

  it('404s an unknown qualifier or a deleted function', async () => {
    const world = new LocalWorld().addFunction(sampleFunction());
    const { client } = await serve(world);
    await expect(ping(client, 1, 'prod')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    world.removeFunction('sample');
    await expect(ping(client, 1, 'live')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('injects faults: throttle with Retry-After, function error, slow call, dropped connection', async () => {
    const world = new LocalWorld().addFunction(sampleFunction({ sim: { initMs: 0 } }));
    const { client, standIn } = await serve(world);
    standIn.injectFault({ kind: 'throttle', reason: 'CallerRateLimitExceeded', retryAfterSeconds: 7 });
    await expect(ping(client)).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      Reason: 'CallerRateLimitExceeded',
      retryAfterSeconds: '7',
    });
    standIn.injectFault({ kind: 'function-error', message: 'kaput' });
    const failed = await client.send(new InvokeCommand({ FunctionName: 'sample', Qualifier: 'live' }));
    expect(failed.FunctionError).toBe('Unhandled');
    expect(JSON.parse(decoder.decode(failed.Payload))).toMatchObject({ errorMessage: 'kaput' });
    standIn.injectFault({ kind: 'slow', delayMs: 5_000 });
    await expect(
      client.send(new InvokeCommand({ FunctionName: 'sample', Qualifier: 'live' }), {
        abortSignal: AbortSignal.timeout(100),
      }),
    ).rejects.toBeDefined();
    standIn.clearFaults();
    standIn.injectFault({ kind: 'drop' }, { functionName: 'other' });
    expect((await ping(client)).warmpool.heldMs).toBe(5);
    standIn.clearFaults();
    standIn.injectFault({ kind: 'drop' });
    await expect(ping(client)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('reports a handler error as an Unhandled function error', async () => {
    const world = new LocalWorld().addFunction({
      name: 'broken',
      handler: async () => {
        throw new RangeError('bad input');
      },
    });
    const { client } = await serve(world);
    const out = await client.send(new InvokeCommand({ FunctionName: 'broken', Payload: '{}' }));
    expect(out.FunctionError).toBe('Unhandled');
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(JSON.parse(decoder.decode(out.Payload))).toEqual({
      errorType: 'RangeError',
      errorMessage: 'bad input',
    });
  });

  it('splits names, name:qualifier and ARNs', () => {
    expect(splitFunctionName('api')).toEqual({ name: 'api', qualifier: undefined });
    expect(splitFunctionName('api:live')).toEqual({ name: 'api', qualifier: 'live' });
    expect(splitFunctionName('arn:aws:lambda:us-east-1:123456789012:function:api:7')).toEqual({
      name: 'api',
      qualifier: '7',
    });
  });

  it('rejects bad function specs by field', () => {
    const world = new LocalWorld().addFunction(sampleFunction());
    expect(() => world.addFunction(sampleFunction())).toThrow(/name: is already registered/);
    expect(() => world.addFunction(sampleFunction({ name: 'x', reservedConcurrency: -1 }))).toThrow(
      /reservedConcurrency: must be an integer >= 0 or null/,
    );
  });
});

describe('forkLambdaStandIn', () => {
  it('runs the stand-in in a separate process and stops it', async () => {
    const forked = await forkLambdaStandIn({
      functions: [{ name: 'sample', qualifiers: ['live'], initMs: 0 }],
    });
    try {
      expect(forked.pid).not.toBe(process.pid);
      const client = new LambdaClient({
        endpoint: forked.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
      });
      expect((await ping(client)).warmpool).toMatchObject({ containerId: 'sample:live/0', started: true });
      client.destroy();
    } finally {
      await forked.stop();
    }
    expect(() => process.kill(forked.pid, 0)).toThrow();
  }, 20_000);
});
