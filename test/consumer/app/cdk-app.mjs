// A user's CDK app: a function, its `live` alias, and Warmpool warming the alias, with cdk-nag's AwsSolutions
// checks. Synthesizes offline (no account, no Docker, no esbuild).

import { Warmpool } from '@warmpool/infra';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';

// The CDK CLI passes its output folder in CDK_OUTDIR; run with plain node, the app writes to cdk.out.
const app = new App({ outdir: process.env.CDK_OUTDIR ?? 'cdk.out' });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const stack = new Stack(app, 'ConsumerStack');
const api = new LambdaFunction(stack, 'Api', {
  runtime: Runtime.NODEJS_24_X,
  architecture: Architecture.ARM_64,
  handler: 'index.handler',
  code: Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
});
Validations.of(api).acknowledge({
  id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  reason: "the consumer test's own API function, not part of Warmpool",
});
new Warmpool(stack, 'Warmpool', { targets: [{ function: api.addAlias('live'), min: 1, max: 20 }] });
app.synth();
console.log('synth: ok');
