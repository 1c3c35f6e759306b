import { NAG_ACKNOWLEDGEMENTS, Warmpool } from '@warmpool/infra';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { build, INLINE_CONTROLLER } from './stacks.js';

describe('cdk-nag AwsSolutions', () => {
  it('passes on a stack with the construct (alarm and dashboard on), with only its documented acknowledgements', () => {
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Nag');
    // A nag-clean target of the user's own (newest runtime): any finding left comes from the construct.
    // With a log group of its own, so that wakeOnColdStarts subscribes it: the filter, the wake function, its role
    // and its permission are checked too, and pass with no acknowledgement of their own.
    const api = new LambdaFunction(stack, 'Api', {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
      logGroup: new LogGroup(stack, 'ApiLogs', { retention: RetentionDays.ONE_MONTH }),
    });
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'the test fixture target, not part of the construct under test',
    });
    const warmpool = new Warmpool(stack, 'Warmpool', {
      targets: [{ function: api.addAlias('live'), budget: { source: 'unreserved', share: 0.1 } }],
      dashboard: true,
      controllerCode: INLINE_CONTROLLER,
    });
    Template.fromStack(stack).resourceCountIs('AWS::Logs::SubscriptionFilter', 1);
    const wakeRole = warmpool.shards[0]?.wakeFunction?.role;
    expect(wakeRole).toBeDefined();
    expect(
      wakeRole?.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY),
    ).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  it('passes on a deployment split into shards: every controller, role, layer, rule and wake function of each shard', () => {
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Nag');
    const targets = Array.from({ length: 3 }, (_, i) => ({
      function: LambdaFunction.fromFunctionName(stack, `Fn${i}`, `fn-${i}`),
      qualifier: 'live',
    }));
    const warmpool = new Warmpool(stack, 'Warmpool', {
      targets,
      targetsPerShard: 1,
      dashboard: true,
      controllerCode: INLINE_CONTROLLER,
    });
    expect(warmpool.shards).toHaveLength(3);
    expect(warmpool.shards.map((s) => s.wakeFilters.length)).toEqual([1, 1, 1]);
    expect(warmpool.shards.every((s) => s.wakeFunction !== undefined)).toBe(true);
    expect(() => app.synth()).not.toThrow();
  });

  it('acknowledges only on the controller role, each with a reason', () => {
    const { stack, warmpool } = build();
    const acknowledged = (node: { node: { metadata: { type: string; data: unknown }[] } }) =>
      node.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(acknowledged(stack)).toEqual([]);
    expect(acknowledged(warmpool)).toEqual([]);
    const onRole = acknowledged(warmpool.role).map((m) => JSON.stringify(m.data));
    expect(onRole.join()).toContain('AwsSolutions-IAM5[Resource::*]');
    for (const ack of NAG_ACKNOWLEDGEMENTS) expect(ack.reason.length).toBeGreaterThan(40);
    // The acknowledged wildcard is only the account-level reads (metrics, and the account's unreserved
    // concurrency for the shared budget): no other statement names '*'.
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0] as {
      Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } };
    };
    const wildcards = policy.Properties.PolicyDocument.Statement.filter((s) => s.Resource === '*');
    expect(wildcards.map((s) => s.Action)).toEqual([
      ['cloudwatch:GetMetricData', 'lambda:GetAccountSettings'],
    ]);
  });

  it('keeps its acknowledgement to itself: the same wildcard elsewhere in the stack is still a finding', () => {
    const { stack } = build();
    const other = new Role(stack, 'Other', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    other.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }),
    );
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`),
    );
    expect(findings).toContain('AwsSolutions-IAM5[Resource::*] Test/Other/DefaultPolicy/Resource');
    expect(findings.filter((f) => f.includes('Test/Warmpool/'))).toEqual([]);
  });
});
