import { ValidationError } from '@warmpool/core';
import { MINUTE_MS, MinuteMetrics } from './minute-metrics.js';
import { poissonQuantile } from './peaks.js';
import { createRng, type Rng } from './rng.js';
import {
  type ResolvedSimFunctionParams,
  SIM_DEFAULTS,
  type SimFunctionParams,
  type SimStats,
} from './types.js';
import { type SimCounters, zeroSimCounters } from './zero-stats.js';

/** Per-minute real traffic of an aggregate-mode function (see `FunctionWorkload`). */
export interface AggregateTraffic {
  readonly minuteCounts: Float64Array;
  /** Peak real concurrency per minute, drawn from M/G/∞ (`drawPeak`). */
  readonly minutePeaks: Float64Array;
  readonly meanDurationMs: number;
}

/**
 * The aggregate mode: the container pool of a high-rate function, minute by minute, without replaying single
 * invocations. It keeps the same LIFO pool as `SimFunction` as a staircase of levels: level j (the j-th most
 * recently used container) was last used when the busy count last reached j. So containers alive = levels used
 * within the idle time; a minute whose peak exceeds the live levels starts the difference cold; lifetime
 * recycling replaces busy containers at the mean lifetime's rate. Pings fired at a minute's start take idle
 * levels (prewarming the shortfall); real traffic during their hold is replayed event by event, and an
 * arrival that finds no free container starts cold (interference when the pings took idle containers).
 * Each level carries its container's death time; dead ones leave the pool at the next minute.
 *
 * Simplifications against the per-invocation engine (the agreement test bounds them): within a minute the
 * pool is sized once, at the drawn peak; the concurrency limit is not applied (no throttles); pings act at
 * the start of the minute they fall in.
 */
export class AggregateFunction {
  readonly params: ResolvedSimFunctionParams;
  readonly metrics: MinuteMetrics;
  private readonly rng: Rng;
  private readonly traffic: AggregateTraffic;
  /** Next minute to process. */
  private minute = 0;
  private nowMs: number;
  private lastUsed = new Float64Array(64);
  /** When each level's container dies of old age (recycled when next used after it). */
  private diesAt = new Float64Array(64);
  private levels = 0;
  private pc = 0;
  private pendingPings = 0;
  private pendingHoldMs = 0;
  /** The pending round holds nothing (the interference-free reference). */
  private pendingFree = false;
  private readonly holdEnds: number[] = [];
  private s: SimCounters = zeroSimCounters();

