// A CommonJS handler, as many Lambda functions still are.
const { withWarmup } = require('@warmpool/warmup');

exports.handler = withWarmup(async (_event, context) => ({
  statusCode: 200,
  body: `cjs:${context.functionName}`,
}));
