// An ES module handler.
import { withWarmup } from '@warmpool/warmup';

export const handler = withWarmup(async (_event, context) => ({
  statusCode: 200,
  body: `esm:${context.functionName}`,
}));
