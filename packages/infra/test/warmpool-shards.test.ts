import { join } from 'node:path';
import { configFromEnv, createHandler, memoryEmitter, type TickDeps } from '@warmpool/controller';
import {
  FakeClock,
  HANDLER_ENV,
  type TargetConfig,
  TICK_FAULT_METRICS,
  type WarmpoolConfig,
} from '@warmpool/core';
import {
  CONFIG_FILE_IN_LAMBDA,
  CONFIG_LAYER_FILE,
  DEFAULT_TARGETS_PER_SHARD,
  Warmpool,
} from '@warmpool/infra';
import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../controller/src/log/logger.js';
import { FakeDecisionStore } from '../../controller/test/fakes/decision-store-fake.js';
import { FakeMetricsSource } from '../../controller/test/fakes/metrics-source-fake.js';
import { fullRound } from '../../controller/test/fixtures.js';
import { PSEUDO } from './controller-view.js';
import { INLINE_CONTROLLER } from './stacks.js';
import { resolveJoin } from './template-helpers.js';

type Resource = { Type: string; Properties: Record<string, unknown> };

/** A synthesized fleet: `count` functions defined elsewhere, imported by name (how 500 are warmed). */
interface Fleet {
  readonly stack: Stack;
  readonly warmpool: Warmpool;
  readonly resources: Record<string, Resource>;
  readonly directory: string;
}

function fleet(
  count: number,
  props: { targetsPerShard?: number; dashboard?: boolean; wakeOnColdStarts?: boolean } = {},
): Fleet {
  const app = new App();
  const stack = new Stack(app, 'Fleet');
  const targets = Array.from({ length: count }, (_, i) => ({
    function: LambdaFunction.fromFunctionName(stack, `Fn${i}`, `fn-${i}`),
    qualifier: 'live',
    min: 1,
    max: 10,
  }));
  const warmpool = new Warmpool(stack, 'Warmpool', { targets, controllerCode: INLINE_CONTROLLER, ...props });
  const assembly = app.synth();
  const template = assembly.getStackArtifact(stack.artifactId).template as {
    Resources: Record<string, Resource>;
  };
  return { stack, warmpool, resources: template.Resources, directory: assembly.directory };
}

function ofType(f: Fleet, type: string): [string, Resource][] {
  return Object.entries(f.resources).filter(([, r]) => r.Type === type);
}

const lookup = (id: string) => PSEUDO[id] ?? `resolved-${id}`;

/**
 * Each shard's controller (or, with `kind`, its wake function) as deployed: its logical id, environment (config
 * file in the assembly) and config.
 */
function controllers(f: Fleet, kind: 'Controller' | 'WakeFunction' = 'Controller') {
  const own = new RegExp(`^Warmpool(Shard\\d+)?${kind}[0-9A-F]{8}$`);
  return ofType(f, 'AWS::Lambda::Function')
    .filter(([id]) => own.test(id))
    .map(([id, fn]) => {
      const vars = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      const env = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, resolveJoin(v, lookup)]));
      expect(env[HANDLER_ENV.configFile]).toBe(CONFIG_FILE_IN_LAMBDA);
      const [layer] = fn.Properties.Layers as { Ref: string }[];
      const content = f.resources[layer?.Ref as string]?.Properties.Content as { S3Key: string };
      const asset = `asset.${content.S3Key.replace(/\.zip$/, '')}`;
      env[HANDLER_ENV.configFile] = join(f.directory, asset, CONFIG_LAYER_FILE);
      return { id, fn, env, config: configFromEnv(env) as WarmpoolConfig };
    });
}

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe(`500 targets, ${DEFAULT_TARGETS_PER_SHARD} per shard by default`, () => {
  let f: Fleet;
  beforeAll(() => {
    // A subscription filter per function would take the stack past CloudFormation's 500 resources: a fleet this
    // size in one stack goes without wakeOnColdStarts.
    f = fleet(500, { wakeOnColdStarts: false });
  }, 120_000);

  it('synthesize into 10 controllers, each with reserved concurrency 1, its own config layer, schedule and alarm', () => {
    expect(f.warmpool.shards).toHaveLength(10);
    const fns = controllers(f);
    expect(fns).toHaveLength(10);
    for (const { fn } of fns) {
      expect(fn.Properties).toMatchObject({ ReservedConcurrentExecutions: 1, Timeout: 60, MemorySize: 512 });
    }
    expect(ofType(f, 'AWS::Lambda::LayerVersion')).toHaveLength(10);
    // One tick alarm per controller, plus the construct's fault alarms (summed over every shard's ticks).
    expect(ofType(f, 'AWS::CloudWatch::Alarm')).toHaveLength(10 + TICK_FAULT_METRICS.length);
    expect(ofType(f, 'AWS::Logs::LogGroup')).toHaveLength(1);
    // Each shard's rule invokes its own controller with the plain scheduled event, stale after one period.
    const rules = ofType(f, 'AWS::Events::Rule');
    expect(rules).toHaveLength(10);
    const ruleTargets = rules.map(([, r]) => (r.Properties.Targets as Record<string, unknown>[])[0]);
    expect(new Set(ruleTargets.map((t) => JSON.stringify(t?.Arn))).size).toBe(10);
    for (const [, rule] of rules) {
      expect(rule.Properties.ScheduleExpression).toBe('rate(5 minutes)');
      const [target] = rule.Properties.Targets as Record<string, unknown>[];
      expect(target).toMatchObject({
        RetryPolicy: { MaximumEventAgeInSeconds: 300, MaximumRetryAttempts: 2 },
      });
      expect(target?.Input).toBeUndefined();
      expect(target?.InputTransformer).toBeUndefined();
    }
  });

  it('give every target to exactly one controller, 50 each, the environment keeping only three values', () => {
    const fns = controllers(f);
    expect(fns.map((c) => c.config.targets.length)).toEqual(Array(10).fill(50));
    const ids = fns.flatMap((c) => c.config.targets.map((t) => t.id));
    expect(ids).toEqual(Array.from({ length: 500 }, (_, i) => `fn-${i}:live`));
    expect(fns[9]?.config.targets[49]).toMatchObject({
      functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:fn-499',
      qualifier: 'live',
      min: 1,
      max: 10,
    });
    // The ARNs of imported functions share the three pseudo parameters; nothing else waits for deployment.
    for (const { env } of fns) {
      expect(JSON.parse(env[HANDLER_ENV.configValues] as string)).toEqual([
        'aws',
        'eu-west-1',
        '123456789012',
      ]);
    }
  });

  it('are each decided exactly once per window by the real handlers, and a redelivered tick warms nothing', async () => {
    const clock = new FakeClock(T0 + 3_000);
    const store = new FakeDecisionStore();
    const metrics = new FakeMetricsSource();
    const warmed: string[] = [];
    const deps: TickDeps = {
      metrics,
      store,
      clock,
      log: memoryLogger(),
      emf: memoryEmitter(),
      warm: async (t: TargetConfig, count: number) => {
        warmed.push(t.id);
        return fullRound(t, count);
      },
    };
    const handlers = controllers(f).map(({ env }) =>
      createHandler({ deps: () => deps, env: { ...env, [HANDLER_ENV.table]: 'decisions' }, clock }),
    );
    // Each rule delivers its own scheduled event (EventBridge fires each rule on its own offset in the period).
    const event = (i: number) => ({ id: `ev-${i}`, time: new Date(T0 + i * 1_000).toISOString() });
    const context = (i: number) => ({ awsRequestId: `req-${i}`, getRemainingTimeInMillis: () => 58_000 });

    const first = await Promise.all(handlers.map((h, i) => h(event(i), context(i))));
    expect(first.map((r) => r.targets.length)).toEqual(Array(10).fill(50));
    // One metrics read per controller, for its own 50 targets.
    expect(metrics.calls.map((c) => c.targets.length)).toEqual(Array(10).fill(50));
    expect(first.flatMap((r) => r.targets.map((t) => t.status))).toEqual(Array(500).fill('warmed'));
    const ids = Array.from({ length: 500 }, (_, i) => `fn-${i}:live`);
    expect([...warmed].sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const records = store.all(id);
      expect(records).toHaveLength(1);
      expect(records[0]?.windowStartMs).toBe(T0);
      expect(records[0]?.outcome?.status).toBe('warmed');
    }

    // EventBridge delivers at least once: every rule's event again, a minute later, decides nothing new.
    clock.advance(60_000);
    const again = await Promise.all(handlers.map((h, i) => h(event(i), context(10 + i))));
    expect(again.flatMap((r) => r.targets.map((t) => t.status))).toEqual(Array(500).fill('duplicate'));
    expect(warmed).toHaveLength(500);
    for (const id of ids) expect(store.all(id)).toHaveLength(1);
  });
});

