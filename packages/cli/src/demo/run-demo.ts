import { gzipSync } from 'node:zlib';
import type { DecisionRecord, TickResult } from '@warmpool/controller';
import {
  createDynamoDbDocumentClient,
  createHandler,
  createWakeHandler,
  DynamoDbDecisionStore,
} from '@warmpool/controller';
import {
  BACKTEST_DEFAULTS,
  type BacktestResult,
  buildWorkload,
  deriveSeed,
  type FunctionSelection,
  type FunctionWorkload,
  type PolicyResult,
  policyCost,
  RUNS_ON,
  type RunsOn,
  runBacktest,
  runningCost,
  SIM_DEFAULTS,
  type SimStats,
  type Trace,
} from '@warmpool/lab';
import type { LocalFunctionSpec } from '@warmpool/local';
import { readDecisions } from '../cli/commands/decisions.js';
import { DEMO_DIR, openDemoStore, useLocalCredentials } from './demo-store.js';
import { LocalStack } from './local-stack.js';
import { pickDemoFunctions } from './pick-functions.js';
import { ProgressBar, type ProgressSink } from './progress.js';
import { TrafficReplay } from './traffic-replay.js';

/** The controller's schedule in the demo (EventBridge's default rate). */
export const DEMO_TICK_MS = 300_000;
/** How long each ping holds its container, in real ms: short, so a simulated day fits in about a minute. */
export const DEMO_HOLD_MS = 60;
/** The alias every demo function is invoked and warmed through. */
export const DEMO_QUALIFIER = 'live';
/** The suffix of each function's unwarmed twin: same traffic and pool seed, never warmed. */
export const UNWARMED_SUFFIX = '-unwarmed';

export interface DemoOptions {
  readonly trace: Trace;
  readonly functions: FunctionSelection | 'auto';
  /** Simulated hours to replay, from the start of the trace. */
  readonly hours: number;
  readonly seed: number;
  /** Cap on simulated time per real time (e.g. 1440 = a day in a minute); null runs as fast as it can. */
  readonly speed: number | null;
  /** Folder of the embedded store (`<dir>/db`). Default `.warmpool/demo`. */
  readonly dir?: string;
  /** End of the replayed span in simulated epoch ms (default: now), so recent decisions read as recent. */
  readonly endMs?: number;
  readonly progress?: ProgressSink;
}

/** What the real controller did to one trace function, measured in the LocalWorld. */
export interface DemoFunctionResult {
  readonly id: string;
  /** The demo's Lambda function name for it (trace ids are 64 hex chars). */
  readonly name: string;
  /** The controller target (`name:live`). */
  readonly target: string;
  readonly estimatedPeak: number;
  readonly requests: number;
  /** User-felt cold starts and other counts on the warmed function and on its unwarmed twin. */
  readonly warmed: SimStats;
  readonly unwarmed: SimStats;
  /** Every decision the controller recorded for the target, oldest first. */
  readonly records: readonly DecisionRecord[];
}

export interface DemoResult {
  readonly trace: string;
  readonly seed: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly ticks: number;
  readonly wallMs: number;
  readonly functions: readonly DemoFunctionResult[];
  /** Tick health: writes lost, ticks whose metrics read failed, ticks that ran out of time. */
  readonly health: { readonly lostWrites: number; readonly metricsFailed: number; readonly timedOut: number };
  /**
   * The cold-start subscription, emulated: each tick, the user-felt cold starts since the last one are delivered
   * to the real wake handler as their log lines (one delivery per function per tick; on AWS, one per new
   * container's log stream, as the bill counts them), and the ticks read the marks.
   */
  readonly wake: {
    readonly coldStartsDelivered: number;
    readonly deliveries: number;
    readonly readsWoken: number;
  };
  /** The simulator's backtest on the same functions, span and seed (none, fixed, oracle, warmpool, …). */
  readonly backtest: BacktestResult;
  /** The two measured rows, shaped like the backtest's: the real controller and the unwarmed twins. */
  readonly measured: { readonly controller: PolicyResult; readonly unwarmed: PolicyResult };
  readonly store: { readonly path: string; readonly table: string };
}

