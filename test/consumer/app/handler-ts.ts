// A handler typed the way most Lambda code is (the example), checked with `tsc --strict`.
import middy from '@middy/core';
import { warmupMiddleware, withWarmup } from '@warmpool/warmup';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyHandlerV2,
  APIGatewayProxyResultV2,
  Context,
  Handler,
} from 'aws-lambda';

export const handler: Handler<APIGatewayProxyEventV2, APIGatewayProxyResultV2> = withWarmup(
  async (_event: APIGatewayProxyEventV2, context: Context) => ({
    statusCode: 200,
    body: context.functionName,
  }),
);

export const aliased: APIGatewayProxyHandlerV2 = withWarmup(async (event, context) => ({
  statusCode: 200,
  body: `${event.rawPath} ${context.awsRequestId}`,
}));

export const withMiddy = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context>()
  .use(warmupMiddleware())
  .handler(async (event) => ({ statusCode: 200, body: event.rawPath }));
