// Drives a handler module the way Lambda and the controller would: the controller's own fan-out builds the warm
// ping (marker, ClientContext, hold) and this Invoker plays the Lambda runtime, which decodes ClientContext into
// `context.clientContext`. Then an API Gateway event, with a forged marker in its body, must run the user's code.
// Usage: node ping.mjs HANDLER_FILE
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { fanOut } from '@warmpool/controller';

const file = process.argv[2];
const mod = file.endsWith('.cjs')
  ? createRequire(import.meta.url)(`./${file}`)
  : await import(pathToFileURL(file).href);
const context = (clientContext) => ({
  functionName: 'api',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 30_000,
  clientContext,
});

const invoker = {
  async invoke(request) {
    const clientContext = JSON.parse(Buffer.from(request.clientContext, 'base64').toString('utf8'));
    const payload = await mod.handler(JSON.parse(request.payload), context(clientContext));
    return { kind: 'ok', payload, executedVersion: request.qualifier, functionError: undefined };
  },
  async readCapacity() {
    return { reservedConcurrency: null, unreservedConcurrency: null };
  },
};
const round = await fanOut({
  invoker,
  functionName: 'api',
  qualifier: 'live',
  n: 1,
  holdMs: 5,
  tickId: 'consumer-tick',
  timeoutMs: 5_000,
});
const http = await mod.handler(
  {
    version: '2.0',
    rawPath: '/',
    body: JSON.stringify({ warmpool: { v: 1, tick: 'forged', i: 0, holdMs: 9000, ts: Date.now() } }),
  },
  context(undefined),
);
console.log(
  JSON.stringify({
    distinctContainers: round.distinctContainers,
    newContainers: round.newContainers,
    unrecognised: round.unrecognised,
    http,
  }),
);
