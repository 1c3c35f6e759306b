import { Warmpool } from '@warmpool/infra';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { PSEUDO } from './controller-view.js';
import { apiFunction, build, INLINE_CONTROLLER } from './stacks.js';
import { onlyResource, resolveJoin } from './template-helpers.js';

const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** The controller role's statements, and the logical ids they refer to. */
function controllerPolicy(stack: Stack) {
  const template = Template.fromStack(stack);
  const ids = (type: string, prefix: string) =>
    Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
    id.startsWith('WarmpoolControllerRole'),
  );
  expect(policies).toHaveLength(1);
  const [, policy] = policies[0] as [string, { Properties: { PolicyDocument: { Statement: unknown[] } } }];
  const statements = policy.Properties.PolicyDocument.Statement;
  return { statements, ids };
}

describe('the controller role', () => {
  it('grants exactly: invoke the alias, read its concurrency, read metrics and account limits, 5 item actions on its table (wake marks batch-read), its own logs', () => {
    const { stack } = build();
    const { statements, ids } = controllerPolicy(stack);
    const [api] = ids('AWS::Lambda::Function', 'Api');
    const [table] = ids('AWS::DynamoDB::GlobalTable', 'WarmpoolDecisions');
    const [logs] = ids('AWS::Logs::LogGroup', 'WarmpoolControllerLogs');
    expect(statements).toEqual([
      {
        Sid: 'InvokeWarmTargets',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::Join': ['', [arnOf(api as string), ':live']] },
      },
      {
        Sid: 'ReadTargetConcurrency',
        Effect: 'Allow',
        Action: 'lambda:GetFunctionConcurrency',
        Resource: arnOf(api as string),
      },
      {
        Sid: 'ReadMetricsAndAccountLimits',
        Effect: 'Allow',
        Action: ['cloudwatch:GetMetricData', 'lambda:GetAccountSettings'],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:Query',
        ],
        Resource: arnOf(table as string),
      },
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: arnOf(logs as string),
      },
    ]);
  });

  it('uses no managed policy (no AWSLambdaBasicExecutionRole)', () => {
    const { stack } = build();
    const role = onlyResource(stack, 'AWS::IAM::Role', 'WarmpoolControllerRole');
    expect(role.props.ManagedPolicyArns).toBeUndefined();
  });

  it.each([
    ['reserved (the default)', { source: 'reserved', share: 0.2 }],
    ['unreserved', { source: 'unreserved', share: 0.1 }],
  ] as const)(
    'reads the account settings for the shared budget, whatever the target budgets against: %s',
    (_name, budget) => {
      const { stack } = build({}, (api) => ({ function: api.addAlias('live'), budget }));
      const { statements } = controllerPolicy(stack);
      expect(statements).toContainEqual({
        Sid: 'ReadMetricsAndAccountLimits',
        Effect: 'Allow',
        Action: ['cloudwatch:GetMetricData', 'lambda:GetAccountSettings'],
        Resource: '*',
      });
    },
  );

  it('invokes a version or an explicit qualifier by its qualified ARN, and $LATEST only when asked', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const imported = LambdaFunction.fromFunctionArn(
      stack,
      'Imported',
      'arn:aws:lambda:eu-west-1:123456789012:function:orders',
    );
    const latest = LambdaFunction.fromFunctionArn(
      stack,
      'Latest',
      'arn:aws:lambda:eu-west-1:123456789012:function:legacy',
    );
    const api = apiFunction(stack);
    new Warmpool(stack, 'Warmpool', {
      targets: [
        { function: imported, qualifier: 'prod' },
        { function: api.currentVersion },
        { function: latest, qualifier: '$LATEST' },
      ],
      controllerCode: INLINE_CONTROLLER,
    });
    const { statements, ids } = controllerPolicy(stack);
    const [version] = ids('AWS::Lambda::Version', 'ApiCurrentVersion');
    const [apiId] = ids('AWS::Lambda::Function', 'Api');
    expect(statements[0]).toEqual({
      Sid: 'InvokeWarmTargets',
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: [
        'arn:aws:lambda:eu-west-1:123456789012:function:orders:prod',
        {
          'Fn::Join': ['', [arnOf(apiId as string), ':', { 'Fn::GetAtt': [version, 'Version'] }]],
        },
        'arn:aws:lambda:eu-west-1:123456789012:function:legacy',
        'arn:aws:lambda:eu-west-1:123456789012:function:legacy:$LATEST',
      ],
    });
    expect(statements[1]).toEqual({
      Sid: 'ReadTargetConcurrency',
      Effect: 'Allow',
      Action: 'lambda:GetFunctionConcurrency',
      Resource: [
        'arn:aws:lambda:eu-west-1:123456789012:function:orders',
        arnOf(apiId as string),
        'arn:aws:lambda:eu-west-1:123456789012:function:legacy',
      ],
    });
  });
});

