import { configFromEnv } from '@warmpool/controller';
import { HANDLER_ENV, type WarmpoolConfig } from '@warmpool/core';
import { Warmpool, type WarmpoolProps, type WarmpoolTarget } from '@warmpool/infra';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  Architecture,
  Code,
  type IFunction,
  Function as LambdaFunction,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { controllerEnv, PSEUDO } from './controller-view.js';
import { apiFunction, build, INLINE_CONTROLLER } from './stacks.js';
import { configError, fields, onlyResource, resolveJoin } from './template-helpers.js';

const ORDERS_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:orders';
const LOGS_SOURCE_ARN = 'arn:aws:logs:eu-west-1:123456789012:log-group:*';
const MANAGED_LOG_GROUP_FLAG = '@aws-cdk/aws-lambda:useCdkManagedLogGroup';

type Resource = { Properties: Record<string, unknown>; DependsOn?: string[] };

/** What CloudFormation would resolve: the API function's name, its log group's, anything else by its id. */
const lookup = (id: string, attribute: string) => {
  if (id.startsWith('ApiLogs')) return 'api-logs';
  if (id.startsWith('Api'))
    return attribute === 'Ref' ? 'api' : 'arn:aws:lambda:eu-west-1:123456789012:function:api';
  return PSEUDO[id] ?? `resolved-${id}`;
};
const text = (value: unknown) => resolveJoin(value, lookup);

function warmpool(stack: Stack, targets: WarmpoolTarget[], props: Partial<WarmpoolProps> = {}): Warmpool {
  return new Warmpool(stack, 'Warmpool', { targets, controllerCode: INLINE_CONTROLLER, ...props });
}

/** A function of this app that logs to a log group of its own (`logGroup`), as the app's stacks declare it. */
function loggedApi(stack: Stack): { api: LambdaFunction; logs: LogGroup } {
  const logs = new LogGroup(stack, 'ApiLogs');
  const api = new LambdaFunction(stack, 'Api', {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    logGroup: logs,
  });
  return { api, logs };
}

function imported(stack: Stack, id: string, arn = ORDERS_ARN): IFunction {
  return LambdaFunction.fromFunctionArn(stack, id, arn);
}

function filters(stack: Stack): [string, Resource][] {
  return Object.entries(Template.fromStack(stack).findResources('AWS::Logs::SubscriptionFilter')) as [
    string,
    Resource,
  ][];
}

function logsPermissions(stack: Stack): [string, Resource][] {
  return (
    Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Permission')) as [string, Resource][]
  ).filter(([, p]) => p.Properties.Principal === 'logs.amazonaws.com');
}

/** Every Lambda function the construct made for a purpose: `WarmpoolController…`, `WarmpoolShard2WakeFunction…`. */
function functions(stack: Stack, kind: 'Controller' | 'WakeFunction'): [string, Resource][] {
  const own = new RegExp(`^Warmpool(Shard\\d+)?${kind}[0-9A-F]{8}$`);
  return (
    Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as [string, Resource][]
  ).filter(([id]) => own.test(id));
}

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown };

/** The statements of a role's inline policy, found by the role's logical id prefix. */
function roleStatements(stack: Stack, rolePrefix: string): Statement[] {
  const policies = Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Policy')).filter(
    ([id]) => id.startsWith(rolePrefix),
  );
  expect(policies).toHaveLength(1);
  const [, policy] = policies[0] as [string, { Properties: { PolicyDocument: { Statement: Statement[] } } }];
  return policy.Properties.PolicyDocument.Statement;
}

const actions = (statements: Statement[]) =>
  statements.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));

function config(stack: Stack, prefix = 'Warmpool'): WarmpoolConfig {
  return configFromEnv(controllerEnv(stack, lookup, prefix)) as WarmpoolConfig;
}