/** The trace cut to its first `hours` (the demo and its backtest replay exactly the same span). */
export function truncateTrace(trace: Trace, hours: number): Trace {
  const spanMs = Math.min(trace.durationMs, hours * 3_600_000);
  const bins = Math.ceil(spanMs / (trace.binSeconds * 1000));
  return {
    ...trace,
    durationMs: spanMs,
    functions: trace.functions.map((f) => {
      if (f.counts) return { ...f, counts: f.counts.slice(0, bins) };
      if (!f.invocations) return f;
      const starts = f.invocations.startMs;
      let n = 0;
      while (n < starts.length && (starts[n] as number) < spanMs) n++;
      return {
        ...f,
        invocations: { startMs: starts.subarray(0, n), durationMs: f.invocations.durationMs.subarray(0, n) },
      };
    }),
  };
}

/** A short, valid Lambda function name for a trace function. */
export function demoFunctionName(id: string): string {
  return `fn-${id.replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'x'}`;
}

/**
 * A CloudWatch Logs subscription delivery of `functionName`'s cold-start lines (what the helper writes, one per
 * user-felt cold start), gzipped JSON in base64 as Lambda receives it.
 */
function coldStartDelivery(functionName: string, times: readonly number[]) {
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: '000000000000',
    logGroup: `/aws/lambda/${functionName}`,
    logStream: `demo/[${DEMO_QUALIFIER}]`,
    subscriptionFilters: ['warmpool-wake'],
    logEvents: times.map((t, i) => ({
      id: String(i),
      timestamp: t,
      message: JSON.stringify({
        _aws: {
          Timestamp: t,
          CloudWatchMetrics: [
            {
              Namespace: 'Warmpool',
              Dimensions: [['service', 'function_name']],
              Metrics: [{ Name: 'UserColdStart', Unit: 'Count' }],
            },
          ],
        },
        service: functionName,
        function_name: functionName,
        UserColdStart: 1,
      }),
    })),
  };
  return { awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') } };
}

function measuredRow(
  name: string,
  stats: readonly SimStats[],
  memory: readonly number[],
  spanMs: number,
  oracle: number | null,
  none: number | null,
  running: {
    runsOn: RunsOn;
    metricsPerTargetTick: number;
    tickIntervalSeconds: number;
    wakeDeliveriesPerTick?: number;
  },
): PolicyResult {
  let invocations = 0;
  let coldStarts = 0;
  let interference = 0;
  let pings = 0;
  let prewarms = 0;
  let usd = 0;
  stats.forEach((s, i) => {
    invocations += s.realInvocations;
    coldStarts += s.coldStarts;
    interference += s.interference;
    pings += s.pings;
    prewarms += s.prewarms;
    usd += policyCost(s, memory[i] as number, spanMs).warmingUsdMonth;
  });
  const avoidable = none !== null && oracle !== null ? none - oracle : 0;
  const runningUsd =
    stats.length *
    runningCost(
      running.runsOn,
      running.metricsPerTargetTick,
      running.tickIntervalSeconds,
      undefined, // prices: the defaults
      undefined, // warming ticks: every one, the most it can cost
      undefined, // kept decisions: none, the most it can cost
      running.wakeDeliveriesPerTick ?? 0,
      running.wakeDeliveriesPerTick !== undefined,
    );
  const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    name,
    invocations,
    cold_starts: coldStarts,
    cold_start_rate: invocations ? coldStarts / invocations : 0,
    interference_cold_starts: interference,
    pings,
    warming_usd_month: Math.round(usd * 1e4) / 1e4,
    provisioned_usd_month: 0,
    prewarms,
    cold_starts_vs_oracle: oracle ? Math.round((coldStarts / oracle) * 1e4) / 1e4 : null,
    avoided_share_of_oracle:
      avoidable > 0 && none !== null ? Math.round(((none - coldStarts) / avoidable) * 1e4) / 1e4 : null,
    runs_on: running.runsOn,
    metrics_per_target_tick: round4(running.metricsPerTargetTick),
    running_usd_month: round4(runningUsd),
    total_usd_month: round4(usd + runningUsd),
  };
}

