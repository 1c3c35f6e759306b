import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { createLambdaClient, fanOut, InFlightSlots, LambdaInvoker } from '@warmpool/controller';
import { forkLambdaStandIn, LambdaStandIn, LocalWorld, sampleFunction } from '@warmpool/local';
import { afterEach, describe, expect, it } from 'vitest';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

/** A scaling rate scaled down (20 new environments per 2 s) so a ramp runs in seconds. */
const SCALING = { environments: 20, perMs: 2_000 } as const;

async function standIn() {
  const world = new LocalWorld({ accountConcurrency: 10_000, scalingRate: SCALING }).addFunction(
    sampleFunction({ sim: { initMs: 0 } }),
  );
  const s = new LambdaStandIn(world);
  const endpoint = await s.start();
  stops.push(() => s.stop());
  return { world, invoker: new LambdaInvoker(createLambdaClient({ endpoint, credentials })) };
}

const round = (invoker: LambdaInvoker, scaling: typeof SCALING | null) =>
  fanOut({
    invoker,
    functionName: 'sample',
    qualifier: 'live',
    n: 50,
    holdMs: 400,
    tickId: 'ramp',
    timeoutMs: 20_000,
    scaling,
    waveSpreadMs: 100,
    slots: new InFlightSlots(1_000),
  });

describe('ramped rounds against the stand-in’s scaling limit (real SDK)', () => {
  it('one wave above the scaling rate is throttled and short', async () => {
    const { invoker } = await standIn();
    const r = await round(invoker, null);
    expect(r.ramp).toBeNull();
    expect(r.throttled).toBeGreaterThan(0);
    expect(r.distinctContainers).toBeLessThan(50);
  }, 30_000);

  it('a ramp reaches all N: waves within the rate, one window apart, holds overlapping at the end', async () => {
    const { world, invoker } = await standIn();
    const r = await round(invoker, SCALING);
    expect(r).toMatchObject({ sent: 50, succeeded: 50, distinctContainers: 50, throttled: 0 });
    expect(world.sim('sample', 'live')?.containers).toBe(50);
    const waves = r.ramp?.waves ?? [];
    expect(waves.map((w) => w.size)).toEqual([17, 17, 16]);
    const last = waves.at(-1);
    for (const w of waves) {
      expect(w.size).toBeLessThanOrEqual(SCALING.environments);
      // Every wave still holds when the last one lands.
      expect((w.startedAfterMs ?? 0) + w.holdMs).toBeGreaterThan(last?.startedAfterMs ?? 0);
    }
    for (let i = 1; i < waves.length; i++)
      expect((waves[i]?.startedAfterMs ?? 0) - (waves[i - 1]?.startedAfterMs ?? 0)).toBeGreaterThanOrEqual(
        SCALING.perMs,
      );
  }, 30_000);
});

describe('knowing when a ping has left (real SDK, tracked agents)', () => {
  it('reports each Invoke written before its answer, and one whose connection was refused as not dispatched', async () => {
    const { invoker } = await standIn();
    expect(invoker.tracksDispatch).toBe(true);
    const events: string[] = [];
    const result = await invoker.invoke({
      functionName: 'sample',
      qualifier: 'live',
      clientContext: Buffer.from('{}').toString('base64'),
      payload: '{}',
      onDispatched: () => events.push('dispatched'),
    });
    events.push(`answered:${result.kind}`);
    expect(events).toEqual(['dispatched', 'answered:ok']);

    // Nothing listens on this port: the request never leaves.
    const probe = new LambdaStandIn(new LocalWorld());
    const closed = await probe.start();
    await probe.stop();
    const refused = new LambdaInvoker(createLambdaClient({ endpoint: closed, credentials }));
    const r = await refused.invoke({
      functionName: 'sample',
      qualifier: 'live',
      clientContext: 'e30=',
      payload: '{}',
    });
    expect(r).toMatchObject({ kind: 'failed', dispatched: false });
  });
});

