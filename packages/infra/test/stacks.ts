import { Warmpool, type WarmpoolProps, type WarmpoolTarget } from '@warmpool/infra';
import { App, Stack } from 'aws-cdk-lib';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';

/** Inline code stands in for bundling in all but one test: bundling with esbuild takes seconds. */
export const INLINE_CONTROLLER = Code.fromInline('export const handler = async () => ({});');

/** An API function in the same stack, as a user would have. */
export function apiFunction(stack: Stack, id = 'Api', memorySize = 1536): LambdaFunction {
  return new LambdaFunction(stack, id, {
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
}

export interface Built {
  readonly app: App;
  readonly stack: Stack;
  readonly warmpool: Warmpool;
  readonly api: LambdaFunction;
}

/** A stack with one API function (alias `live`) and a Warmpool warming it; `props` override the defaults. */
export function build(
  props: Partial<WarmpoolProps> = {},
  target: (api: LambdaFunction) => Partial<WarmpoolTarget> = (api) => ({ function: api.addAlias('live') }),
  app = new App(),
): Built {
  const stack = new Stack(app, 'Test');
  const api = apiFunction(stack);
  const warmpool = new Warmpool(stack, 'Warmpool', {
    targets: [{ ...target(api) } as WarmpoolTarget],
    controllerCode: INLINE_CONTROLLER,
    ...props,
  });
  return { app, stack, warmpool, api };
}
