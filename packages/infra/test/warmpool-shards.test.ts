import {
  configFromEnv,
  createHandler,
  memoryEmitter,
  memoryLogger,
  type TickDeps,
} from '@warmpool/controller';
import { FakeClock, HANDLER_ENV, type TargetConfig } from '@warmpool/core';
import { DEFAULT_TARGETS_PER_SHARD, Warmpool } from '@warmpool/infra';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { FakeDecisionStore } from '../../controller/test/fakes/decision-store-fake.js';
import { FakeMetricsSource } from '../../controller/test/fakes/metrics-source-fake.js';
import { controllerEnv } from './controller-view.js';
import { INLINE_CONTROLLER } from './stacks.js';

/** `count` functions defined elsewhere, imported by name (how a fleet of 500 is warmed from its own stack). */
function fleet(count: number, props: { targetsPerShard?: number } = {}) {
  const app = new App();
  const stack = new Stack(app, 'Fleet');
  const targets = Array.from({ length: count }, (_, i) => ({
    function: LambdaFunction.fromFunctionName(stack, `Fn${i}`, `fn-${i}`),
    qualifier: 'live',
    min: 1,
    max: 10,
  }));
  const warmpool = new Warmpool(stack, 'Warmpool', { targets, controllerCode: INLINE_CONTROLLER, ...props });
  return { app, stack, warmpool };
}

type Rule = {
  Properties: {
    ScheduleExpression: string;
    Targets: {
      Arn: unknown;
      InputTransformer?: { InputPathsMap: Record<string, string>; InputTemplate: string };
    }[];
  };
};

function rules(stack: Stack): [string, Rule][] {
  return Object.entries(Template.fromStack(stack).findResources('AWS::Events::Rule')) as [string, Rule][];
}

/**
 * The event EventBridge delivers for a rule's target: its input transformer applied to a scheduled event
 * (each `<name>` in the template replaced by the JSON of the event field its path names), or the event itself.
 */
function deliver(rule: Rule, scheduled: { id: string; time: string }): unknown {
  const [target] = rule.Properties.Targets;
  const transformer = target?.InputTransformer;
  if (!transformer) return { ...scheduled, source: 'aws.events', 'detail-type': 'Scheduled Event' };
  const fields: Record<string, string> = { '$.time': scheduled.time, '$.id': scheduled.id };
  const text = transformer.InputTemplate.replace(/<(\w+)>/g, (_, name: string) => {
    const path = transformer.InputPathsMap[name] as string;
    return JSON.stringify(fields[path]);
  });
  return JSON.parse(text);
}

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('500 targets', () => {
  it('synthesize: the config is a file in a layer, the environment keeps only three deploy-time values', () => {
    const { stack } = fleet(500);
    const env = controllerEnv(stack, (id) => `resolved-${id}`);
    // The ARNs of imported functions share three pseudo parameters; nothing else waits for deployment.
    expect(JSON.parse(env[HANDLER_ENV.configValues] as string)).toEqual(['aws', 'eu-west-1', '123456789012']);
    const config = configFromEnv(env);
    expect(config.targets).toHaveLength(500);
    expect(config.targets[499]).toMatchObject({
      id: 'fn-499:live',
      functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:fn-499',
      qualifier: 'live',
    });
    expect(new Set(config.targets.map((t) => t.id)).size).toBe(500);
  });

  it(`split into ${500 / DEFAULT_TARGETS_PER_SHARD} shards: one rule each with input { shard, shards, time, id }, reserved concurrency 10`, () => {
    const { stack, warmpool } = fleet(500);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 10,
      Timeout: 60,
    });
    const found = rules(stack);
    expect(found).toHaveLength(10);
    expect(warmpool.rules).toHaveLength(10);
    for (let shard = 0; shard < 10; shard++) {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(5 minutes)',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarmpoolController'), 'Arn'] },
            RetryPolicy: { MaximumEventAgeInSeconds: 300, MaximumRetryAttempts: 2 },
            InputTransformer: {
              InputPathsMap: { time: '$.time', id: '$.id' },
              InputTemplate: `{"shard":${shard},"shards":10,"time":<time>,"id":<id>}`,
            },
          }),
        ],
      });
    }
  });

  it('are each decided exactly once per window by the real handler over the shards, and a redelivery warms nothing', async () => {
    const { stack } = fleet(500);
    const env = { ...controllerEnv(stack, (id) => `resolved-${id}`), [HANDLER_ENV.table]: 'decisions' };
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
        return {
          target: t.id,
          qualifier: t.qualifier,
          requested: count,
          sent: count,
          succeeded: count,
          throttled: 0,
          throttleReasons: {},
          failed: 0,
          failures: {},
          distinctContainers: count,
          newContainers: 0,
          unrecognised: 0,
          stoppedEarly: null,
          holdMs: 100,
          wallMs: 100,
        };
      },
    };
    const handler = createHandler({ deps: () => deps, env, clock });
    const scheduled = { id: 'ev-1', time: new Date(T0).toISOString() };
    const events = rules(stack).map(([, rule]) => deliver(rule, scheduled));
    const context = (i: number) => ({ awsRequestId: `req-${i}`, getRemainingTimeInMillis: () => 58_000 });

    const first = await Promise.all(events.map((e, i) => handler(e as never, context(i))));
    // Every shard ran its own 50 targets, read their metrics in one call of its own, and warmed each of them.
    expect(first.map((r) => r.targets.length)).toEqual(Array(10).fill(50));
    expect(first.map((r) => r.shard?.index).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(metrics.calls.map((c) => c.targets.length)).toEqual(Array(10).fill(50));
    expect(first.flatMap((r) => r.targets.map((t) => t.status))).toEqual(Array(500).fill('warmed'));
    const ids = configFromEnv(env).targets.map((t) => t.id);
    expect([...warmed].sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const records = store.all(id);
      expect(records).toHaveLength(1);
      expect(records[0]?.windowStartMs).toBe(T0);
      expect(records[0]?.outcome?.status).toBe('warmed');
    }

    // EventBridge delivers at least once: every shard again, a minute later, decides nothing new.
    clock.advance(60_000);
    const again = await Promise.all(events.map((e, i) => handler(e as never, context(10 + i))));
    expect(again.flatMap((r) => r.targets.map((t) => t.status))).toEqual(Array(500).fill('duplicate'));
    expect(warmed).toHaveLength(500);
    for (const id of ids) expect(store.all(id)).toHaveLength(1);
  });
});

describe('targetsPerShard', () => {
  it('splits into balanced shards of at most targetsPerShard', () => {
    const { stack } = fleet(101, { targetsPerShard: 50 });
    const found = rules(stack);
    expect(found.map(([, r]) => r.Properties.Targets[0]?.InputTransformer?.InputTemplate)).toEqual([
      '{"shard":0,"shards":3,"time":<time>,"id":<id>}',
      '{"shard":1,"shards":3,"time":<time>,"id":<id>}',
      '{"shard":2,"shards":3,"time":<time>,"id":<id>}',
    ]);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 3,
    });
  });

  it('keeps one rule sending the plain scheduled event, and reserved concurrency 1, up to targetsPerShard', () => {
    const { stack } = fleet(DEFAULT_TARGETS_PER_SHARD);
    const found = rules(stack);
    expect(found).toHaveLength(1);
    expect(found[0]?.[0]).toMatch(/^WarmpoolSchedule[0-9A-F]+$/);
    expect(found[0]?.[1].Properties.Targets[0]?.InputTransformer).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 1,
    });
  });
});
