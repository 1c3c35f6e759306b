// Measures what the real controller spends per target per tick, against the loopback stand-ins (Lambda,
// CloudWatch) and DynamoDB Local: DynamoDB read and write units as DynamoDB reports them (every store request
// is sent with ReturnConsumedCapacity: 'TOTAL'), the metrics it requests, and the tick's real time.
// Usage: node scripts/measure/controller-units.mjs --dynamodb http://127.0.0.1:PORT [--targets 8] [--hours 12]
//        [--cold-containers N]  a new controller container (an empty cache) every N ticks; default never
//        [--no-cache]           no container cache: every tick reads the whole lookback (as before the cache)
//        [--cold-every K]       read a busy target's cold-start count at most every K ticks (default: core's)
//        [--hold auto|MS]       the targets' holdMs (default 60, as the demo; auto as deployed)
//        [--warmup-hours H]     leave the first H hours out of the figures (the lookback filling up); default 0
//        [--latency-ms D,C,L]   answers of DynamoDB, CloudWatch and Lambda held back D, C, L ms each on loopback
//                               proxies, for a tick's real time with AWS-like latencies (default 0,0,0)
// Build first (`pnpm build`). Prints one JSON line. Figures for docs, never asserted in tests.
import net from 'node:net';
import { fileURLToPath } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.AWS_REGION ??= 'us-east-1';

const dist = (pkg) => new URL(`../../packages/${pkg}/dist/index.js`, import.meta.url).href;
const cli = await import(dist('cli'));
const controller = await import(dist('controller'));
const lab = await import(dist('lab'));
const core = await import(dist('core'));

const args = process.argv.slice(2);
const flag = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const endpoint = flag('--dynamodb', process.env.WARMPOOL_DYNAMODB_ENDPOINT);
if (!endpoint) throw new Error('--dynamodb: the endpoint of a running DynamoDB Local is required');
const nTargets = Number(flag('--targets', '8'));
const hours = Number(flag('--hours', '12'));
const coldEvery = Number(flag('--cold-containers', '0'));
const noCache = args.includes('--no-cache');
const warmupTicks = (Number(flag('--warmup-hours', '0')) * 3_600_000) / 300_000;
const coldStartEveryTicks = args.includes('--cold-every') ? Number(flag('--cold-every')) : undefined;
const hold = flag('--hold', '60');
const [ddbLag, cwLag, lambdaLag] = flag('--latency-ms', '0,0,0').split(',').map(Number);
const TICK_MS = 300_000;
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - hours * 3_600_000;

const trace = await lab.readTrace(
  fileURLToPath(new URL('../../packages/cli/data/traces/azure2019-dev', import.meta.url)),
);
const picked = lab.selectFunctions(trace, { top: nTargets }, 0);
const table = `measure-${Date.now().toString(36)}`;
await controller.createDecisionTable(controller.createDynamoDbClient({ endpoint }), table);
const names = picked.map((_, i) => `fn${i}`);
const stack = await cli.LocalStack.start({
  startMs: T0,
  functions: names.map((name) => ({
    name,
    qualifiers: ['live'],
    handler: async () => ({ statusCode: 200 }),
    realInitDelay: false,
    sim: { initMs: 400, metricLagMs: 60_000, seed: 7 },
  })),
  dynamodbEndpoint: endpoint,
  table,
});
// Loopback proxies that hold each answer back, as a network hop to AWS would.
const lagged = async (target, ms) => {
  if (!ms) return { endpoint: target, close: async () => {} };
  const url = new URL(target);
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(url.port), url.hostname);
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => setTimeout(() => client.writable && client.write(d), ms));
    const end = () =>
      setTimeout(() => {
        client.destroy();
        upstream.destroy();
      }, ms);
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  };
};
const proxies = {
  dynamodb: await lagged(endpoint, ddbLag),
  cloudwatch: await lagged(stack.endpoints.cloudwatch, cwLag),
  lambda: await lagged(stack.endpoints.lambda, lambdaLag),
};
stack.endpoints = {
  dynamodb: proxies.dynamodb.endpoint,
  cloudwatch: proxies.cloudwatch.endpoint,
  lambda: proxies.lambda.endpoint,
};
const traffic = new cli.TrafficReplay(
  stack.world,
  stack.clock,
  T0,
  picked.map((s, i) => {
    const w = lab.buildWorkload(trace, s.fn, { seed: 11, mode: 'invocations' });
    return { functionName: names[i], qualifier: 'live', arrivals: w.arrivals, durations: w.durations };
  }),
);

