import { type Clock, systemClock, ValidationError } from '@warmpool/core';
import { type InvokeOutcome, type MinuteMetrics, SimFunction, type SimFunctionParams } from '@warmpool/lab';
import {
  type ContainerIdentity,
  createContainerIdentity,
  type WarmupOptions,
  withWarmup,
} from '@warmpool/warmup';
import { DEFAULT_MAX_HOLD_MS, readMarker } from '@warmpool/warmup/protocol';

/** A user handler as Lambda's Node runtime calls it (async style). */
export type LocalHandler = (event: unknown, context: LocalContext) => unknown;

/** The Lambda context the stand-in passes: the parts handlers and the helper read. */
export interface LocalContext {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly awsRequestId: string;
  readonly memoryLimitInMB: string;
  /** Parsed from the `x-amz-client-context` header, as the runtime does; undefined when absent. */
  readonly clientContext: unknown;
  getRemainingTimeInMillis(): number;
  readonly [key: string]: unknown;
}

export interface LocalFunctionSpec {
  readonly name: string;
  /** Versions or aliases it answers to (default `['$LATEST']`); each gets its own container pool. */
  readonly qualifiers?: readonly string[];
  /** Reserved concurrency shared by all qualifiers (null: draws on the account's unreserved pool). */
  readonly reservedConcurrency?: number | null;
  readonly handler: LocalHandler;
  /**
   * Options for `withWarmup` (the world injects `container`, `now` and `functionName`), or false to run the
   * handler bare: a function without the helper, whose answers lack the protocol.
   */
  readonly warmup?: Partial<WarmupOptions> | false;
  /** Container model parameters (`concurrencyLimit` and `startMs` are the world's). Default initMs: 50. */
  readonly sim?: Omit<SimFunctionParams, 'concurrencyLimit' | 'startMs'>;
  /** Simulated duration of a real request sent through the stand-in (default 10 ms). */
  readonly realDurationMs?: number;
  /** Delay a cold start's answer by `initMs` real ms, as Lambda does (default true). */
  readonly realInitDelay?: boolean;
  /**
   * The function's timeout as `context.getRemainingTimeInMillis()` counts it (default 30 s). The helper never
   * holds past it, so a ramp whose first wave must hold longer is capped, as it would be on Lambda.
   */
  readonly timeoutMs?: number;
}

export type WorldInvokeResult =
  | { readonly kind: 'ok'; readonly payload: unknown; readonly executedVersion: string }
  | {
      readonly kind: 'function-error';
      readonly payload: { errorType: string; errorMessage: string };
      readonly executedVersion: string;
    }
  | { readonly kind: 'throttled'; readonly reason: string }
  | { readonly kind: 'not-found'; readonly message: string };

interface Container {
  readonly identity: ContainerIdentity;
  readonly run: LocalHandler;
}

interface Pool {
  readonly sim: SimFunction;
  readonly containers: Map<number, Container>;
}

interface RegisteredFunction {
  readonly spec: LocalFunctionSpec;
  readonly pools: Map<string, Pool>;
  readonly maxHoldMs: number;
  /** Times environments were started within the scaling window (oldest first, from `startsHead`). */
  readonly starts: number[];
  startsHead: number;
}

export interface LocalWorldOptions {
  /** Simulated time (a SimClock to jump between ticks, a FakeClock, or real time by default). */
  readonly clock?: Clock;
  /** The account's concurrency limit (default 1,000). */
  readonly accountConcurrency?: number;
  /** Where the helper's log lines (ColdStart EMF, prewarm) go; default: dropped. */
  readonly log?: (functionName: string, line: string) => void;
  /**
   * Lambda's per-function scaling rate: at most `environments` new execution environments per `perMs` (a
   * sliding window; default 1,000 per 10 s, as AWS documents). A call that would start one more is throttled
   * with `reason`. null: unlimited.
   */
  readonly scalingRate?: ScalingLimit | null;
}

export interface ScalingLimit {
  readonly environments: number;
  readonly perMs: number;
  /**
   * The throttle Reason (default ConcurrentInvocationLimitExceeded: AWS documents a 429 for calls above the
   * scaling rate but not which Reason; a concurrency Reason is the conservative reading, the fan-out stops).
   */
  readonly reason?: string;
}

