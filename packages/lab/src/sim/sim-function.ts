import { ValidationError } from '@warmpool/core';
import { MinHeap } from './min-heap.js';
import { MINUTE_MS, MinuteMetrics } from './minute-metrics.js';
import { createRng, type Rng } from './rng.js';
import {
  type InvokeKind,
  type InvokeOutcome,
  type ResolvedSimFunctionParams,
  SIM_DEFAULTS,
  type SimFunctionParams,
  type SimStats,
} from './types.js';
import { type SimCounters, zeroSimCounters } from './zero-stats.js';

/** What a container is doing. A ping that took an idle container is told apart from one that started it. */
const BUSY = { idle: 0, real: 1, pingReused: 2, pingNew: 3 } as const;
type Busy = (typeof BUSY)[keyof typeof BUSY];

interface Container {
  readonly id: number;
  readonly provisioned: boolean;
  /** Recycled when next idle at or after this time. */
  readonly diesAtMs: number;
  idleSinceMs: number;
  busy: Busy;
}

const THROTTLED: InvokeOutcome = Object.freeze({
  status: 'throttled',
  containerId: -1,
  started: false,
  interference: false,
  provisioned: false,
  busyUntilMs: Number.NaN,
});

function resolve(params: SimFunctionParams): ResolvedSimFunctionParams {
  const p = { ...SIM_DEFAULTS, ...stripUndefined(params) };
  const positive = ['memoryMb', 'idleReapMs', 'maxLifetimeMs'] as const;
  for (const k of positive) {
    if (!(Number.isFinite(p[k]) && p[k] > 0)) throw new ValidationError(k, 'must be a positive number');
  }
  const nonNegative = ['initMs', 'metricLagMs', 'pingDispatchPerSec'] as const;
  for (const k of nonNegative) {
    if (!(Number.isFinite(p[k]) && p[k] >= 0)) throw new ValidationError(k, 'must be a number >= 0');
  }
  if (!(p.lifetimeJitter >= 0 && p.lifetimeJitter < 1))
    throw new ValidationError('lifetimeJitter', 'must be in [0, 1)');
  if (p.concurrencyLimit !== null && !(Number.isInteger(p.concurrencyLimit) && p.concurrencyLimit >= 0)) {
    throw new ValidationError('concurrencyLimit', 'must be an integer >= 0 or null');
  }
  if (!Number.isFinite(p.startMs)) throw new ValidationError('startMs', 'must be a finite number');
  return p;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * One function (one qualifier) and its container pool, simulated incrementally: the caller passes time in.
 * Calls must come in non-decreasing time order. No clock, no timers, no I/O: the loopback stand-in drives it
 * in (simulated) real time, the backtest drives it as fast as it can.
 *
 * Model (docs/simulator.md): a request takes the most recently freed idle container (Provisioned Concurrency
 * first); otherwise it starts a new one, busy for INIT plus its duration. Idle containers are reaped after
 * `idleReapMs` (oldest first, so the pool shrinks to what recent traffic needed) and recycled once past
 * their lifetime. Pings are invocations too: they count in `ConcurrentExecutions` and `Invocations`.
 */
export class SimFunction {
  readonly params: ResolvedSimFunctionParams;
  readonly metrics: MinuteMetrics;
  private readonly rng: Rng;
  private nowMs: number;
  private minute = 0;
  private nextMinuteMs: number;
  private nextId = 0;

  /** On-demand idle containers, oldest-idle at `idleHead`, most recently freed at the end. */
  private idle: Container[] = [];
  private idleHead = 0;
  private readonly pcIdle: Container[] = [];
  private readonly busyHeap = new MinHeap<Container>();

  private busyTotal = 0;
  /** Pings holding containers that were idle before the ping: the cause of interference. */
  private busyPingReused = 0;
  private live = 0;
  private pcCount = 0;
  private pcRetirePending = 0;
  private pcSinceMs: number;

  private s: SimCounters = zeroSimCounters();

  constructor(params: SimFunctionParams = {}) {
    this.params = resolve(params);
    this.rng = createRng(this.params.seed);
    this.nowMs = this.params.startMs;
    this.pcSinceMs = this.nowMs;
    this.metrics = new MinuteMetrics(this.params.startMs, this.params.metricLagMs);
    this.minute = this.metrics.minuteOf(this.nowMs);
    this.metrics.ensure(this.minute, 0, 0);
    this.nextMinuteMs = this.metrics.originMs + (this.minute + 1) * MINUTE_MS;
  }

  /** Simulated time reached so far. */
  get now(): number {
    return this.nowMs;
  }
  /** Containers alive (idle or busy, Provisioned Concurrency included). */
  get containers(): number {
    return this.live;
  }
  /** Containers busy now (real requests, pings and INIT). */
  get busy(): number {
    return this.busyTotal;
  }
  /** On-demand containers idle now (some may be past their lifetime and are dropped when next picked). */
  get idleContainers(): number {
    return this.idle.length - this.idleHead + this.pcIdle.length;
  }
  get provisionedConcurrency(): number {
    return this.pcCount;
  }

  /** Processes completions, reaping and minute boundaries up to `tMs`, in time order. */
  advanceTo(tMs: number): void {
    if (!(tMs >= this.nowMs)) {
      if (Number.isNaN(tMs)) throw new ValidationError('tMs', 'must be a number');
      throw new ValidationError('tMs', 'must not go back in time', { detail: `${tMs} < ${this.nowMs}` });
    }
    const reapMs = this.params.idleReapMs;
    for (;;) {
      const c = this.busyHeap.peekKey();
      const oldest = this.idle[this.idleHead];
      const r = oldest ? oldest.idleSinceMs + reapMs : Number.POSITIVE_INFINITY;
      const next = Math.min(c, r);
      if (next <= this.nextMinuteMs && next <= tMs) {
        if (c <= r) this.complete(c);
        else this.reapOldest();
      } else if (this.nextMinuteMs <= tMs) {
        this.minute++;
        this.nextMinuteMs += MINUTE_MS;
        this.metrics.ensure(this.minute, this.busyTotal, this.live);
      } else break;
    }
    this.nowMs = tMs;
  }

  /**
   * One invocation at `tMs`. `durationMs` is the handler's run time for a real request, the hold for a ping.
   * Throttled when the concurrency limit is reached (throttles are not invocations, as in CloudWatch).
   */
  invoke(tMs: number, kind: InvokeKind, durationMs: number): InvokeOutcome {
    if (!(durationMs >= 0 && durationMs < Number.POSITIVE_INFINITY)) {
      throw new ValidationError('durationMs', 'must be a finite number >= 0', { detail: `${durationMs}` });
    }
    this.advanceTo(tMs);
    const m = this.minute;
    const metrics = this.metrics;
    const isPing = kind === 'ping';
    const limit = this.params.concurrencyLimit;
    if (limit !== null && this.busyTotal >= limit) {
      if (isPing) this.s.pingThrottles++;
      else {
        this.s.throttles++;
        metrics.add('throttles', m);
      }
      return THROTTLED;
    }
    let c = this.pcIdle.pop();
    let started = false;
    let interference = false;
    if (!c) c = this.takeIdle(tMs);
    if (!c) {
      c = this.start(tMs, false);
      started = true;
    }
    const busyUntilMs = tMs + durationMs + (started ? this.params.initMs : 0);
    if (isPing) {
      c.busy = started ? BUSY.pingNew : BUSY.pingReused;
      if (!started) this.busyPingReused++;
      this.s.pings++;
      this.s.pingBilledMs += durationMs;
      metrics.add('pings', m);
      if (started) {
        this.s.prewarms++;
        this.s.prewarmInitMs += this.params.initMs;
        metrics.add('prewarms', m);
      }
    } else {
      c.busy = BUSY.real;
      this.s.realInvocations++;
      if (c.provisioned) this.s.provisionedBusyMs += durationMs;
      else this.s.realBilledMs += durationMs;
      if (started) {
        this.s.coldStarts++;
        this.s.realInitMs += this.params.initMs;
        metrics.add('coldStarts', m);
        if (this.busyPingReused > 0) {
          interference = true;
          this.s.interference++;
          metrics.add('interference', m);
        }
      }
    }
    this.busyTotal++;
    this.busyHeap.push(busyUntilMs, c);
    metrics.add('invocations', m);
    metrics.max('concurrency', m, this.busyTotal);
    return {
      status: 'ok',
      containerId: c.id,
      started,
      interference,
      provisioned: c.provisioned,
      busyUntilMs,
    };
  }

  /** Fires `n` pings at once, each holding its container `holdMs`; returns the distinct containers reached. */
  ping(tMs: number, n: number, holdMs: number): number {
    let reached = 0;
    for (let i = 0; i < n; i++) if (this.invoke(tMs, 'ping', holdMs).status === 'ok') reached++;
    return reached;
  }

  /**
   * The interference-free reference: leaves the pool as a round of `n` pings would (the idle containers a round
   * would take, most recently freed first, have their idle timer restarted; the rest start new and are ready at
   * once), but holds nothing, so no real request can find them busy. No ping can do this; it bounds what
   * warming could achieve. Priced as `n` pings of `billedHoldMs` (plus the INIT of the new containers). Returns
   * the containers so warmed.
   */
  warmWithoutHolding(tMs: number, n: number, billedHoldMs: number): number {
    if (!(Number.isInteger(n) && n >= 0)) throw new ValidationError('n', 'must be an integer >= 0');
    this.advanceTo(tMs);
    // Busy containers are out of a round's reach, as for real pings; idle Provisioned Concurrency is in it.
    let left = n - Math.min(n, this.pcIdle.length);
    const refreshed: Container[] = [];
    while (left > 0) {
      const c = this.takeIdle(tMs);
      if (!c) break;
      c.idleSinceMs = tMs;
      refreshed.push(c);
      left--;
    }
    // Back in the same order, now the most recently freed: the idle list stays sorted by idle-since time.
    for (let i = refreshed.length - 1; i >= 0; i--) this.idle.push(refreshed[i] as Container);
    const m = this.minute;
    for (let i = 0; i < left; i++) {
      const c = this.start(tMs, false);
      c.idleSinceMs = tMs;
      this.idle.push(c);
      this.s.prewarms++;
      this.s.prewarmInitMs += this.params.initMs;
      this.metrics.add('prewarms', m);
    }
    this.s.pings += n;
    this.s.pingBilledMs += n * billedHoldMs;
    this.metrics.add('pings', m, n);
    return n;
  }

  /**
   * Sets the Provisioned Concurrency in effect from `tMs` (the caller applies any allocation delay). New PC
   * containers are ready at once and never reaped; a decrease retires idle ones first, busy ones when done.
   */
  setProvisioned(tMs: number, n: number): void {
    if (!(Number.isInteger(n) && n >= 0))
      throw new ValidationError('provisionedConcurrency', 'must be an integer >= 0');
    this.advanceTo(tMs);
    this.accruePc();
    while (this.pcCount < n) {
      const c = this.start(tMs, true);
      c.idleSinceMs = tMs;
      this.pcIdle.push(c);
      this.pcCount++;
    }
    while (this.pcCount > n) {
      const c = this.pcIdle.pop();
      this.pcCount--;
      if (c) this.live--;
      else this.pcRetirePending++;
    }
  }

  stats(): SimStats {
    this.accruePc();
    return { ...this.s };
  }

  private accruePc(): void {
    this.s.provisionedContainerMs += this.pcCount * (this.nowMs - this.pcSinceMs);
    this.pcSinceMs = this.nowMs;
  }

  private start(tMs: number, provisioned: boolean): Container {
    const lifetime = this.params.maxLifetimeMs * (1 - this.params.lifetimeJitter * this.rng());
    const c: Container = {
      id: this.nextId++,
      provisioned,
      diesAtMs: provisioned ? Number.POSITIVE_INFINITY : tMs + lifetime,
      idleSinceMs: tMs,
      busy: BUSY.idle,
    };
    if (!provisioned) this.s.containersStarted++;
    this.live++;
    if (this.live > this.s.peakContainers) this.s.peakContainers = this.live;
    this.metrics.max('containers', this.minute, this.live);
    return c;
  }

  /** The most recently freed idle container still within its lifetime. */
  private takeIdle(tMs: number): Container | undefined {
    const idle = this.idle;
    while (idle.length > this.idleHead) {
      const c = idle.pop() as Container;
      if (c.diesAtMs > tMs) {
        if (idle.length === this.idleHead) this.resetIdle();
        return c;
      }
      this.live--;
      this.s.recycled++;
    }
    this.resetIdle();
    return undefined;
  }

  private resetIdle(): void {
    if (this.idleHead > 0 && this.idle.length === this.idleHead) {
      this.idle = [];
      this.idleHead = 0;
    }
  }

  private complete(atMs: number): void {
    const c = this.busyHeap.pop() as Container;
    if (c.busy === BUSY.pingReused) this.busyPingReused--;
    c.busy = BUSY.idle;
    this.busyTotal--;
    if (c.provisioned) {
      if (this.pcRetirePending > 0) {
        this.pcRetirePending--;
        this.live--;
      } else {
        c.idleSinceMs = atMs;
        this.pcIdle.push(c);
      }
      return;
    }
    if (c.diesAtMs <= atMs) {
      this.live--;
      this.s.recycled++;
      return;
    }
    c.idleSinceMs = atMs;
    this.idle.push(c);
  }

  private reapOldest(): void {
    this.idleHead++;
    this.live--;
    this.s.reaped++;
    if (this.idleHead === this.idle.length) this.resetIdle();
    else if (this.idleHead > 4096 && this.idleHead * 2 > this.idle.length) {
      this.idle = this.idle.slice(this.idleHead);
      this.idleHead = 0;
    }
  }
}