// Every store request asks DynamoDB for its consumed capacity, tallied by operation.
const units = { read: 0, write: 0, byOp: {} };
const doc = controller.createDynamoDbDocumentClient({ endpoint: proxies.dynamodb.endpoint });
doc.middlewareStack.add(
  (next, context) => async (a) => {
    a.input.ReturnConsumedCapacity = 'TOTAL';
    const out = await next(a);
    const cu = out.output?.ConsumedCapacity?.CapacityUnits ?? 0;
    const op = context.commandName ?? 'unknown';
    const kind = /Put|Update|Delete/.test(op) ? 'write' : 'read';
    units[kind] += cu;
    units.byOp[op] = units.byOp[op] ?? { calls: 0, units: 0 };
    units.byOp[op].calls++;
    units.byOp[op].units += cu;
    return out;
  },
  { step: 'initialize', name: 'measureConsumedCapacity' },
);
const config = JSON.stringify({
  tickIntervalSeconds: 300,
  defaults: { holdMs: hold === 'auto' ? 'auto' : Number(hold) },
  targets: names.map((n) => ({ functionName: n, qualifier: 'live', min: 0, max: 40 })),
});
const newHandler = () => {
  const deps = {
    ...stack.deps(() => {}),
    store: new controller.DynamoDbDecisionStore(doc, table),
    // The wake marks are read every tick (one BatchGetItem): counted too. No delivery is made here.
    wakes: new controller.DynamoDbWakeStore(doc, table),
    cache: noCache ? undefined : { cache: new controller.ContainerCache(), scope: table },
  };
  const handle = controller.createHandler({
    deps: () => deps,
    env: { WARMPOOL_CONFIG: config, WARMPOOL_TABLE: table },
  });
  if (coldStartEveryTicks === undefined) return handle;
  // K is a tick option the handler leaves at its default: run the tick as the handler does, with K.
  return (event, context) =>
    controller.runTick(deps, parsed, Date.parse(event.time), {
      timeBudgetMs: context.getRemainingTimeInMillis() - 2_000,
      tickId: context.awsRequestId,
      coldStartEveryTicks,
    });
};
const parsed = core.parseConfig(JSON.parse(config));
let handler = newHandler();
const ticks = (hours * 3_600_000) / TICK_MS;
let queries = 0;
let realMs = 0;
let cpuMs = 0;
let statuses = {};
for (let k = 1; k <= ticks; k++) {
  const tickMs = T0 + k * TICK_MS;
  if (coldEvery > 0 && k % coldEvery === 0) handler = newHandler();
  if (k === warmupTicks + 1) {
    // the figures start here: what the warm-up spent is left out
    units.read = 0;
    units.write = 0;
    units.byOp = {};
    queries = 0;
    realMs = 0;
    cpuMs = 0;
    statuses = {};
  }
  traffic.feed(tickMs);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await handler(
    { id: `event-${tickMs}`, time: new Date(tickMs).toISOString() },
    { awsRequestId: `request-${k}`, getRemainingTimeInMillis: () => 60_000 },
  );
  const c = process.cpuUsage(c0);
  realMs += performance.now() - t0;
  cpuMs += (c.user + c.system) / 1000;
  queries += r.metrics.queries;
  for (const t of r.targets) statuses[t.status] = (statuses[t.status] ?? 0) + 1;
}
await stack.stop();
await Promise.all(Object.values(proxies).map((p) => p.close()));
const counted = ticks - warmupTicks;
const per = (x) => Number((x / counted / nTargets).toFixed(4));
console.log(
  JSON.stringify({
    targets: nTargets,
    ticks: counted,
    warmupTicks,
    readUnitsPerTargetTick: per(units.read),
    writeUnitsPerTargetTick: per(units.write),
    metricsPerTargetTick: per(queries),
    options: {
      noCache,
      coldStartEveryTicks: coldStartEveryTicks ?? 'default',
      hold,
      latencyMs: [ddbLag, cwLag, lambdaLag],
    },
    realMsPerTargetTick: per(realMs),
    cpuMsPerTargetTick: per(cpuMs),
    byOp: Object.fromEntries(
      Object.entries(units.byOp).map(([op, v]) => [
        op,
        { callsPerTargetTick: per(v.calls), unitsPerTargetTick: per(v.units) },
      ]),
    ),
    statuses,
  }),
);