describe('the stand-in over TLS', () => {
  it('serves HTTPS with a self-signed certificate the real SDK client trusts through NODE_EXTRA_CA_CERTS', async () => {
    const forked = await forkLambdaStandIn({
      tls: true,
      functions: [{ name: 'sample', qualifiers: ['live'] }],
    });
    stops.push(() => forked.stop());
    expect(forked.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:/);
    expect(forked.caFile).toBeTruthy();
    // NODE_EXTRA_CA_CERTS is read at process start: a fresh Node process with the SDK makes the call.
    const sdk = createRequire(import.meta.url).resolve('@aws-sdk/client-lambda');
    const script = `
      const { LambdaClient, InvokeCommand } = require(${JSON.stringify(sdk)});
      const c = new LambdaClient({ region: 'us-east-1', endpoint: process.argv[1], credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
      c.send(new InvokeCommand({ FunctionName: 'sample', Qualifier: 'live', Payload: Buffer.from('{}') }))
        .then((o) => console.log(JSON.stringify({ status: o.StatusCode, version: o.ExecutedVersion })))
        .catch((e) => { console.log(JSON.stringify({ error: e.name, code: e.code })); });`;
    const run = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, ['-e', script, forked.endpoint], {
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
      }).then((o) => JSON.parse(o.stdout.trim().split('\n').at(-1) ?? '{}'));
    expect(await run({ NODE_EXTRA_CA_CERTS: forked.caFile as string })).toEqual({
      status: 200,
      version: 'live',
    });
    // Without it the certificate is not trusted: the TLS is real.
    const untrusted = await run({ NODE_EXTRA_CA_CERTS: '' });
    expect(untrusted.error ?? untrusted.code).toBeTruthy();
  }, 60_000);

  it('speaks HTTP/2 to the SDK’s h2 handler (opt-in): concurrent Invokes arrive as h2 streams', async () => {
    const { selfSignedIdentity } = await import('@warmpool/local');
    const tls = await selfSignedIdentity();
    const world = new LocalWorld({ accountConcurrency: 1_000 }).addFunction(
      sampleFunction({ sim: { initMs: 0 } }),
    );
    const s = new LambdaStandIn(world, { tls, http2: true });
    const endpoint = await s.start();
    stops.push(() => s.stop());
    const require = createRequire(import.meta.url);
    const sdk = require.resolve('@aws-sdk/client-lambda');
    const h2 = require.resolve('@smithy/node-http-handler');
    const { unlink, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const caFile = join(tmpdir(), `warmpool-h2-test-${process.pid}.pem`);
    await writeFile(caFile, tls.cert);
    stops.push(() => unlink(caFile));
    const script = `
      const { LambdaClient, InvokeCommand } = require(${JSON.stringify(sdk)});
      const { NodeHttp2Handler } = require(${JSON.stringify(h2)});
      const c = new LambdaClient({ region: 'us-east-1', endpoint: process.argv[1], maxAttempts: 1,
        requestHandler: new NodeHttp2Handler({ maxConcurrentStreams: 100 }),
        credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
      Promise.all(Array.from({ length: 20 }, () => c.send(new InvokeCommand({ FunctionName: 'sample', Qualifier: 'live', Payload: Buffer.from('{}') }))))
        .then((outs) => { console.log(JSON.stringify({ ok: outs.filter((o) => o.StatusCode === 200).length })); c.destroy(); })
        .catch((e) => { console.log(JSON.stringify({ error: e.name, message: e.message })); c.destroy(); });`;
    const out = await promisify(execFile)(process.execPath, ['-e', script, endpoint], {
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        NODE_EXTRA_CA_CERTS: caFile,
      },
    });
    expect(JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({ ok: 20 });
    expect(s.invocations.length).toBe(20);
    expect(s.invocations.every((i) => i.httpVersion === '2.0')).toBe(true);
  }, 60_000);
});
