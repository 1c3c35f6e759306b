import { readFileSync } from 'node:fs';
import { configFromEnv } from '@warmpool/controller';
import { HANDLER_ENV } from '@warmpool/core';
import { Warmpool } from '@warmpool/infra';
import { App, Duration, SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { controllerEnv as deployedEnv } from './controller-view.js';
import { apiFunction, build, INLINE_CONTROLLER } from './stacks.js';
import { onlyResource, resolveJoin } from './template-helpers.js';

const API_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:api';

/** The controller's environment as Lambda would see it, with the API function's name and ARN filled in. */
function controllerEnv(stack: Stack): Record<string, string> {
  return deployedEnv(stack, (id, attribute) =>
    id.startsWith('Api') ? (attribute === 'Ref' ? 'api' : API_ARN) : `resolved-${id}`,
  );
}

describe('the decisions table', () => {
  it('is created on demand with pk/sk strings, TTL on expiresAt and point-in-time recovery', () => {
    const { stack } = build();
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it('is not created when an existing table is given, and the controller uses that one', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const table = TableV2.fromTableName(stack, 'Existing', 'my-decisions');
    new Warmpool(stack, 'Warmpool', {
      targets: [{ function: apiFunction(stack).addAlias('live') }],
      table,
      controllerCode: INLINE_CONTROLLER,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    expect(controllerEnv(stack)[HANDLER_ENV.table]).toBe('my-decisions');
  });
});

describe('the controller function', () => {
  it('runs on Node 24, arm64, with reserved concurrency 1 and a 60 s timeout, no async retries', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      ReservedConcurrentExecutions: 1,
      Timeout: 60,
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarmpoolControllerRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
    template.hasResourceProperties('AWS::Lambda::LayerVersion', { CompatibleArchitectures: ['arm64'] });
  });

  it('runs on x86_64 when controllerArchitecture says so, its config layer too', () => {
    const { stack } = build({ controllerArchitecture: Architecture.X86_64 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['x86_64'],
      ReservedConcurrentExecutions: 1,
    });
    template.hasResourceProperties('AWS::Lambda::LayerVersion', { CompatibleArchitectures: ['x86_64'] });
  });

  it('gets a config the controller accepts: the alias split into function name and qualifier, memory from the function', () => {
    const { stack } = build({ decisionTtl: Duration.days(30) }, (api) => ({
      function: api.addAlias('live'),
      max: 40,
    }));
    const env = controllerEnv(stack);
    const config = configFromEnv(env);
    expect(config.targets).toHaveLength(1);
    expect(config.targets[0]).toMatchObject({
      id: 'api:live',
      // A function of this app is named by its Ref (the name), which takes less of the environment than its ARN.
      functionName: 'api',
      qualifier: 'live',
      max: 40,
      memoryMb: 1536,
      architecture: 'arm64',
      decisionTtlDays: 30,
    });
    expect(config.tickIntervalSeconds).toBe(300);
    expect(env[HANDLER_ENV.table]).toMatch(/^resolved-WarmpoolDecisions/);
  });

  it('passes a Secrets Manager shared secret as a dynamic reference, never as plain text in the template', () => {
    const { stack } = build({ sharedSecret: SecretValue.secretsManager('warmpool/ping-key') });
    const raw = JSON.stringify(onlyResource(stack, 'AWS::Lambda::Function', 'WarmpoolController').props);
    expect(raw).toContain('{{resolve:secretsmanager:warmpool/ping-key:SecretString:::}}');
  });

  it('keeps the shared secret out of the config file, even as plain text: the controller gets it from its environment', () => {
    const secret = 'plain-text-secret-of-test';
    const { stack } = build({ sharedSecret: SecretValue.unsafePlainText(secret) });
    const env = controllerEnv(stack);
    expect(readFileSync(env[HANDLER_ENV.configFile] as string, 'utf8')).not.toContain(secret);
    expect(configFromEnv(env).sharedSecret).toBe(secret);
  });
});

describe('the controller logs', () => {
  it('go to its own log group, kept a month unless told otherwise', () => {
    const byDefault = build();
    const fn = onlyResource(byDefault.stack, 'AWS::Lambda::Function', 'WarmpoolController');
    const logs = onlyResource(byDefault.stack, 'AWS::Logs::LogGroup', 'WarmpoolControllerLogs');
    expect(fn.props.LoggingConfig).toEqual({ LogGroup: { Ref: logs.id } });
    expect(logs.props.RetentionInDays).toBe(30);
    const week = build({ logRetention: RetentionDays.ONE_WEEK });
    Template.fromStack(week.stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });
});

describe('the schedule', () => {
  it('runs every 5 minutes by default, dropping deliveries older than one period', () => {
    const { stack } = build();
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [
        Match.objectLike({ RetryPolicy: { MaximumEventAgeInSeconds: 300, MaximumRetryAttempts: 2 } }),
      ],
    });
  });

  it('takes any whole number of minutes, and tells the controller the same interval', () => {
    const { stack } = build({ schedule: Duration.minutes(1) });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
    });
    expect(configFromEnv(controllerEnv(stack)).tickIntervalSeconds).toBe(60);
  });
});

describe('the alarm and the dashboard', () => {
  it('alarm on the controller Errors metric by default: 2 periods of ≥ 1 failed tick', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^WarmpoolController') } }],
      Period: 300,
      Statistic: 'Sum',
      Threshold: 1,
      EvaluationPeriods: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  it('takes alarm options, or none at all', () => {
    const tuned = build({ alarm: { threshold: 3, evaluationPeriods: 4 } });
    Template.fromStack(tuned.stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 3,
      EvaluationPeriods: 4,
    });
    const none = build({ alarm: false });
    Template.fromStack(none.stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(none.warmpool.alarm).toBeUndefined();
  });

  it('dashboard plots forecast, actual concurrency of the alias (raw and pings masked), decided and reached per target', () => {
    const { stack } = build({ dashboard: true });
    const body = resolveJoin(
      onlyResource(stack, 'AWS::CloudWatch::Dashboard', 'WarmpoolDashboard').props.DashboardBody,
      (id) => (id.startsWith('Api') ? 'api' : id),
    );
    const widgets = (
      JSON.parse(body) as { widgets: { properties: { title: string; metrics: unknown[][] } }[] }
    ).widgets;
    const target = widgets.find((w) => w.properties.title === 'Test/Api:live');
    const series = target?.properties.metrics.map((m) => m.slice(0, -1).join(' '));
    expect(series).toEqual([
      'Warmpool Forecast Target api:live',
      'AWS/Lambda ConcurrentExecutions FunctionName api Resource api:live',
      'Warmpool ObservedRealPeak Target api:live',
      'Warmpool Decided Target api:live',
      'Warmpool Reached Target api:live',
      'Warmpool Throttled Target api:live',
    ]);
  });
});
