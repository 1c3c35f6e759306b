/**
 * Example app: an API function wrapped with `withWarmup`, served through a function URL on its `live` alias,
 * and a Warmpool construct keeping that alias warm. `pnpm --filter @warmpool/infra synth:example` synthesizes it
 * offline; `npx cdk deploy` from this folder deploys it (see docs/deploy.md). cdk-nag's AwsSolutions checks run
 * on every synth.
 */
import { fileURLToPath } from 'node:url';
import { Warmpool } from '@warmpool/infra';
import { App, CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Architecture, FunctionUrlAuthType, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';

class WarmApiStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const api = new NodejsFunction(this, 'Api', {
      entry: fileURLToPath(new URL('./api/handler.ts', import.meta.url)),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 1024,
      timeout: Duration.seconds(15),
      bundling: { format: OutputFormat.ESM, target: 'node24', minify: true },
      // A log group the stack creates, so it exists before Warmpool's cold-start subscription filter on it.
      logGroup: new LogGroup(this, 'ApiLogs', { retention: RetentionDays.ONE_MONTH }),
    });
    // The API's role is the stock one CDK gives a function; the example keeps it to stay short.
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "the example API's own role (logs only), not part of Warmpool; a real app would scope it",
    });

    // Traffic goes to the alias, so the alias is what Warmpool warms (an unqualified name would warm $LATEST).
    const live = api.addAlias('live');
    // A public URL for the demo; ClientContext cannot be set through it, so warm pings cannot be forged here.
    const url = live.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });

    const warmpool = new Warmpool(this, 'Warmpool', {
      targets: [{ function: live, min: 1, max: 20 }],
      dashboard: true,
    });

    new CfnOutput(this, 'ApiUrl', { value: url.url });
    new CfnOutput(this, 'DecisionsTable', { value: warmpool.table.tableName });
    new CfnOutput(this, 'Controller', { value: warmpool.controller.functionName });
  }
}

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new WarmApiStack(app, 'WarmpoolExample', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
