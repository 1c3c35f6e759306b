import type { Clock } from '@warmpool/core';

/**
 * Simulated time that runs at real speed but can jump ahead: tests replay a day in minutes by jumping from
 * tick to tick, while whatever happens inside a tick (pings held for real milliseconds, SDK calls) still takes
 * real time and moves the simulated clock by as much. Monotonic: it never goes back, so the simulator, which
 * needs time order, can be fed from it.
 */
export class SimClock implements Clock {
  private base: number;
  private anchor: number;

  constructor(
    startMs: number,
    private readonly realNow: () => number = () => performance.now(),
  ) {
    this.base = startMs;
    this.anchor = realNow();
  }

  now(): number {
    return this.base + (this.realNow() - this.anchor);
  }

  /** Real sleep: simulated time passes at real speed while waiting. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }

  /** Jumps simulated time forward by `ms` at once. */
  jump(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('SimClock can only jump forward');
    this.base = this.now() + ms;
    this.anchor = this.realNow();
  }

  /** Jumps to `epochMs`; a time already passed is a no-op (the clock never goes back). */
  jumpTo(epochMs: number): void {
    const now = this.now();
    if (epochMs > now) this.jump(epochMs - now);
  }
}