describe('wakeOnColdStarts (on by default)', () => {
  it('subscribes each distinct log group once, with the cold-start pattern, delivering to the wake function behind one permission', () => {
    const stack = new Stack(new App(), 'Test');
    const { api, logs } = loggedApi(stack);
    const orders = imported(stack, 'Orders');
    warmpool(stack, [
      { function: api.addAlias('live') },
      { function: api.addAlias('beta') },
      { function: orders, qualifier: 'prod' },
      { function: imported(stack, 'OrdersAgain'), qualifier: 'canary' },
    ]);
    const wake = onlyResource(stack, 'AWS::Lambda::Function', 'WarmpoolWakeFunction');
    const logsId = (stack.resolve(logs.logGroupName) as { Ref: string }).Ref;

    // Two log groups (the API's own, and orders' default), however many aliases write to each.
    const found = filters(stack);
    expect(found).toHaveLength(2);
    expect(found.map(([, f]) => f.Properties.LogGroupName)).toEqual([{ Ref: logsId }, '/aws/lambda/orders']);
    const [[permissionId, permission]] = logsPermissions(stack) as [[string, Resource]];
    for (const [, filter] of found) {
      expect(filter.Properties).toMatchObject({
        DestinationArn: { 'Fn::GetAtt': [wake.id, 'Arn'] },
        FilterPattern: '{ $.UserColdStart = 1 }',
        FilterName: expect.stringMatching(/^warmpool-wake-TestWarmpoolWake[0-9A-F]+$/),
      });
      // CloudFormation creates the permission first: PutSubscriptionFilter test-invokes the destination.
      expect(filter.DependsOn).toContain(permissionId);
    }
    expect(new Set(found.map(([, f]) => f.Properties.FilterName)).size).toBe(2);

    // One permission for every log group of the account and region, not one per filter.
    expect(permission.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [wake.id, 'Arn'] },
      Principal: 'logs.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
    expect(text(permission.Properties.SourceArn)).toBe(LOGS_SOURCE_ARN);

    // The controller matches each delivery's log group against the target's.
    const targets = config(stack).targets;
    expect(targets.map((t) => [t.id, t.logGroupName, t.wakeAfterColdStarts])).toEqual([
      ['api:live', 'api-logs', 2],
      ['api:beta', 'api-logs', 2],
      ['orders:prod', '/aws/lambda/orders', 2],
      ['orders:canary', '/aws/lambda/orders', 2],
    ]);
  });

  it("subscribes the log group the CDK manages for a function of this app (feature flag), leaving the config at core's default", () => {
    const app = new App({ context: { [MANAGED_LOG_GROUP_FLAG]: true } });
    const stack = new Stack(app, 'Test');
    const api = apiFunction(stack);
    warmpool(stack, [{ function: api.addAlias('live') }, { function: api.addAlias('beta') }]);
    const managed = onlyResource(stack, 'AWS::Logs::LogGroup', 'ApiLogGroup');
    const [[, filter]] = filters(stack) as [[string, Resource]];
    expect(filter.Properties.LogGroupName).toEqual({ Ref: managed.id });
    const targets = config(stack).targets;
    expect(targets.map((t) => t.logGroupName)).toEqual(['/aws/lambda/api', '/aws/lambda/api']);
  });

  it('leaves out, with a synth warning, a function of this app whose log group Lambda creates only at its first invocation', () => {
    const { stack, warmpool: w } = build();
    expect(filters(stack)).toEqual([]);
    expect(logsPermissions(stack)).toEqual([]);
    // Nothing to deliver, so no wake function either.
    expect(functions(stack, 'WakeFunction')).toEqual([]);
    expect(w.shards[0]?.wakeFunction).toBeUndefined();
    Annotations.fromStack(stack).hasWarning(
      '/Test/Warmpool',
      Match.stringLikeRegexp('targets\\[0\\] \\(Test/Api\\) gets no cold-start subscription.*logGroup'),
    );
    // Nothing will be delivered for it: the controller need not look for its wake marks.
    expect(config(stack).targets[0]?.wakeAfterColdStarts).toBe(0);
  });

  it('leaves out, with a synth warning, a function of another region', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
    const far = imported(stack, 'Far', 'arn:aws:lambda:us-east-1:123456789012:function:far');
    warmpool(stack, [
      { function: far, qualifier: 'live' },
      { function: imported(stack, 'Orders'), qualifier: 'live' },
    ]);
    expect(filters(stack).map(([, f]) => f.Properties.LogGroupName)).toEqual(['/aws/lambda/orders']);
    Annotations.fromStack(stack).hasWarning(
      '/Test/Warmpool',
      Match.stringLikeRegexp('targets\\[0\\].*another account or region'),
    );
  });

  it('subscribes each log group to the wake function of the shard holding its target', () => {
    const stack = new Stack(new App(), 'Fleet');
    const targets = Array.from({ length: 3 }, (_, i) => ({
      function: LambdaFunction.fromFunctionName(stack, `Fn${i}`, `fn-${i}`),
      qualifier: 'live',
    }));
    const w = warmpool(stack, targets, { targetsPerShard: 1 });
    expect(w.shards).toHaveLength(3);
    const permissions = logsPermissions(stack);
    expect(permissions).toHaveLength(3);
    // One wake function per shard, each beside its own controller.
    expect(functions(stack, 'WakeFunction').map(([id]) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual([
      'WarmpoolWakeFunction',
      'WarmpoolShard2WakeFunction',
      'WarmpoolShard3WakeFunction',
    ]);
    w.shards.forEach((shard, i) => {
      expect(shard.wakeFunction).toBeDefined();
      const arn = stack.resolve(shard.wakeFunction?.functionArn);
      expect(arn).not.toEqual(stack.resolve(shard.controller.functionArn));
      expect(shard.wakeFilters).toHaveLength(1);
      const filter = stack.resolve((shard.wakeFilters[0] as { logicalId: string }).logicalId) as string;
      const [, resource] = filters(stack).find(([id]) => id === filter) as [string, Resource];
      expect(text(resource.Properties.LogGroupName)).toBe(`/aws/lambda/fn-${i}`);
      expect(resource.Properties.DestinationArn).toEqual(arn);
      // Each filter waits for its own wake function's permission.
      const [permissionId] = permissions.find(
        ([, p]) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify(arn),
      ) as [string, Resource];
      expect(resource.DependsOn).toEqual([permissionId]);
      // Lambda's default log group is core's default too: the environment carries nothing more for it.
      const env = controllerEnv(stack, lookup, i === 0 ? 'Warmpool' : `WarmpoolShard${i + 1}`);
      expect(JSON.parse(env[HANDLER_ENV.configValues] as string)).toEqual([
        'aws',
        'eu-west-1',
        '123456789012',
      ]);
      expect(configFromEnv(env).targets[0]).toMatchObject({
        id: `fn-${i}:live`,
        logGroupName: `/aws/lambda/fn-${i}`,
      });
    });
  });

  it('gives a shard a filter of its own on a log group shared with another shard', () => {
    const stack = new Stack(new App(), 'Test');
    const orders = imported(stack, 'Orders');
    const w = warmpool(
      stack,
      [
        { function: orders, qualifier: 'live' },
        { function: orders, qualifier: 'beta' },
      ],
      { targetsPerShard: 1 },
    );
    const found = filters(stack);
    expect(found.map(([, f]) => f.Properties.LogGroupName)).toEqual([
      '/aws/lambda/orders',
      '/aws/lambda/orders',
    ]);
    expect(found.map(([, f]) => f.Properties.DestinationArn)).toEqual(
      w.shards.map((s) => stack.resolve(s.wakeFunction?.functionArn)),
    );
    expect(new Set(found.map(([, f]) => f.Properties.FilterName)).size).toBe(2);
  });
});

describe('the wake function', () => {
  /**
   * A stack whose one target is subscribed: a function of this app with a log group of its own, so the config
   * names it by deploy-time values (WARMPOOL_CONFIG_VALUES).
   */
  function subscribed(props: Partial<WarmpoolProps> = {}): { stack: Stack; w: Warmpool } {
    const stack = new Stack(new App(), 'Test');
    const { api } = loggedApi(stack);
    const w = warmpool(stack, [{ function: api.addAlias('live') }], props);
    return { stack, w };
  }

  it("is small and of its own: 128 MB, 10 s, reserved concurrency 2, the controller's code (wakeHandler), runtime, architecture, config and log group", () => {
    const { stack, w } = subscribed();
    const [[controllerId, controller]] = functions(stack, 'Controller') as [[string, Resource]];
    const [[wakeId, wake]] = functions(stack, 'WakeFunction') as [[string, Resource]];
    expect(stack.resolve(w.shards[0]?.wakeFunction?.functionArn)).toEqual({ 'Fn::GetAtt': [wakeId, 'Arn'] });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 128,
      Timeout: 10,
      ReservedConcurrentExecutions: 2,
      Handler: Match.stringLikeRegexp('\\.wakeHandler$'),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WarmpoolWakeRole'), 'Arn'] },
    });
    expect(wake.Properties.Handler).toBe('index.wakeHandler');
    expect(controller.Properties.Handler).toBe('index.handler');
    // The same file, layer, environment (config file, its deploy-time values, table) and log group.
    for (const key of ['Code', 'Runtime', 'Architectures', 'Layers', 'Environment', 'LoggingConfig']) {
      expect(wake.Properties[key], key).toEqual(controller.Properties[key]);
    }
    const vars = (wake.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(vars).sort()).toEqual(
      [HANDLER_ENV.configFile, HANDLER_ENV.configValues, HANDLER_ENV.table, 'NODE_OPTIONS'].sort(),
    );
    // Distinct from the controller, which keeps its single slot for the ticks.
    expect(wakeId).not.toBe(controllerId);
    expect(controller.Properties.ReservedConcurrentExecutions).toBe(1);
  });

  it('has an alarm on its errors with the alarm options, and none with alarm: false', () => {
    const { stack, w } = subscribed({ alarm: { threshold: 2, evaluationPeriods: 3 } });
    const [[wakeId]] = functions(stack, 'WakeFunction') as [[string, Resource]];
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('^Warmpool wake function.* is failing'),
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: wakeId } }],
      Threshold: 2,
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(w.shards[0]?.wakeAlarm).toBeDefined();
    const off = subscribed({ alarm: false });
    expect(off.w.shards[0]?.wakeAlarm).toBeUndefined();
    Template.fromStack(off.stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  it('follows controllerArchitecture', () => {
    const { stack } = subscribed({ controllerArchitecture: Architecture.X86_64 });
    const [[, wake]] = functions(stack, 'WakeFunction') as [[string, Resource]];
    expect(wake.Properties.Architectures).toEqual(['x86_64']);
  });

  it('has a role of its own that may only update items of the decision table and write its own logs', () => {
    const { stack } = subscribed();
    const table = onlyResource(stack, 'AWS::DynamoDB::GlobalTable', 'WarmpoolDecisions');
    const logs = onlyResource(stack, 'AWS::Logs::LogGroup', 'WarmpoolControllerLogs');
    expect(roleStatements(stack, 'WarmpoolWakeRole')).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:UpdateItem', Resource: { 'Fn::GetAtt': [table.id, 'Arn'] } },
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logs.id, 'Arn'] },
      },
    ]);
    const role = onlyResource(stack, 'AWS::IAM::Role', 'WarmpoolWakeRole');
    expect(role.props.ManagedPolicyArns).toBeUndefined();
    const granted = actions(roleStatements(stack, 'WarmpoolWakeRole'));
    expect(granted.filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:UpdateItem']);
    expect(granted.filter((a) => a.startsWith('lambda:') || a.startsWith('cloudwatch:'))).toEqual([]);
  });

  it("may use the table's KMS key, as the controller may", () => {
    const stack = new Stack(new App(), 'Test');
    const key = new Key(stack, 'Key');
    const table = new Table(stack, 'Decisions', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
    });
    warmpool(stack, [{ function: imported(stack, 'Orders'), qualifier: 'prod' }], { table });
    const keyId = (stack.resolve(key.keyArn) as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = roleStatements(stack, 'WarmpoolWakeRole');
    const kms = statements.filter((st) => actions([st]).some((a) => a.startsWith('kms:')));
    expect(kms).toHaveLength(1);
    expect(kms[0]?.Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(actions(kms)).toEqual(expect.arrayContaining(['kms:Encrypt', 'kms:Decrypt']));
    expect(actions(statements).filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:UpdateItem']);
  });

  it('alone may be invoked by CloudWatch Logs: the controller gets no logs.amazonaws.com permission', () => {
    const { stack } = subscribed();
    const [[controllerId]] = functions(stack, 'Controller') as [[string, Resource]];
    const [[wakeId]] = functions(stack, 'WakeFunction') as [[string, Resource]];
    const permissions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Permission')).map(
      (p) => p.Properties as { Principal: string; FunctionName: unknown },
    );
    const onController = permissions.filter(
      (p) => JSON.stringify(p.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [controllerId, 'Arn'] }),
    );
    expect(onController.map((p) => p.Principal)).toEqual(['events.amazonaws.com']);
    expect(logsPermissions(stack).map(([, p]) => p.Properties.FunctionName)).toEqual([
      { 'Fn::GetAtt': [wakeId, 'Arn'] },
    ]);
  });

  it('is made only for a shard with a subscription', () => {
    const stack = new Stack(new App(), 'Fleet');
    const fn = (i: number) => LambdaFunction.fromFunctionName(stack, `Fn${i}`, `fn-${i}`);
    const w = warmpool(
      stack,
      [
        { function: fn(0), qualifier: 'live' },
        { function: fn(1), qualifier: 'live', wakeAfterColdStarts: 0 },
        { function: fn(2), qualifier: 'live' },
      ],
      { targetsPerShard: 1 },
    );
    expect(w.shards.map((s) => s.wakeFunction !== undefined)).toEqual([true, false, true]);
    expect(w.shards.map((s) => s.wakeFilters.length)).toEqual([1, 0, 1]);
    expect(functions(stack, 'WakeFunction').map(([id]) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual([
      'WarmpoolWakeFunction',
      'WarmpoolShard3WakeFunction',
    ]);
    expect(logsPermissions(stack)).toHaveLength(2);
  });
});