describe('the controller roles of a sharded deployment', () => {
  it('each invoke and read exactly their own shard of targets, 40 ARNs a statement, each rule may invoke only its own controller and CloudWatch Logs only its wake function', () => {
    const app = new App();
    const stack = new Stack(app, 'Fleet');
    const targets = Array.from({ length: 100 }, (_, i) => ({
      function: LambdaFunction.fromFunctionName(stack, `Fn${i}`, `fn-${i}`),
      qualifier: 'live',
    }));
    const warmpool = new Warmpool(stack, 'Warmpool', { targets, controllerCode: INLINE_CONTROLLER });
    expect(warmpool.shards).toHaveLength(2);
    const template = Template.fromStack(stack);
    const arn = (v: unknown) => resolveJoin(v, (id) => PSEUDO[id] ?? id);
    const fn = (i: number) => `arn:aws:lambda:eu-west-1:123456789012:function:fn-${i}`;
    // A role's statements, wherever the CDK put them: its inline policy, or managed policies it overflowed into.
    const documents = [
      ...Object.values(template.findResources('AWS::IAM::Policy')),
      ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')),
    ].map((p) => ({
      role: (p.Properties.Roles as { Ref: string }[])[0]?.Ref,
      statements: (
        p.Properties.PolicyDocument as { Statement: { Sid?: string; Action: unknown; Resource: unknown }[] }
      ).Statement,
    }));
    const allRoles = [...new Set(documents.map((d) => d.role))];
    // A controller role and a wake function role per shard (wakeOnColdStarts: fn-N's default log groups).
    expect(allRoles).toHaveLength(4);
    const roles = allRoles.filter((r) => r?.includes('ControllerRole'));
    expect(roles).toHaveLength(2);
    for (const wakeRole of allRoles.filter((r) => r?.includes('WakeRole'))) {
      const statements = documents.filter((d) => d.role === wakeRole).flatMap((d) => d.statements);
      expect(statements.map((st) => [st.Sid ?? '(table)', st.Action])).toEqual([
        ['(table)', 'dynamodb:UpdateItem'],
        ['WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents']],
      ]);
    }
    const list = (r: unknown) => (Array.isArray(r) ? r : [r]).map(arn);
    const byRole = roles.map((role) => {
      const statements = documents.filter((d) => d.role === role).flatMap((d) => d.statements);
      const sorted = (xs: string[][]) => xs.sort((a, b) => b.length - a.length);
      return {
        role,
        sids: statements.map((st) => st.Sid ?? '(table)').sort(),
        invoke: sorted(
          statements.filter((st) => st.Action === 'lambda:InvokeFunction').map((st) => list(st.Resource)),
        ),
        read: sorted(
          statements
            .filter((st) => st.Action === 'lambda:GetFunctionConcurrency')
            .map((st) => list(st.Resource)),
        ),
      };
    });
    // The first shard's role keeps its id; the second lives under Shard2.
    const shardOf = (role: string | undefined) => (role?.startsWith('WarmpoolShard2ControllerRole') ? 1 : 0);
    expect(byRole.map((r) => shardOf(r.role)).sort()).toEqual([0, 1]);
    for (const r of byRole) {
      const mine = Array.from({ length: 50 }, (_, i) => fn(shardOf(r.role) * 50 + i));
      expect(r.invoke.map((s) => s.length)).toEqual([40, 10]);
      expect(r.invoke.flat()).toEqual(mine.map((a) => `${a}:live`));
      expect(r.read.map((s) => s.length)).toEqual([40, 10]);
      expect(r.read.flat()).toEqual(mine);
      expect(r.sids).toEqual([
        '(table)',
        'InvokeWarmTargets',
        'InvokeWarmTargets2',
        'ReadMetricsAndAccountLimits',
        'ReadTargetConcurrency',
        'ReadTargetConcurrency2',
        'WriteOwnLogs',
      ]);
    }

    // EventBridge may invoke each controller only from that shard's own rule.
    const all = Object.values(template.findResources('AWS::Lambda::Permission')).map(
      (p) => p.Properties as { Action: string; Principal: string; FunctionName: unknown; SourceArn: unknown },
    );
    const permissions = all.filter((p) => p.Principal !== 'logs.amazonaws.com');
    expect(permissions).toHaveLength(2);
    // CloudWatch Logs may invoke each shard's wake function once (wakeOnColdStarts), from any log group of the
    // account, and never a controller.
    const logs = all.filter((p) => p.Principal === 'logs.amazonaws.com');
    expect(logs.map((p) => p.FunctionName)).toEqual(
      expect.arrayContaining(warmpool.shards.map((s) => stack.resolve(s.wakeFunction?.functionArn))),
    );
    expect(logs).toHaveLength(2);
    const pairs = warmpool.shards.map((s) => [
      stack.resolve(s.controller.functionArn),
      stack.resolve(s.rule.ruleArn),
    ]);
    expect(permissions.map((p) => [p.FunctionName, p.SourceArn])).toEqual(expect.arrayContaining(pairs));
    for (const p of permissions) {
      expect(p).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' });
    }
  });
});
