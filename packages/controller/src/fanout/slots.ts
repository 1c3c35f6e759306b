import { ValidationError } from '@warmpool/core';

interface Waiter {
  readonly k: number;
  readonly resolve: (granted: boolean) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/**
 * Pings in flight, bounded and shared by every round of the controller. A round asks for all the slots of a
 * wave at once and dispatches only when it gets them, so the wave's pings leave together and overlap, instead
 * of queueing behind a socket pool whose queue spreads them out in time (late pings then land on containers
 * already free again). Size it to the HTTP agent's `maxSockets`: no request ever waits for a socket. Waiters
 * are served in order (a large wave at the head is not starved by smaller ones behind it). Memory is bounded by
 * the slots: a ping's request is only created once its slot is held.
 */
export class InFlightSlots {
  private used = 0;
  private readonly queue: Waiter[] = [];
  private gate: Promise<void> = Promise.resolve();

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1))
      throw new ValidationError('capacity', 'must be an integer >= 1', { detail: `${capacity}` });
  }

  get inFlight(): number {
    return this.used;
  }

  /** Resolves true once `k` slots are held, false if `signal` aborts first (nothing is then held). */
  acquire(k: number, signal?: AbortSignal): Promise<boolean> {
    if (!(Number.isInteger(k) && k >= 0 && k <= this.capacity))
      throw new ValidationError('k', `must be an integer in [0, capacity ${this.capacity}]`, {
        detail: `${k}`,
      });
    if (signal?.aborted) return Promise.resolve(false);
    if (this.queue.length === 0 && this.used + k <= this.capacity) {
      this.used += k;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        k,
        resolve,
        signal,
        onAbort: () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          resolve(false);
          this.drain();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  /**
   * Runs `dispatch` while no other wave is leaving: waves of different rounds leave one after another, each
   * in its own short burst, instead of all interleaved (every round's pings would then spread over the
   * dispatch of all of them, and a short hold would let late pings land on containers already free).
   */
  async oneAtATime(dispatch: () => Promise<void>): Promise<void> {
    const before = this.gate;
    let open = () => {};
    this.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    try {
      await before;
      await dispatch();
    } finally {
      open();
    }
  }

  release(k = 1): void {
    this.used = Math.max(0, this.used - k);
    this.drain();
  }

  private drain(): void {
    for (;;) {
      const head = this.queue[0];
      if (!head || this.used + head.k > this.capacity) return;
      this.queue.shift();
      head.signal?.removeEventListener('abort', head.onAbort);
      this.used += head.k;
      head.resolve(true);
    }
  }
}
