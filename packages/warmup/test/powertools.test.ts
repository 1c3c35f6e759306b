import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { DEFAULT_TARGET } from '@warmpool/core';
import {
  createContainerIdentity,
  WARMUP_DEFAULTS,
  WarmupOptionError,
  warmupMiddleware,
  withWarmup,
} from '@warmpool/warmup';
import { clientContextFor, createMarker } from '@warmpool/warmup/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * The helper beside the real AWS Lambda Powertools Metrics in one function. Powertools counts the first
 * invocation it handles on each container as `ColdStart`; under warming that is a prewarmed container's first
 * real request (warm-up middleware first) or the ping itself (logMetrics first). The controller must read the
 * helper's `UserColdStart` instead, which counts only a real request that started its container.
 */

const FN = 'checkout';
type Wiring = 'warmup-first' | 'metrics-first' | 'plain';
type Step = 'ping' | 'real';

interface Run {
  /** Sum per series, as CloudWatch aggregates EMF: "namespace|name|dim=value,…". */
  readonly series: Record<string, number>;
}

function context(ping: boolean, i: number) {
  return {
    functionName: FN,
    awsRequestId: `req-${i}`,
    getRemainingTimeInMillis: () => 30_000,
    clientContext: ping
      ? clientContextFor(createMarker({ tick: 't1', i, holdMs: 0, ts: Date.now() }))
      : undefined,
  };
}

/** One fresh container: a new Powertools Metrics object and a new helper container identity. */
async function runContainer(wiring: Wiring, steps: readonly Step[], initType: string): Promise<Run> {
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', initType);
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    const metrics = new Metrics({ namespace: 'Shop', serviceName: 'checkout-svc' });
    const helper = {
      container: createContainerIdentity(),
      initializationType: initType,
      sleep: async () => {},
      log: (line: string) => lines.push(line),
    };
    const app = async () => ({ statusCode: 200 });
    let handler: (event: unknown, ctx: ReturnType<typeof context>) => Promise<unknown>;
    if (wiring === 'plain') {
      handler = withWarmup(async (_e: unknown, ctx: ReturnType<typeof context>) => {
        metrics.captureColdStartMetric(ctx.functionName);
        return app();
      }, helper);
    } else {
      const chain = middy(app);
      const warm = warmupMiddleware(helper);
      const pt = logMetrics(metrics, { captureColdStartMetric: true });
      // biome-ignore lint/suspicious/noExplicitAny: middy's middleware types differ between the two libraries
      const first: any = wiring === 'warmup-first' ? warm : pt;
      // biome-ignore lint/suspicious/noExplicitAny: as above
      const second: any = wiring === 'warmup-first' ? pt : warm;
      handler = chain.use(first).use(second) as never;
    }
    let i = 0;
    for (const step of steps) await handler({}, context(step === 'ping', i++));
    return { series: sumEmf(lines) };
  } finally {
    write.mockRestore();
    vi.unstubAllEnvs();
  }
}

function sumEmf(lines: readonly string[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const line of lines) {
    let j: Record<string, unknown> & {
      _aws?: {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      };
    };
    try {
      j = JSON.parse(line);
    } catch {
      continue;
    }
    for (const d of j._aws?.CloudWatchMetrics ?? []) {
      const dims = [...(d.Dimensions[0] ?? [])]
        .sort()
        .map((k) => `${k}=${String(j[k])}`)
        .join(',');
      for (const m of d.Metrics) {
        const key = `${d.Namespace}|${m.Name}|${dims}`;
        sums[key] = (sums[key] ?? 0) + Number(j[m.Name]);
      }
    }
  }
  return sums;
}

/** The series the controller reads by default (config's DEFAULT_TARGET.coldStartMetric, dimensions resolved). */
const READ_BY_CONTROLLER = `${DEFAULT_TARGET.coldStartMetric.namespace}|${DEFAULT_TARGET.coldStartMetric.name}|function_name=${FN},service=${FN}`;
const POWERTOOLS = `Shop|ColdStart|function_name=${FN},service=checkout-svc`;

const SCENARIOS: readonly { name: string; steps: Step[]; init: string; userFelt: number }[] = [
  { name: 'ping, then real', steps: ['ping', 'real'], init: 'on-demand', userFelt: 0 },
  { name: 'ping, ping, then real', steps: ['ping', 'ping', 'real'], init: 'on-demand', userFelt: 0 },
  { name: 'real', steps: ['real'], init: 'on-demand', userFelt: 1 },
  { name: 'real, real', steps: ['real', 'real'], init: 'on-demand', userFelt: 1 },
  { name: 'real on provisioned concurrency', steps: ['real'], init: 'provisioned-concurrency', userFelt: 0 },
  { name: 'real after a SnapStart restore', steps: ['real'], init: 'snap-start', userFelt: 0 },
];

describe('the helper beside Powertools Metrics', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const wiring of ['warmup-first', 'metrics-first', 'plain'] as const) {
    describe(wiring, () => {
      it.each(SCENARIOS)('$name: the controller reads $userFelt user-felt cold start(s)', async (s) => {
        const { series } = await runContainer(wiring, s.steps, s.init);
        expect(series[READ_BY_CONTROLLER] ?? 0).toBe(s.userFelt);
        // No cold-start series is ever written twice in one container.
        for (const [key, value] of Object.entries(series)) {
          if (/ColdStart/.test(key)) expect(value, key).toBeLessThanOrEqual(1);
        }
        // Each library writes only under its own name.
        for (const key of Object.keys(series)) {
          if (key.startsWith('Shop|')) expect(key).toBe(POWERTOOLS);
        }
      });
    });
  }

  it("pins Powertools' own behaviour: after a ping it still counts the container's first handled invocation", async () => {
    // If an upgrade of Powertools changes this, the docs' advice (keep Powertools' ColdStart for your own
    // dashboards, never as the controller's signal) must be read again.
    for (const wiring of ['warmup-first', 'metrics-first'] as const) {
      const { series } = await runContainer(wiring, ['ping', 'real'], 'on-demand');
      expect(series[POWERTOOLS], wiring).toBe(1);
      expect(series[READ_BY_CONTROLLER] ?? 0, wiring).toBe(0);
    }
  });

  it("refuses Powertools' metric name for the helper's record, naming the field", () => {
    const bad = { coldStartMetric: { namespace: 'Shop', name: 'ColdStart', dimensions: {} } };
    expect(() => withWarmup(async () => 1, bad)).toThrow(WarmupOptionError);
    expect(() => withWarmup(async () => 1, bad)).toThrow(/coldStartMetric\.name: must not be 'ColdStart'/);
  });

  it('writes by default exactly the metric the controller reads by default', () => {
    const helper = WARMUP_DEFAULTS.coldStartMetric;
    expect(helper).not.toBe(false);
    expect(helper).toEqual(DEFAULT_TARGET.coldStartMetric);
  });
});