  constructor(traffic: AggregateTraffic, params: SimFunctionParams = {}) {
    this.params = {
      ...SIM_DEFAULTS,
      ...Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)),
    };
    if (this.params.startMs !== 0) throw new ValidationError('startMs', 'must be 0 in aggregate mode');
    this.traffic = traffic;
    this.rng = createRng(this.params.seed);
    this.nowMs = 0;
    this.metrics = new MinuteMetrics(0, this.params.metricLagMs);
  }

  get now(): number {
    return this.nowMs;
  }
  get containers(): number {
    return this.levels + this.pc;
  }

  /** Processes every whole minute that ends at or before `tMs`. */
  advanceTo(tMs: number): void {
    if (!(tMs >= this.nowMs)) throw new ValidationError('tMs', 'must not go back in time');
    const end = Math.floor(tMs / MINUTE_MS);
    while (this.minute < end) this.processMinute();
    this.nowMs = tMs;
  }

  /**
   * Pings act at the start of the minute containing `tMs` (ticks fall on minute boundaries). With `occupy`
   * false they warm the same containers without holding them (the interference-free reference, see
   * `SimFunction.warmWithoutHolding`); they are still priced as holding `holdMs`.
   */
  ping(tMs: number, n: number, holdMs: number, occupy = true): number {
    this.advanceTo(tMs);
    this.pendingPings += n;
    this.pendingHoldMs = Math.max(this.pendingHoldMs, holdMs);
    if (!occupy) this.pendingFree = true;
    return n;
  }

  setProvisioned(tMs: number, n: number): void {
    if (!(Number.isInteger(n) && n >= 0))
      throw new ValidationError('provisionedConcurrency', 'must be an integer >= 0');
    this.advanceTo(tMs);
    this.pc = n;
  }

  stats(): SimStats {
    return { ...this.s };
  }

  private touch(upTo: number, atMs: number): void {
    if (upTo > this.lastUsed.length) {
      const size = Math.max(upTo, this.lastUsed.length * 2);
      const used = new Float64Array(size);
      used.set(this.lastUsed);
      this.lastUsed = used;
      const dies = new Float64Array(size);
      dies.set(this.diesAt);
      this.diesAt = dies;
    }
    this.lastUsed.fill(atMs, 0, upTo);
  }

  private lifetime(): number {
    return this.params.maxLifetimeMs * (1 - this.params.lifetimeJitter * this.rng());
  }

  private grow(to: number, atMs: number): number {
    const started = to - this.levels;
    this.touch(to, atMs);
    for (let j = this.levels; j < to; j++) this.diesAt[j] = atMs + this.lifetime();
    this.levels = to;
    this.s.containersStarted += started;
    return started;
  }

  /**
   * Containers past their lifetime leave the pool (as `SimFunction` drops a dead container and serves from the
   * next idle one): only demand the rest cannot cover starts new ones.
   */
  private dropDead(atMs: number): void {
    const dies = this.diesAt;
    const used = this.lastUsed;
    let w = 0;
    for (let j = 0; j < this.levels; j++) {
      if ((dies[j] as number) <= atMs) continue;
      dies[w] = dies[j] as number;
      used[w] = used[j] as number;
      w++;
    }
    this.s.recycled += this.levels - w;
    this.levels = w;
  }

  /**
   * Cold starts among real arrivals during a ping hold of `holdMs`, starting with `busy` real requests running
   * and `free` idle containers. Arrivals are Poisson; running and new requests end after exponential times
   * with the mean duration (the memoryless residual of M/M/∞, a stand-in for the general case).
   */
  private holdColdStarts(
    ratePerMs: number,
    meanS: number,
    holdMs: number,
    busy: number,
    free: number,
  ): number {
    if (ratePerMs <= 0 || holdMs <= 0) return 0;
    const rng = this.rng;
    const ends = this.holdEnds;
    ends.length = 0;
    const expo = (mean: number) => -mean * Math.log(1 - rng());
    for (let i = 0; i < busy; i++) {
      const t = meanS > 0 ? expo(meanS) : 0;
      if (t < holdMs) ends.push(t);
    }
    ends.sort((a, b) => b - a); // pop() gives the earliest
    let available = free;
    let cold = 0;
    let t = expo(1 / ratePerMs);
    while (t < holdMs) {
      while (ends.length > 0 && (ends[ends.length - 1] as number) <= t) {
        ends.pop();
        available++;
      }
      if (available > 0) available--;
      else cold++;
      const end = t + (meanS > 0 ? expo(meanS) : 0);
      if (end < holdMs) {
        // Keep `ends` sorted descending; arrivals are few, so an insertion is cheap.
        let j = ends.length;
        ends.push(end);
        while (j > 0 && (ends[j - 1] as number) < end) {
          ends[j] = ends[j - 1] as number;
          j--;
        }
        ends[j] = end;
      }
      t += expo(1 / ratePerMs);
    }
    return cold;
  }

  private processMinute(): void {
    const m = this.minute++;
    const startMs = m * MINUTE_MS;
    const p = this.params;
    const t = this.traffic;
    const count = t.minuteCounts[m] ?? 0;
    const peak = t.minutePeaks[m] ?? 0;
    const meanS = t.meanDurationMs;
    const rate = count / MINUTE_MS;
    const metrics = this.metrics;
    metrics.ensure(m, 0, 0);

    // Reap levels idle for the idle time (the staircase is non-increasing in time, so from the top).
    while (this.levels > 0 && (this.lastUsed[this.levels - 1] as number) + p.idleReapMs <= startMs) {
      this.levels--;
      this.s.reaped++;
    }
    this.dropDead(startMs);
    let cold = 0;
    let concurrency = peak;
    const sent = this.pendingPings;
    if (sent > 0) {
      const hold = this.pendingHoldMs;
      // Pings arrive `gap` ms apart and each holds from its own arrival: at most those arriving within one hold
      // of the first are held together, so a hold shorter than the spread reaches fewer containers than sent.
      // A ping that starts a container holds it through INIT too; with warm containers in the pool the round
      // reuses them first, and those free after the hold alone (an approximation of the replay's exact order).
      const gap = p.pingDispatchPerSec > 0 ? 1000 / p.pingDispatchPerSec : 0;
      const together = hold + (this.levels > 0 ? 0 : p.initMs);
      const n = gap > 0 ? Math.min(sent, Math.floor(together / gap) + 1) : sent;
      // Busy at the ping: M/G/∞ at an instant is Poisson(λ·E[S]), never above the minute's peak.
      const busyNow = Math.min(poissonQuantile(rate * meanS, this.rng()), peak);
      const onPc = Math.min(n, Math.max(0, this.pc - busyNow));
      const overflow = Math.max(0, busyNow - this.pc);
      const onDemand = n - onPc;
      const before = this.levels;
      const reused = Math.min(onDemand, Math.max(0, before - overflow));
      let prewarms = 0;
      if (overflow + onDemand > before) prewarms = this.grow(overflow + onDemand, startMs);
      else this.touch(overflow + onDemand, startMs);
      // Real traffic during the hold, replayed event by event (a few hundred events at most): the pings leave
      // `free` containers; real departures free more; an arrival that finds none starts one.
      const free = Math.max(0, this.pc + this.levels - busyNow - n);
      const excess = this.pendingFree ? 0 : this.holdColdStarts(rate, meanS, hold, busyNow, free);
      if (excess > 0) {
        this.grow(this.levels + excess, startMs);
        cold += excess;
        // As in SimFunction: a cold start while pings hold containers they took from idle is interference.
        const interference = reused > 0 ? excess : 0;
        this.s.interference += interference;
        metrics.add('interference', m, interference);
      }
      if (!this.pendingFree) concurrency = Math.max(concurrency, busyNow + n + excess);
      this.s.pings += sent;
      this.s.prewarms += prewarms;
      this.s.pingBilledMs += sent * hold;
      this.s.prewarmInitMs += prewarms * p.initMs;
      metrics.add('pings', m, sent);
      metrics.add('prewarms', m, prewarms);
      this.pendingPings = 0;
      this.pendingHoldMs = 0;
      this.pendingFree = false;
    }
    const needOnDemand = Math.max(0, peak - this.pc);
    if (needOnDemand > this.levels) cold += this.grow(needOnDemand, startMs + MINUTE_MS / 2);
    else if (needOnDemand > 0) this.touch(needOnDemand, startMs + MINUTE_MS / 2);
    const busyOnPc = Math.min(rate * meanS, this.pc);
    this.s.realInvocations += count;
    this.s.coldStarts += cold;
    this.s.realInitMs += cold * p.initMs;
    this.s.provisionedBusyMs += busyOnPc * MINUTE_MS;
    this.s.realBilledMs += Math.max(0, count * meanS - busyOnPc * MINUTE_MS);
    this.s.provisionedContainerMs += this.pc * MINUTE_MS;
    const live = this.levels + this.pc;
    if (live > this.s.peakContainers) this.s.peakContainers = live;
    metrics.add('invocations', m, count + sent);
    metrics.add('coldStarts', m, cold);
    metrics.max('concurrency', m, concurrency);
    metrics.max('containers', m, live);
  }
}
