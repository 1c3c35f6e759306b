import middy from '@middy/core';
import {
  createContainerIdentity,
  WarmupOptionError,
  type WarmupOptions,
  warmupMiddleware,
  withWarmup,
} from '@warmpool/warmup';
import { clientContextFor, createMarker } from '@warmpool/warmup/protocol';
import { describe, expect, it, vi } from 'vitest';

// biome-ignore lint/suspicious/noTemplateCurlyInString: the helper's literal placeholder
const FN_PLACEHOLDER = '${functionName}';
const SECRET = 'a-shared-secret-of-32-characters';
const T0 = 1_764_000_000_000;

/** A helper harness: fake time and sleep, captured log lines, a fresh container per call. */
function harness(extra: Partial<WarmupOptions> = {}) {
  const lines: string[] = [];
  const slept: number[] = [];
  let now = T0;
  const options: Partial<WarmupOptions> = {
    log: (l) => lines.push(l),
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    container: createContainerIdentity('container-A', T0 - 1_000),
    functionName: 'orders',
    initializationType: 'on-demand',
    sharedSecret: undefined,
    ...extra,
  };
  const calls: unknown[] = [];
  const handler = withWarmup(async (event: unknown) => {
    calls.push(event);
    return { statusCode: 200, body: 'real' };
  }, options);
  const emf = () => lines.map((l) => JSON.parse(l)).filter((o) => o._aws);
  return { handler, lines, slept, calls, emf, options };
}

const pingContext = (holdMs: number, extra: { secret?: string; ts?: number } = {}) => ({
  functionName: 'orders',
  clientContext: clientContextFor(
    createMarker({ tick: 'tick-1', i: 3, holdMs, ts: extra.ts ?? T0, secret: extra.secret }),
  ),
});

describe('withWarmup', () => {
  it('answers a ping with the container id after holding, without running the handler', async () => {
    const h = harness();
    const answer = await h.handler({}, pingContext(40));
    expect(answer).toEqual({
      warmpool: {
        v: 1,
        containerId: 'container-A',
        started: true,
        ageMs: 1_040,
        heldMs: 40,
        tick: 'tick-1',
        i: 3,
      },
    });
    expect(h.calls).toEqual([]);
    expect(h.slept).toEqual([40]);
  });

  it('caps a hold over maxHoldMs', async () => {
    const h = harness({ maxHoldMs: 25 });
    const answer = (await h.handler({}, pingContext(5_000))) as unknown as { warmpool: { heldMs: number } };
    expect(answer.warmpool.heldMs).toBe(25);
    expect(h.slept).toEqual([25]);
  });

  it('never holds into the function’s own timeout', async () => {
    const h = harness();
    const context = { ...pingContext(5_000), getRemainingTimeInMillis: () => 2_600 };
    const answer = (await h.handler({}, context)) as unknown as { warmpool: { heldMs: number } };
    expect(answer.warmpool.heldMs).toBe(2_500);
    expect(h.slept).toEqual([2_500]);
  });

  it('runs the handler untouched for a real invocation and passes its result and errors through', async () => {
    const h = harness();
    const event = { path: '/x' };
    expect(await h.handler(event, { functionName: 'orders' })).toEqual({ statusCode: 200, body: 'real' });
    expect(h.calls).toEqual([event]);
    const failing = withWarmup(async () => {
      throw new Error('boom');
    }, h.options);
    await expect(failing({}, { functionName: 'orders' })).rejects.toThrow('boom');
  });

  it('runs the handler for a forged marker in an API-Gateway-shaped event (no ClientContext)', async () => {
    const h = harness();
    const forged = {
      version: '2.0',
      rawPath: '/orders',
      headers: { 'x-amz-client-context': 'eyJjdXN0b20iOnt9fQ==' },
      body: JSON.stringify(clientContextFor(createMarker({ tick: 't', i: 0, holdMs: 9_000, ts: T0 }))),
      custom: { warmpool: { v: 1, tick: 't', i: 0, holdMs: 9_000, ts: T0 } },
      requestContext: { http: { method: 'POST' } },
    };
    expect(await h.handler(forged, { functionName: 'orders', clientContext: undefined })).toEqual({
      statusCode: 200,
      body: 'real',
    });
    expect(h.calls).toEqual([forged]);
    expect(h.slept).toEqual([]);
  });

  it('emits a Powertools-shaped UserColdStart EMF line only for a real first invocation', async () => {
    const h = harness();
    await h.handler({}, { functionName: 'orders' });
    await h.handler({}, { functionName: 'orders' });
    expect(h.emf()).toEqual([
      {
        _aws: {
          Timestamp: T0,
          CloudWatchMetrics: [
            {
              Namespace: 'Warmpool',
              Dimensions: [['service', 'function_name']],
              Metrics: [{ Name: 'UserColdStart', Unit: 'Count' }],
            },
          ],
        },
        service: 'orders',
        function_name: 'orders',
        UserColdStart: 1,
      },
    ]);
  });

  it('never counts a ping as a cold start; it logs a prewarm instead', async () => {
    const h = harness();
    await h.handler({}, pingContext(1));
    await h.handler({}, { functionName: 'orders' });
    expect(h.emf()).toEqual([]);
    expect(h.lines.map((l) => JSON.parse(l))).toContainEqual({
      warmpool: 'prewarm',
      containerId: 'container-A',
      tick: 'tick-1',
    });
    const second = (await h.handler({}, pingContext(1))) as unknown as { warmpool: { started: boolean } };
    expect(second.warmpool.started).toBe(false);
  });

  it('emits a Prewarm metric when asked', async () => {
    const h = harness({ prewarmMetric: true });
    await h.handler({}, pingContext(1));
    expect(h.emf().map((o) => o._aws.CloudWatchMetrics[0].Metrics[0].Name)).toEqual(['Prewarm']);
  });

  it.each(['provisioned-concurrency', 'snap-start'])(
    'does not count a %s init as a user-felt cold start',
    async (type) => {
      const h = harness({ initializationType: type });
      await h.handler({}, { functionName: 'orders' });
      expect(h.emf()).toEqual([]);
    },
  );

  it('uses the configured namespace, metric name and dimensions', async () => {
    const h = harness({
      coldStartMetric: {
        namespace: 'Shop',
        name: 'Cold',
        dimensions: { service: 'checkout', fn: FN_PLACEHOLDER },
      },
    });
    await h.handler({}, { functionName: 'pay' });
    const [line] = h.emf();
    expect(line._aws.CloudWatchMetrics[0]).toEqual({
      Namespace: 'Shop',
      Dimensions: [['service', 'fn']],
      Metrics: [{ Name: 'Cold', Unit: 'Count' }],
    });
    expect(line).toMatchObject({ service: 'checkout', fn: 'pay', Cold: 1 });
  });

  it('takes an injected detector', async () => {
    const h = harness({
      detector: (event) =>
        (event as { warm?: boolean }).warm
          ? { marker: createMarker({ tick: 'custom', i: 0, holdMs: 5, ts: T0 }), source: 'client-context' }
          : undefined,
    });
    expect(await h.handler({ warm: true }, { functionName: 'orders' })).toMatchObject({
      warmpool: { tick: 'custom' },
    });
    expect(h.calls).toEqual([]);
  });
});