describe('wakeOnColdStarts: false', () => {
  it('creates no filter and no permission, and sets wakeAfterColdStarts 0 for every target', () => {
    const stack = new Stack(new App(), 'Test');
    const { api } = loggedApi(stack);
    const w = warmpool(
      stack,
      [
        { function: api.addAlias('live'), wakeAfterColdStarts: 3 },
        { function: imported(stack, 'Orders'), qualifier: 'prod' },
      ],
      { wakeOnColdStarts: false },
    );
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
    expect(logsPermissions(stack)).toEqual([]);
    // The API and the controller: no wake function, no role for one.
    template.resourceCountIs('AWS::Lambda::Function', 2);
    expect(functions(stack, 'WakeFunction')).toEqual([]);
    expect(w.shards[0]?.wakeFunction).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.includes('Wake'))).toEqual(
      [],
    );
    expect(config(stack).targets.map((t) => t.wakeAfterColdStarts)).toEqual([0, 0]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('accepts a cold-start metric name no filter pattern could name', () => {
    const stack = new Stack(new App(), 'Test');
    const orders = imported(stack, 'Orders');
    expect(() =>
      warmpool(
        stack,
        [{ function: orders, qualifier: 'prod', coldStartMetric: { name: 'User-Cold.Start' } }],
        {
          wakeOnColdStarts: false,
        },
      ),
    ).not.toThrow();
  });
});

describe('the filter pattern', () => {
  it("names the target's cold-start metric, and every name of the targets sharing a log group", () => {
    const stack = new Stack(new App(), 'Test');
    const { api } = loggedApi(stack);
    warmpool(stack, [
      { function: api.addAlias('live'), coldStartMetric: { name: 'FeltColdStart' } },
      { function: api.addAlias('beta'), coldStartMetric: { name: 'BetaColdStart' } },
      { function: api.addAlias('canary'), coldStartMetric: { name: 'FeltColdStart' } },
      { function: imported(stack, 'Orders'), qualifier: 'prod', coldStartMetric: { name: 'OrdersCold_1' } },
    ]);
    expect(filters(stack).map(([, f]) => f.Properties.FilterPattern)).toEqual([
      '{ ($.FeltColdStart = 1) || ($.BetaColdStart = 1) }',
      '{ $.OrdersCold_1 = 1 }',
    ]);
  });

  it.each(['User-ColdStart', '1ColdStart', 'Cold Start', 'a.b'])(
    'refuses the metric name %j at synth, naming the field and the rule',
    (name) => {
      const error = configError(() =>
        build({}, (api) => ({ function: api.addAlias('live'), coldStartMetric: { name } })),
      );
      expect(fields(error)).toEqual([
        "targets[0].coldStartMetric.name: must be a plain identifier (letters, digits, _) while wakeOnColdStarts is on: the log subscription's JSON filter pattern names it",
      ]);
    },
  );
});

describe('wakeOnColdStarts validation', () => {
  it('refuses a value that is not a boolean, naming the prop and the rule', () => {
    const error = configError(() => build({ wakeOnColdStarts: 'yes' as unknown as boolean }));
    expect(fields(error)).toEqual(['wakeOnColdStarts: must be a boolean']);
  });

  it('does not hold a target that is never woken (wakeAfterColdStarts 0) to the filter pattern rule', () => {
    const stack = new Stack(new App(), 'Test');
    warmpool(stack, [
      {
        function: imported(stack, 'Orders'),
        qualifier: 'prod',
        wakeAfterColdStarts: 0,
        coldStartMetric: { name: 'User-Cold.Start' },
      },
    ]);
    expect(filters(stack)).toEqual([]);
    expect(logsPermissions(stack)).toEqual([]);
    expect(functions(stack, 'WakeFunction')).toEqual([]);
  });
});

describe('wakeAfterColdStarts', () => {
  it('reaches the config per target; 0 subscribes nothing for that target', () => {
    const stack = new Stack(new App(), 'Test');
    warmpool(stack, [
      { function: imported(stack, 'Orders'), qualifier: 'prod', wakeAfterColdStarts: 5 },
      {
        function: imported(stack, 'Quiet', 'arn:aws:lambda:eu-west-1:123456789012:function:quiet'),
        qualifier: 'prod',
        wakeAfterColdStarts: 0,
      },
    ]);
    expect(config(stack).targets.map((t) => [t.id, t.wakeAfterColdStarts])).toEqual([
      ['orders:prod', 5],
      ['quiet:prod', 0],
    ]);
    expect(filters(stack).map(([, f]) => f.Properties.LogGroupName)).toEqual(['/aws/lambda/orders']);
  });

  it.each([
    [-1, 'must be ≥ 0'],
    [1.5, 'must be an integer number of cold starts ≥ 0'],
  ])('refuses %s at synth, naming the field and the rule', (n, rule) => {
    const error = configError(() =>
      build({}, (api) => ({ function: api.addAlias('live'), wakeAfterColdStarts: n })),
    );
    expect(fields(error)).toEqual([`targets[0].wakeAfterColdStarts: ${rule}`]);
    // Validated even with wake off, where the config gets 0 anyway.
    const off = configError(() =>
      build({ wakeOnColdStarts: false }, (api) => ({
        function: api.addAlias('live'),
        wakeAfterColdStarts: n,
      })),
    );
    expect(fields(off)).toEqual([`targets[0].wakeAfterColdStarts: ${rule}`]);
  });
});