describe('targetsPerShard', () => {
  it('splits into balanced shards of at most targetsPerShard, each charted on the dashboard', () => {
    const f = fleet(101, { targetsPerShard: 50, dashboard: true });
    const [[, dashboard]] = ofType(f, 'AWS::CloudWatch::Dashboard') as [[string, Resource]];
    const body = JSON.parse(resolveJoin(dashboard.Properties.DashboardBody, (id) => PSEUDO[id] ?? id)) as {
      widgets: { properties: { title: string; metrics: unknown[][] } }[];
    };
    const controllerWidget = body.widgets.find((w) => w.properties.title === 'Warmpool controller');
    const labels = controllerWidget?.properties.metrics.map((m) => (m.at(-1) as { label?: string }).label);
    expect(labels).toEqual([
      'errors, shard 1',
      'errors, shard 2',
      'errors, shard 3',
      'duration, shard 1',
      'duration, shard 2',
      'duration, shard 3',
    ]);
    expect(controllers(f).map((c) => c.config.targets.length)).toEqual([33, 34, 34]);
    // Each shard's wake function reads that shard's config, to map a delivery's log group to its targets.
    const wakes = controllers(f, 'WakeFunction');
    expect(wakes.map((w) => w.config.targets.map((t) => t.id))).toEqual(
      controllers(f).map((c) => c.config.targets.map((t) => t.id)),
    );
    expect(f.warmpool.shards.map((s) => s.wakeFunction?.node.path)).toEqual([
      'Fleet/Warmpool/WakeFunction',
      'Fleet/Warmpool/Shard2/WakeFunction',
      'Fleet/Warmpool/Shard3/WakeFunction',
    ]);
    expect(f.warmpool.shards.map((s) => s.controller.node.path)).toEqual([
      'Fleet/Warmpool/Controller',
      'Fleet/Warmpool/Shard2/Controller',
      'Fleet/Warmpool/Shard3/Controller',
    ]);
  });

  it('keeps a single controller, with the ids it always had, up to targetsPerShard targets', () => {
    const f = fleet(DEFAULT_TARGETS_PER_SHARD);
    const fns = controllers(f);
    expect(fns).toHaveLength(1);
    expect(fns[0]?.id).toMatch(/^WarmpoolController[0-9A-F]{8}$/);
    expect(ofType(f, 'AWS::Events::Rule').map(([id]) => id)).toEqual([
      expect.stringMatching(/^WarmpoolSchedule[0-9A-F]{8}$/),
    ]);
    expect(f.warmpool.rule).toBe(f.warmpool.shards[0]?.rule);
  });
});