describe('withWarmup with a shared secret', () => {
  it('accepts a signed ping within the skew', async () => {
    const h = harness({ sharedSecret: SECRET });
    expect(await h.handler({}, pingContext(5, { secret: SECRET }))).toMatchObject({
      warmpool: { heldMs: 5 },
    });
  });

  it.each([
    ['unsigned', {}],
    ['wrong secret', { secret: 'not-the-right-secret-at-all' }],
    ['too old', { secret: SECRET, ts: T0 - 61_000 }],
  ])('treats a %s marker as a real invocation and logs why', async (_name, extra) => {
    const h = harness({ sharedSecret: SECRET, maxSkewMs: 60_000 });
    expect(await h.handler({ e: 1 }, pingContext(5, extra))).toEqual({ statusCode: 200, body: 'real' });
    expect(h.calls).toEqual([{ e: 1 }]);
    expect(h.lines.some((l) => JSON.parse(l).warmpool === 'rejected-ping')).toBe(true);
  });

  it.each([
    ['a signature of the wrong shape', { sig: 'not-hex' }],
    ['a missing tick', { tick: undefined }],
    ['an unknown version', { v: 2 }],
  ])('logs %s under custom.warmpool as a rejected ping and runs the handler', async (_name, change) => {
    const h = harness({ sharedSecret: SECRET });
    const marker = {
      ...createMarker({ tick: 'tick-1', i: 0, holdMs: 5, ts: T0, secret: SECRET }),
      ...change,
    };
    const context = { functionName: 'orders', clientContext: { custom: { warmpool: marker } } };
    expect(await h.handler({ e: 1 }, context)).toEqual({ statusCode: 200, body: 'real' });
    expect(h.lines.map((l) => JSON.parse(l)).filter((o) => o.warmpool === 'rejected-ping')).toEqual([
      { warmpool: 'rejected-ping', reason: 'malformed' },
    ]);
  });

  it('fails closed when WARMPOOL_SHARED_SECRET is set but empty, instead of turning verification off', () => {
    vi.stubEnv('WARMPOOL_SHARED_SECRET', '');
    try {
      expect(() => withWarmup(async () => 1)).toThrow(
        /sharedSecret: WARMPOOL_SHARED_SECRET is set but empty/,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('reads the secret from WARMPOOL_SHARED_SECRET and then refuses unsigned pings', async () => {
    vi.stubEnv('WARMPOOL_SHARED_SECRET', SECRET);
    try {
      const h = harness();
      const { sharedSecret: _unset, ...withoutSecret } = h.options;
      const handler = withWarmup(async () => 'real', withoutSecret);
      expect(await handler({}, pingContext(5))).toBe('real');
      expect(await handler({}, pingContext(5, { secret: SECRET }))).toMatchObject({
        warmpool: { heldMs: 5 },
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('refuses a forgeable compat detector beside a secret, which would bypass it', () => {
    expect(() => withWarmup(async () => 1, { sharedSecret: SECRET, compat: ['middy'] })).toThrow(
      /compat: cannot be combined with sharedSecret/,
    );
  });
});

describe('compat detectors', () => {
  const plugin = { source: 'serverless-plugin-warmup' };

  it('are off by default: the plugin payload runs the handler', async () => {
    const h = harness();
    await h.handler(plugin, { functionName: 'orders' });
    expect(h.calls).toEqual([plugin]);
  });

  it.each(['serverless-plugin-warmup', 'middy'] as const)(
    'recognise the plugin payload when %s is opted in',
    async (name) => {
      const h = harness({ compat: [name] });
      expect(await h.handler(plugin, { functionName: 'orders' })).toMatchObject({
        warmpool: { containerId: 'container-A', heldMs: 0 },
      });
      expect(h.calls).toEqual([]);
    },
  );
});

describe('serverless-plugin-warmup compat via ClientContext', () => {
  it('recognises the plugin’s ClientContext custom.source when opted in, and not by default', async () => {
    const context = {
      functionName: 'orders',
      clientContext: { custom: { source: 'serverless-plugin-warmup' } },
    };
    const off = harness();
    await off.handler({}, context);
    expect(off.calls).toEqual([{}]);
    const on = harness({ compat: ['serverless-plugin-warmup'] });
    expect(await on.handler({}, context)).toMatchObject({ warmpool: { containerId: 'container-A' } });
    expect(on.calls).toEqual([]);
  });
});

describe('options', () => {
  it('rejects unknown options by name', () => {
    expect(() => withWarmup(async () => 1, { maxHold: 5 } as never)).toThrow(WarmupOptionError);
    expect(() => withWarmup(async () => 1, { maxHold: 5 } as never)).toThrow(
      /options\.maxHold: unknown option/,
    );
  });

  it.each([
    [{ maxHoldMs: -1 }, /maxHoldMs: must be a number >= 0/],
    [{ sharedSecret: 'short' }, /sharedSecret: must be a string of at least 16/],
    [{ compat: ['lambda-warmer'] }, /compat: unknown detector 'lambda-warmer'/],
    [{ coldStartMetric: { namespace: '', name: 'x', dimensions: {} } }, /coldStartMetric: must be false or/],
  ])('rejects bad values with the field and the rule (%o)', (options, message) => {
    expect(() => withWarmup(async () => 1, options as never)).toThrow(message);
  });

  it('can turn the cold-start metric off', async () => {
    const h = harness({ coldStartMetric: false });
    await h.handler({}, { functionName: 'orders' });
    expect(h.emf()).toEqual([]);
  });
});

describe('warmupMiddleware (middy)', () => {
  function middyHandler(extra: Partial<WarmupOptions> = {}) {
    const lines: string[] = [];
    const calls: unknown[] = [];
    const handler = middy(async (event: unknown) => {
      calls.push(event);
      return 'real';
    }).use(
      warmupMiddleware({
        log: (l) => lines.push(l),
        sleep: async () => {},
        container: createContainerIdentity('container-M', T0),
        functionName: 'orders',
        ...extra,
      }),
    );
    return { handler, lines, calls };
  }

  it('answers a ping early and skips the handler', async () => {
    const m = middyHandler();
    const answer = await m.handler({}, pingContext(10) as never);
    expect(answer).toMatchObject({ warmpool: { containerId: 'container-M', started: true, heldMs: 10 } });
    expect(m.calls).toEqual([]);
  });

  it('lets a real invocation through and counts its cold start', async () => {
    const m = middyHandler({ initializationType: 'on-demand' });
    expect(await m.handler({ a: 1 }, { functionName: 'orders' } as never)).toBe('real');
    expect(m.calls).toEqual([{ a: 1 }]);
    expect(m.lines.filter((l) => l.includes('"UserColdStart":1'))).toHaveLength(1);
  });

  it('rejects unknown options', () => {
    expect(() => warmupMiddleware({ isWarmingUp: () => true } as never)).toThrow(
      /options\.isWarmingUp: unknown option/,
    );
  });
});

describe('the helper stays dependency-free', () => {
  it('imports only node: built-ins, its own files and the protocol file', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const dir = new URL('../src/', import.meta.url);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(3);
    const specifiers = new Set<string>();
    for (const f of files) {
      const text = await readFile(new URL(f, dir), 'utf8');
      for (const m of text.matchAll(/from '([^']+)'/g)) specifiers.add(m[1] as string);
    }
    const protocol = await readFile(new URL('../src/protocol/warm-ping.ts', import.meta.url), 'utf8');
    for (const m of protocol.matchAll(/from '([^']+)'/g)) specifiers.add(m[1] as string);
    const foreign = [...specifiers].filter(
      (s) => !(s.startsWith('node:') || /^\.\/[\w-]+\.js$/.test(s) || s === './protocol/warm-ping.js'),
    );
    expect(foreign).toEqual([]);
  });
});
