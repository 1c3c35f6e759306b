import type { DecisionRecord, DecisionStore } from '../ports/decision-store.js';
import { windowSortKey } from '../window/tick-window.js';
import { isOwnUnfinished } from './own-record.js';

/** Most records an outbox keeps; past it the oldest are dropped (and reported), so memory stays bounded. */
export const OUTBOX_CAPACITY = 1_000;

/**
 * Decisions whose writes were lost while the store was down, kept in memory for the next tick to write. A
 * warm Lambda container runs the next tick with the same outbox, so a short DynamoDB outage loses nothing;
 * if the container is recycled first, the loss was already reported (logs, `DecisionWriteFailed`, the tick
 * result). Writes stay conditional: a window that meanwhile got a record is not written twice.
 */
export class DecisionOutbox {
  private readonly pending = new Map<string, DecisionRecord>();
  /** Records dropped because the outbox was full. */
  dropped = 0;

  constructor(private readonly capacity = OUTBOX_CAPACITY) {}

  get size(): number {
    return this.pending.size;
  }

  add(record: DecisionRecord): void {
    this.pending.set(keyOf(record), record);
    while (this.pending.size > this.capacity) {
      const oldest = this.pending.keys().next().value as string;
      this.pending.delete(oldest);
      this.dropped++;
    }
  }

  /**
   * Writes what is pending, oldest first; keeps what still fails. Returns the keys (`target@window`) that
   * landed (or were found already recorded).
   */
  async flush(store: DecisionStore, signal?: AbortSignal): Promise<{ written: string[]; failed: number }> {
    const written: string[] = [];
    let failed = 0;
    for (const [key, record] of [...this.pending]) {
      try {
        const put = await store.putDecision(record, signal ? { signal } : {});
        // The first write of this record landed after all (its answer was lost): add the outcome it lacks.
        if (record.outcome && isOwnUnfinished(put, record.tickId))
          await store.recordOutcome(record.target, record.windowStartMs, record.outcome, {
            ...(signal ? { signal } : {}),
            expiresAt: record.expiresAt,
          });
        this.pending.delete(key);
        written.push(key);
      } catch {
        failed++;
        break; // the store is still down: try again next tick rather than time out on every record
      }
    }
    return { written, failed };
  }
}

function keyOf(r: DecisionRecord): string {
  return `${r.target}@${windowSortKey(r.windowStartMs)}`;
}
