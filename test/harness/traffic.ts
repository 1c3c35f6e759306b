import type { FunctionWorkload, InvokeOutcome } from '@warmpool/core';

/** Where replayed requests go: the simulated function behind the loopback Lambda. */
export interface TrafficSink {
  /** Simulated time the function has reached (requests cannot go back before it). */
  readonly now: number;
  invoke(tMs: number, kind: 'real', durationMs: number): InvokeOutcome;
  advanceTo(tMs: number): void;
}

/**
 * Replays a trace function's real requests into a simulated function, shifted to start at `originMs`, tick by
 * tick. A request whose time the function has already passed (a tick's pings took real milliseconds of
 * simulated time) runs at the function's current time instead: a sub-second shift, never a dropped request.
 */
export class TrafficReplay {
  private next = 0;
  /** User-felt cold starts and requests replayed so far. */
  coldStarts = 0;
  requests = 0;

  constructor(
    private readonly workload: FunctionWorkload,
    private readonly originMs: number,
    private readonly sink: TrafficSink,
  ) {
    if (!workload.arrivals || !workload.durations)
      throw new Error('replay needs a workload in invocations mode');
  }

  /** Replays every request before `untilMs` (epoch ms). */
  feed(untilMs: number): void {
    const arrivals = this.workload.arrivals as Float64Array;
    const durations = this.workload.durations as Float64Array;
    while (this.next < arrivals.length && this.originMs + (arrivals[this.next] as number) < untilMs) {
      const t = Math.max(this.sink.now, this.originMs + (arrivals[this.next] as number));
      const out = this.sink.invoke(t, 'real', durations[this.next] as number);
      if (out.started) this.coldStarts++;
      this.requests++;
      this.next++;
    }
    if (untilMs > this.sink.now) this.sink.advanceTo(untilMs);
  }
}