export const DEFAULT_SCALING_LIMIT = {
  environments: 1_000,
  perMs: 10_000,
  reason: 'ConcurrentInvocationLimitExceeded',
} as const;

export const REGION = 'us-east-1';
export const ACCOUNT_ID = '000000000000';
const DEFAULT_QUALIFIER = '$LATEST';

/**
 * A simulated Lambda account: functions, their qualifiers and reserved concurrency, and one `SimFunction`
 * (core's container model) per function and qualifier, all on one Clock. The Lambda stand-in serves Invokes
 * from it, a CloudWatch stand-in can serve `metricsLookup`, and tests inject real traffic in simulated time
 * with `injectReal`.
 *
 * Container identity: the SimFunction decides which container serves a call and whether it started it; the
 * world keeps one `withWarmup`-wrapped handler per simulated container, created with an injected
 * `ContainerIdentity`, so the container id a ping answers with is the simulated container's, and `started` is
 * true exactly for the call that started it (a container started by injected traffic, which runs no handler,
 * is created already used).
 */
export class LocalWorld {
  readonly clock: Clock;
  readonly accountConcurrency: number;
  readonly scalingRate: ScalingLimit | null;
  private readonly functions = new Map<string, RegisteredFunction>();
  private readonly log: (functionName: string, line: string) => void;
  private requestSeq = 0;

  constructor(options: LocalWorldOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.accountConcurrency = options.accountConcurrency ?? 1_000;
    this.scalingRate = options.scalingRate === undefined ? DEFAULT_SCALING_LIMIT : options.scalingRate;
    this.log = options.log ?? (() => {});
  }

  addFunction(spec: LocalFunctionSpec): this {
    if (!spec.name) throw new ValidationError('name', 'is required');
    if (this.functions.has(spec.name))
      throw new ValidationError('name', 'is already registered', { detail: spec.name });
    const reserved = spec.reservedConcurrency ?? null;
    if (reserved !== null && !(Number.isInteger(reserved) && reserved >= 0))
      throw new ValidationError('reservedConcurrency', 'must be an integer >= 0 or null');
    const qualifiers = spec.qualifiers?.length ? spec.qualifiers : [DEFAULT_QUALIFIER];
    const pools = new Map<string, Pool>();
    qualifiers.forEach((q, i) => {
      const sim = new SimFunction({
        initMs: 50,
        ...spec.sim,
        seed: (spec.sim?.seed ?? 1) + i,
        startMs: this.clock.now(),
      });
      pools.set(q, { sim, containers: new Map() });
    });
    const maxHoldMs = (spec.warmup ? spec.warmup.maxHoldMs : undefined) ?? DEFAULT_MAX_HOLD_MS;
    this.functions.set(spec.name, { spec, pools, maxHoldMs, starts: [], startsHead: 0 });
    return this;
  }

  /** Deletes a function (Invokes then get ResourceNotFoundException, as for a target deleted mid-run). */
  removeFunction(name: string): boolean {
    return this.functions.delete(name);
  }

  functionNames(): string[] {
    return [...this.functions.keys()];
  }

  /** The container model behind one function and qualifier. */
  sim(name: string, qualifier: string = DEFAULT_QUALIFIER): SimFunction | undefined {
    return this.functions.get(name)?.pools.get(qualifier)?.sim;
  }

  /**
   * Per-minute metrics for the CloudWatch stand-in (`simMetricProvider({ lookup })`). Without a qualifier, the
   * function's first qualifier (the only one for most functions).
   */
  readonly metricsLookup = (name: string, qualifier: string | undefined): MinuteMetrics | undefined => {
    const fn = this.functions.get(name);
    if (!fn) return undefined;
    const pool = qualifier ? fn.pools.get(qualifier) : fn.pools.values().next().value;
    if (!pool) return undefined;
    pool.sim.advanceTo(Math.max(pool.sim.now, this.clock.now()));
    return pool.sim.metrics;
  };

