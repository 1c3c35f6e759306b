// Probe benchmark (issue 4): one warm round at N = 100 and N = 1,000 against the loopback Lambda stand-in
// running in its own process. Each round runs in a fresh controller process (so its peak RSS is the round's
// own) that forks a fresh stand-in (so every ping finds a cold pool). Reports distinct containers over N, wall
// time beyond the hold, the measured dispatch spread, and the controller process's peak memory.
// Imports built code (pnpm bench runs tsc -b first).
import { execFile } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The controller side of one round, run in a child process; prints one JSON line. */
const ROUND = `
const [controllerUrl, localUrl, nText, holdText, rateText] = process.argv.slice(1);
const { createLambdaClient, fanOut, LambdaInvoker, pickHold } = await import(controllerUrl);
const { forkLambdaStandIn } = await import(localUrl);
const n = Number(nText);
const standIn = await forkLambdaStandIn({ functions: [{ name: 'sample', qualifiers: ['live'], initMs: 0 }] });
try {
  const choice = holdText === 'auto' ? pickHold(n, rateText === 'none' ? null : Number(rateText)) : null;
  const holdMs = choice ? choice.holdMs : Number(holdText);
  const client = createLambdaClient({ endpoint: standIn.endpoint, maxSockets: Math.max(50, n), credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  const invoker = new LambdaInvoker(client);
  // As the controller does: read the capacity (GetFunctionConcurrency, GetAccountSettings) before warming.
  const capacity = await invoker.readCapacity('sample');
  const cpu0 = process.cpuUsage();
  const r = await fanOut({ invoker, functionName: 'sample', qualifier: 'live', n, holdMs, tickId: 'bench', timeoutMs: holdMs + 30000 });
  client.destroy();
  console.log(JSON.stringify({ ...r, why: choice?.why ?? 'fixed', capacity, maxRssKb: process.resourceUsage().maxRSS, cpuMs: Math.round((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1000) }));
} finally {
  await standIn.stop();
}`;

async function round(root, n, hold, rate = 'none') {
  const controller = pathToFileURL(join(root, 'packages/controller/dist/index.js')).href;
  const local = pathToFileURL(join(root, 'packages/local/dist/index.js')).href;
  const { stdout } = await exec(
    process.execPath,
    ['--input-type=module', '-e', ROUND, controller, local, String(n), String(hold), String(rate)],
    { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').pop());
}

const rate = (r) =>
  r.succeeded > 1 && r.dispatchSpreadMs ? ((r.succeeded - 1) / Math.max(1, r.dispatchSpreadMs)) * 1000 : null;

export async function run({ log, root }) {
  const rows = [];
  const loadBefore = os.loadavg()[0];
  for (const n of [100, 1_000]) {
    // First round: the hold the controller would pick with no measurement yet (assumed dispatch rate).
    const first = await round(root, n, 'auto');
    log(
      `N=${n} assumed-rate round: ${first.distinctContainers}/${n}, wall ${first.wallMs} ms, hold ${first.holdMs} ms`,
    );
    rows.push({ n, label: 'hold from assumed rate', r: first });
    // Second round: the hold picked from the rate the first round measured (what the controller does next tick).
    const measured = rate(first);
    const second = await round(root, n, 'auto', measured === null ? 'none' : measured.toFixed(1));
    log(
      `N=${n} measured-rate round: ${second.distinctContainers}/${n}, wall ${second.wallMs} ms, hold ${second.holdMs} ms`,
    );
    rows.push({ n, label: 'hold from measured rate', r: second });
  }
  const head =
    '| N | hold picked | hold ms | distinct / N | new | throttled | failed | wall ms | wall − hold ms | dispatch spread ms | controller CPU ms | controller peak RSS |';
  const sep = '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const body = rows.map(
    ({ n, label, r }) =>
      `| ${n} | ${label} | ${r.holdMs} | ${r.distinctContainers} / ${n} (${((100 * r.distinctContainers) / n).toFixed(1)}%) | ${r.newContainers} | ${r.throttled} | ${r.failed} | ${r.wallMs} | ${r.wallMs - r.holdMs} | ${r.dispatchSpreadMs ?? '–'} | ${r.cpuMs} | ${(r.maxRssKb / 1024).toFixed(0)} MiB |`,
  );
  const notes = [
    '',
    'One warm round (`fanOut` with the real `@aws-sdk/client-lambda`, `maxAttempts: 1`, one keep-alive socket per ping) against the',
    'loopback Lambda stand-in (`forkLambdaStandIn`: `LocalWorld` + `LambdaStandIn` in a separate process, INIT set to 0 ms so the wall',
    'time is the round\'s own). Each row is a fresh controller process and a fresh stand-in (a cold pool). "wall − hold" is the time',
    'the round takes beyond the hold itself: dispatch, routing and answers (the aim at N = 1,000 is under 1 s on 2 cores). The dispatch',
    "spread is the span between the first and last answer's estimated arrival (answer time minus hold); the measured-rate row feeds",
    'it back into `pickHold`, as the controller does from one tick to the next. Peak RSS is `process.resourceUsage().maxRSS` of the',
    "controller process (the stand-in's memory is not included); controller CPU is the user + system time of the round itself, after",
    "the capacity read that precedes every round (which also loads the SDK's lazily imported modules). The machine is shared: the",
    `1-minute load average was ${loadBefore.toFixed(1)} when the table started and ${os.loadavg()[0].toFixed(1)} at its end (${os.cpus().length} cores).`,
  ];
  return {
    title: 'Probe: one warm round against the Lambda stand-in',
    markdown: [head, sep, ...body, ...notes].join('\n'),
  };
}