/**
 * The demo: replays the trace's first `hours` through the REAL controller (the Lambda handler, runTick, the
 * real SDK clients) against the loopback stand-ins and the embedded decision store, a tick every simulated
 * 5 minutes with the trace's requests injected between ticks; and backtests the same span in the simulator.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  useLocalCredentials();
  // Picked on the whole trace (its daily pattern), so a shorter --hours replays the same functions.
  const picked = pickDemoFunctions(options.trace, options.functions);
  const trace = truncateTrace(options.trace, options.hours);
  const spanMs = trace.durationMs;
  const ticks = Math.ceil(spanMs / DEMO_TICK_MS);
  const endMs = Math.floor((options.endMs ?? Date.now()) / DEMO_TICK_MS) * DEMO_TICK_MS;
  const startMs = endMs - ticks * DEMO_TICK_MS;
  const seed = options.seed;
  const idleMs = BACKTEST_DEFAULTS.idleS * 1000;

  const backtest = runBacktest({
    trace,
    functions: picked.map((p) => p.fn.id),
    seed,
    mode: 'invocations',
    keepSeries: true,
  });

  const fns = picked.map((p) => {
    const fn = trace.functions.find((x) => x.id === p.fn.id) ?? p.fn;
    const workload: FunctionWorkload = buildWorkload(trace, fn, { seed, mode: 'invocations' });
    return { ...p, name: demoFunctionName(p.fn.id), workload };
  });
  const names = new Set(fns.map((f) => f.name));
  if (names.size !== fns.length) throw new Error('two trace functions share a demo name; pick them by id');

  // Each function twice, with the simulator's parameters and pool seed (as the backtest uses): warmed by the
  // controller, and an unwarmed twin that gets the same requests, for a like-for-like "none" measured here.
  const spec = (name: string, f: (typeof fns)[number]): LocalFunctionSpec => ({
    name,
    qualifiers: [DEMO_QUALIFIER],
    handler: async () => ({ statusCode: 200 }),
    realInitDelay: false,
    sim: {
      memoryMb: f.workload.memoryMb,
      initMs: SIM_DEFAULTS.initMs,
      idleReapMs: idleMs,
      maxLifetimeMs: SIM_DEFAULTS.maxLifetimeMs,
      metricLagMs: SIM_DEFAULTS.metricLagMs,
      seed: deriveSeed(seed, `pool:${f.fn.id}`),
    },
  });
  const store = await openDemoStore({ dir: options.dir ?? DEMO_DIR, fresh: true });
  let stack: LocalStack | undefined;
  try {
    stack = await LocalStack.start({
      startMs,
      functions: fns.flatMap((f) => [spec(f.name, f), spec(f.name + UNWARMED_SUFFIX, f)]),
      dynamodbEndpoint: store.endpoint,
      table: store.table,
    });
    // User-felt cold starts of the warmed functions, as their log lines, until the next tick delivers them.
    const pendingColdStarts = new Map<string, number[]>();
    const traffic = new TrafficReplay(
      stack.world,
      stack.clock,
      startMs,
      fns.flatMap((f) =>
        [f.name, f.name + UNWARMED_SUFFIX].map((functionName) => ({
          functionName,
          qualifier: DEMO_QUALIFIER,
          arrivals: f.workload.arrivals as Float64Array,
          durations: f.workload.durations as Float64Array,
        })),
      ),
      (functionName, _qualifier, atMs) => {
        if (!names.has(functionName)) return; // the unwarmed twins are not targets
        const list = pendingColdStarts.get(functionName) ?? [];
        list.push(atMs);
        pendingColdStarts.set(functionName, list);
      },
    );
    const config = {
      tickIntervalSeconds: DEMO_TICK_MS / 1000,
      defaults: { holdMs: DEMO_HOLD_MS },
      targets: fns.map((f) => ({
        functionName: f.name,
        qualifier: DEMO_QUALIFIER,
        memoryMb: f.workload.memoryMb,
      })),
    };
    const deps = stack.deps(() => {});
    const env = { WARMPOOL_CONFIG: JSON.stringify(config), WARMPOOL_TABLE: store.table };
    const handler = createHandler({ deps: () => deps, env });
    const wakes = deps.wakes;
    const wakeHandler = wakes ? createWakeHandler({ wakes: () => wakes, env, sink: () => {} }) : null;
    const wake = { coldStartsDelivered: 0, deliveries: 0, readsWoken: 0 };
    /** What the log subscription would have delivered since the last tick, through the real wake handler. */
    const deliverColdStarts = async () => {
      for (const [functionName, times] of pendingColdStarts) {
        if (!wakeHandler || times.length === 0) continue;
        await wakeHandler(coldStartDelivery(functionName, times));
        wake.coldStartsDelivered += times.length;
        wake.deliveries++;
      }
      pendingColdStarts.clear();
    };
    const bar = new ProgressBar(ticks, 'warmpool demo', options.progress);
    const health = { lostWrites: 0, metricsFailed: 0, timedOut: 0 };
    // Metrics the real controller requested, for its share of the bill.
    let metricsQueried = 0;
    const started = performance.now();
    for (let k = 0; k < ticks; k++) {
      const tickMs = startMs + k * DEMO_TICK_MS;
      traffic.feed(tickMs);
      await deliverColdStarts();
      const r: TickResult = await handler(
        { id: `demo-${k}`, time: new Date(tickMs).toISOString() },
        { awsRequestId: `demo-request-${k}`, getRemainingTimeInMillis: () => 30_000 },
      );
      health.lostWrites += r.lostWrites.length;
      metricsQueried += r.metrics.queries;
      wake.readsWoken += r.metrics.readsWoken ?? 0;
      if (!r.metrics.ok) health.metricsFailed++;
      if (r.timedOut) health.timedOut++;
      const simHours = ((k + 1) * DEMO_TICK_MS) / 3_600_000;
      bar.tick(`simulated ${simHours.toFixed(1)} h of ${(spanMs / 3_600_000).toFixed(0)} h`);
      if (options.speed !== null) {
        const due = ((k + 1) * DEMO_TICK_MS) / options.speed;
        const wait = due - (performance.now() - started);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    traffic.feed(endMs);
    bar.finish();
    const wallMs = performance.now() - started;

    const reader = new DynamoDbDecisionStore(
      createDynamoDbDocumentClient({ endpoint: store.endpoint, region: 'us-east-1' }),
      store.table,
    );
    const functions: DemoFunctionResult[] = [];
    for (const f of fns) {
      const target = `${f.name}:${DEMO_QUALIFIER}`;
      const records = (await readDecisions(reader, target, startMs, ticks + 10)).reverse();
      const world = stack.world;
      const stats = (n: string) => world.sim(n, DEMO_QUALIFIER)?.stats() as SimStats;
      functions.push({
        id: f.fn.id,
        name: f.name,
        target,
        estimatedPeak: f.estimatedPeak,
        requests: f.workload.totalInvocations,
        warmed: stats(f.name),
        unwarmed: stats(f.name + UNWARMED_SUFFIX),
        records,
      });
    }
    const policy = (n: string) => backtest.document.policies.find((p) => p.name === n)?.cold_starts ?? null;
    const memory = fns.map((f) => f.workload.memoryMb);
    return {
      trace: options.trace.name,
      seed,
      startMs,
      endMs,
      ticks,
      wallMs,
      functions,
      health,
      wake,
      backtest,
      measured: {
        controller: measuredRow(
          'controller (measured)',
          functions.map((f) => f.warmed),
          memory,
          spanMs,
          policy('oracle'),
          policy('none'),
          {
            runsOn: RUNS_ON.controller,
            metricsPerTargetTick: metricsQueried / Math.max(1, ticks * fns.length),
            tickIntervalSeconds: DEMO_TICK_MS / 1000,
            // Billed as AWS would deliver them: one invocation per cold start (each its own log stream).
            wakeDeliveriesPerTick: wake.coldStartsDelivered / Math.max(1, ticks * fns.length),
          },
        ),
        unwarmed: measuredRow(
          'unwarmed twin (measured)',
          functions.map((f) => f.unwarmed),
          memory,
          spanMs,
          policy('oracle'),
          policy('none'),
          { runsOn: RUNS_ON.nothing, metricsPerTargetTick: 0, tickIntervalSeconds: DEMO_TICK_MS / 1000 },
        ),
      },
      store: { path: store.path, table: store.table },
    };
  } finally {
    await stack?.stop();
    await store.stop();
  }
}