  /** Reserved concurrency of a function: a number, null (none), or undefined when there is no such function. */
  reservedConcurrency(name: string): number | null | undefined {
    const fn = this.functions.get(name);
    return fn ? (fn.spec.reservedConcurrency ?? null) : undefined;
  }

  /** Account concurrency and what is left after every function's reservation. */
  accountSettings(): { concurrentExecutions: number; unreservedConcurrentExecutions: number } {
    let reserved = 0;
    for (const fn of this.functions.values()) reserved += fn.spec.reservedConcurrency ?? 0;
    return {
      concurrentExecutions: this.accountConcurrency,
      unreservedConcurrentExecutions: this.accountConcurrency - reserved,
    };
  }

  /** Containers busy across a function's qualifiers, now (or at simulated time `atMs`). */
  busy(name: string, atMs: number = this.clock.now()): number {
    const fn = this.functions.get(name);
    if (!fn) return 0;
    const t = atMs;
    let busy = 0;
    for (const pool of fn.pools.values()) {
      pool.sim.advanceTo(Math.max(pool.sim.now, t));
      busy += pool.sim.busy;
    }
    return busy;
  }

  /** Throttle reason if one more invocation of `fn` would exceed a limit now, else null. */
  private admit(fn: RegisteredFunction, atMs: number): string | null {
    const reserved = fn.spec.reservedConcurrency ?? null;
    if (reserved !== null) {
      return this.busy(fn.spec.name, atMs) >= reserved
        ? 'ReservedFunctionConcurrentInvocationLimitExceeded'
        : null;
    }
    let unreservedBusy = 0;
    for (const other of this.functions.values()) {
      if ((other.spec.reservedConcurrency ?? null) === null)
        unreservedBusy += this.busy(other.spec.name, atMs);
    }
    return unreservedBusy >= this.accountSettings().unreservedConcurrentExecutions
      ? 'ConcurrentInvocationLimitExceeded'
      : null;
  }

  /**
   * Throttle reason if the call at `atMs` would start an environment beyond the function's scaling rate, else
   * null. Only a call that finds no idle container starts one; the limit is per function, across qualifiers.
   */
  private scalingThrottle(fn: RegisteredFunction, pool: Pool, atMs: number): string | null {
    const limit = this.scalingRate;
    if (limit === null || pool.sim.idleContainers > 0) return null;
    while (fn.startsHead < fn.starts.length && (fn.starts[fn.startsHead] as number) <= atMs - limit.perMs)
      fn.startsHead++;
    if (fn.startsHead > 1_024 && fn.startsHead * 2 > fn.starts.length) {
      fn.starts.splice(0, fn.startsHead);
      fn.startsHead = 0;
    }
    const recent = fn.starts.length - fn.startsHead;
    return recent >= limit.environments ? (limit.reason ?? DEFAULT_SCALING_LIMIT.reason) : null;
  }

  private recordStart(fn: RegisteredFunction, outcome: InvokeOutcome, atMs: number): void {
    if (this.scalingRate !== null && outcome.status === 'ok' && outcome.started) fn.starts.push(atMs);
  }

  private resolve(
    name: string,
    qualifier: string | undefined,
  ): { fn: RegisteredFunction; pool: Pool; qualifier: string } | undefined {
    const fn = this.functions.get(name);
    const q = qualifier || DEFAULT_QUALIFIER;
    const pool = fn?.pools.get(q);
    return fn && pool ? { fn, pool, qualifier: q } : undefined;
  }

  /**
   * Real traffic in simulated time, for trace replay: drives the container model only (no handler runs).
   * `atMs` (default: the clock's now) places an arrival between clock readings; per qualifier, calls must come
   * in time order (a time already passed is served at the qualifier's current time). Throttled with the same
   * rules as Invokes; returns the outcome or the throttle reason.
   */
  injectReal(
    name: string,
    qualifier: string | undefined,
    durationMs: number,
    atMs: number = this.clock.now(),
  ): InvokeOutcome | { status: 'throttled'; reason: string } {
    const r = this.resolve(name, qualifier);
    if (!r)
      throw new ValidationError('functionName', 'no such function or qualifier', {
        detail: `${name}:${qualifier}`,
      });
    const t = Math.max(r.pool.sim.now, atMs);
    const reason = this.admit(r.fn, t) ?? this.scalingThrottle(r.fn, r.pool, t);
    if (reason) {
      r.pool.sim.advanceTo(t);
      r.pool.sim.metrics.add('throttles', r.pool.sim.metrics.minuteOf(t));
      return { status: 'throttled', reason };
    }
    const outcome = r.pool.sim.invoke(t, 'real', durationMs);
    this.recordStart(r.fn, outcome, t);
    this.container(r.fn, r.pool, r.qualifier, outcome, false);
    return outcome;
  }

