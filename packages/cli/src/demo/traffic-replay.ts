import type { LocalWorld, SimClock } from '@warmpool/local';

/** One function's real requests: arrival offsets (ms from the replay's origin, sorted) and durations (ms). */
export interface TrafficStream {
  readonly functionName: string;
  readonly qualifier: string;
  readonly arrivals: Float64Array;
  readonly durations: Float64Array;
}

/** What users felt, per stream. */
export interface StreamTotals {
  requests: number;
  coldStarts: number;
  throttles: number;
}

/**
 * Replays real requests into a LocalWorld in simulated time, all streams merged in time order (the world's
 * functions share one clock, and `injectReal` happens at the clock's now). Requests that arrive while a tick
 * holds the clock past them (pings take real ms) run at the clock's time: a sub-second shift, none dropped.
 * A function deleted mid-run (the e2e fault tests do this) simply stops receiving its requests.
 */
export class TrafficReplay {
  readonly totals = new Map<string, StreamTotals>();
  private readonly next: number[];

  constructor(
    private readonly world: LocalWorld,
    private readonly clock: SimClock,
    private readonly originMs: number,
    private readonly streams: readonly TrafficStream[],
    /** Each real request that started its container (a user-felt cold start), as its log line would say. */
    private readonly onColdStart?: (functionName: string, qualifier: string, atMs: number) => void,
  ) {
    this.next = streams.map(() => 0);
    for (const s of streams) this.totals.set(s.functionName, { requests: 0, coldStarts: 0, throttles: 0 });
  }

  /** Replays every request before `untilMs` (epoch ms), then moves the clock to `untilMs`. */
  feed(untilMs: number): void {
    for (;;) {
      let pick = -1;
      let at = Number.POSITIVE_INFINITY;
      for (let i = 0; i < this.streams.length; i++) {
        const s = this.streams[i] as TrafficStream;
        const k = this.next[i] as number;
        if (k < s.arrivals.length) {
          const t = this.originMs + (s.arrivals[k] as number);
          if (t < untilMs && t < at) {
            at = t;
            pick = i;
          }
        }
      }
      if (pick < 0) break;
      const s = this.streams[pick] as TrafficStream;
      const k = this.next[pick] as number;
      this.next[pick] = k + 1;
      if (!this.world.functionNames().includes(s.functionName)) continue;
      this.clock.jumpTo(at);
      const out = this.world.injectReal(s.functionName, s.qualifier, s.durations[k] as number);
      const tot = this.totals.get(s.functionName) as StreamTotals;
      tot.requests++;
      if (out.status === 'throttled') tot.throttles++;
      else if (out.started) {
        tot.coldStarts++;
        this.onColdStart?.(s.functionName, s.qualifier, at);
      }
    }
    this.clock.jumpTo(untilMs);
  }
}
