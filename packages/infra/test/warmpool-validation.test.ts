import { Warmpool } from '@warmpool/infra';
import { App, Duration, SecretValue, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { apiFunction, build, INLINE_CONTROLLER } from './stacks.js';
import { configError, fields, onlyResource } from './template-helpers.js';

describe('synth-time validation', () => {
  it('names the prop field and the rule: min above max', () => {
    const error = configError(() => build({}, (api) => ({ function: api.addAlias('live'), min: 5, max: 2 })));
    expect(fields(error)).toEqual(['targets[0].min: must be ≤ max']);
    expect(error.message).toContain('Warmpool Test/Warmpool');
    expect(error.message).toContain('targets[0].min: must be ≤ max (min 5 > max 2)');
  });

  it('refuses an unqualified function (it would warm $LATEST) unless qualifier says so', () => {
    const error = configError(() => build({}, (api) => ({ function: api })));
    expect(fields(error)).toEqual(['targets[0].qualifier: is required for an unqualified function']);
    expect(() => build({}, (api) => ({ function: api, qualifier: '$LATEST' }))).not.toThrow();
  });

  it('refuses a qualifier that contradicts the alias', () => {
    const error = configError(() =>
      build({}, (api) => ({ function: api.addAlias('live'), qualifier: 'beta' })),
    );
    expect(fields(error)).toEqual(['targets[0].qualifier: must agree with the alias']);
  });

  it('collects every problem into one error', () => {
    const error = configError(() =>
      build(
        {
          schedule: Duration.seconds(90),
          decisionTtl: Duration.hours(36),
          alarm: { threshold: 0, evaluationPeriods: 1.5 },
          sharedSecret: SecretValue.unsafePlainText('short'),
        },
        (api) => ({ function: api.addAlias('live'), holdMs: 60_000, budget: { share: 2 } }),
      ),
    );
    const found = fields(error).map((f) => f.split(':')[0]);
    expect(new Set(found)).toEqual(
      new Set([
        'schedule',
        'decisionTtl',
        'sharedSecret',
        'targets[0].holdMs',
        'targets[0].budget.share',
        'alarm.threshold',
        'alarm.evaluationPeriods',
      ]),
    );
  });

  it('needs at least one target', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const error = configError(
      () => new Warmpool(stack, 'Warmpool', { targets: [], controllerCode: INLINE_CONTROLLER }),
    );
    expect(fields(error)).toEqual(['targets: must list at least one target']);
  });

  it('refuses the same alias twice, naming the function by its construct path', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const live = apiFunction(stack).addAlias('live');
    const error = configError(
      () =>
        new Warmpool(stack, 'Warmpool', {
          targets: [{ function: live }, { function: live, max: 3 }],
          controllerCode: INLINE_CONTROLLER,
        }),
    );
    expect(fields(error)).toEqual(['targets[1]: duplicate target id']);
    expect(error.issues[0]?.target).toBe('Test/Api:live');
  });

  it('takes any number of functions defined elsewhere: 30 imported by ARN put nothing in the environment', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const targets = Array.from({ length: 30 }, (_, i) => ({
      function: LambdaFunction.fromFunctionArn(
        stack,
        `Fn${i}`,
        `arn:aws:lambda:eu-west-1:123456789012:function:fn-${i}`,
      ),
      qualifier: 'live',
    }));
    new Warmpool(stack, 'Warmpool', { targets, controllerCode: INLINE_CONTROLLER });
    const fn = onlyResource(stack, 'AWS::Lambda::Function', 'WarmpoolController');
    const env = fn.props.Environment as { Variables: Record<string, unknown> };
    expect(Object.keys(env.Variables).sort()).toEqual([
      'NODE_OPTIONS',
      'WARMPOOL_CONFIG_FILE',
      'WARMPOOL_TABLE',
    ]);
  });

  it("refuses a shard of more functions of this app than their names fit its controller's 4 KB environment", () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    // Each function defined in this app leaves its name (up to 64 bytes) to deployment: about 55 fit one
    // controller, more than the default 50 targets per shard.
    const targets = Array.from({ length: 60 }, (_, i) => ({
      function: apiFunction(stack, `Api${i}`).addAlias('live'),
    }));
    const error = configError(
      () =>
        new Warmpool(stack, 'Warmpool', { targets, targetsPerShard: 60, controllerCode: INLINE_CONTROLLER }),
    );
    expect(fields(error)).toEqual([
      "targets: deploy-time values must fit the controller's environment (3800 bytes)",
    ]);
    expect(error.message).toContain('targets 0 to 59: 60 values take up to');
    // With the default 50 per shard, the same 60 functions split over two controllers of 30 each.
    const split = new Stack(app, 'Split');
    const same = Array.from({ length: 60 }, (_, i) => ({
      function: apiFunction(split, `Api${i}`).addAlias('live'),
    }));
    const warmpool = new Warmpool(split, 'Warmpool', { targets: same, controllerCode: INLINE_CONTROLLER });
    expect(warmpool.shards).toHaveLength(2);
  });

  it.each([0, 2.5, -1, 201, Number.NaN])('refuses targetsPerShard %s, naming the field and the rule', (n) => {
    const error = configError(() => build({ targetsPerShard: n }));
    expect(fields(error)).toEqual(['targetsPerShard: must be an integer from 1 to 200']);
  });
});