  /** One synchronous Invoke: the container model picks the container, its wrapped handler answers. */
  async invoke(call: {
    readonly functionName: string;
    readonly qualifier?: string | undefined;
    readonly clientContext: unknown;
    readonly payload: unknown;
  }): Promise<WorldInvokeResult> {
    const r = this.resolve(call.functionName, call.qualifier);
    if (!r) {
      return {
        kind: 'not-found',
        message: `Function not found: arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${call.functionName}:${call.qualifier || DEFAULT_QUALIFIER}`,
      };
    }
    const { fn, pool, qualifier } = r;
    const marker = readMarker(call.clientContext);
    const isPing = marker !== undefined && fn.spec.warmup !== false;
    const durationMs = isPing ? Math.min(marker.holdMs, fn.maxHoldMs) : (fn.spec.realDurationMs ?? 10);
    const t = Math.max(pool.sim.now, this.clock.now());
    const reason = this.admit(fn, t) ?? this.scalingThrottle(fn, pool, t);
    if (reason) {
      pool.sim.advanceTo(t);
      if (!isPing) pool.sim.metrics.add('throttles', pool.sim.metrics.minuteOf(t));
      return { kind: 'throttled', reason };
    }
    const outcome = pool.sim.invoke(t, isPing ? 'ping' : 'real', durationMs);
    this.recordStart(fn, outcome, t);
    const container = this.container(fn, pool, qualifier, outcome, true);
    if (outcome.started && (fn.spec.realInitDelay ?? true) && pool.sim.params.initMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, pool.sim.params.initMs));
    }
    const context = this.context(fn, qualifier, call.clientContext);
    try {
      const payload = await container.run(call.payload, context);
      return { kind: 'ok', payload: payload === undefined ? null : payload, executedVersion: qualifier };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      return {
        kind: 'function-error',
        payload: { errorType: err.name, errorMessage: err.message },
        executedVersion: qualifier,
      };
    }
  }

  private container(
    fn: RegisteredFunction,
    pool: Pool,
    qualifier: string,
    outcome: InvokeOutcome,
    runsHandler: boolean,
  ): Container {
    const existing = pool.containers.get(outcome.containerId);
    if (existing) return existing;
    // Started by this call: `started` is true for its first handler run only if this call runs the handler.
    const identity = createContainerIdentity(
      `${fn.spec.name}:${qualifier}/${outcome.containerId}`,
      this.clock.now(),
      runsHandler && outcome.started,
    );
    const name = fn.spec.name;
    const run: LocalHandler =
      fn.spec.warmup === false
        ? fn.spec.handler
        : (withWarmup(fn.spec.handler, {
            ...fn.spec.warmup,
            container: identity,
            now: () => this.clock.now(),
            functionName: name,
            log: (line) => this.log(name, line),
          }) as LocalHandler);
    const c = { identity, run };
    pool.containers.set(outcome.containerId, c);
    return c;
  }

  private context(fn: RegisteredFunction, qualifier: string, clientContext: unknown): LocalContext {
    const started = Date.now();
    const arn = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${fn.spec.name}:${qualifier}`;
    return {
      functionName: fn.spec.name,
      functionVersion: qualifier,
      invokedFunctionArn: arn,
      awsRequestId: `local-${++this.requestSeq}`,
      memoryLimitInMB: String(fn.pools.values().next().value?.sim.params.memoryMb ?? 1024),
      clientContext,
      getRemainingTimeInMillis: () => Math.max(0, (fn.spec.timeoutMs ?? 30_000) - (Date.now() - started)),
    };
  }
}
