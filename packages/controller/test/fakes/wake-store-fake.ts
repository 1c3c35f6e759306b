import type { WakeMark, WakeStore } from '../../src/ports/wake-store.js';

type Operation = 'addColdStarts' | 'readWakes';

/** In-memory WakeStore: records every call; `failNext(op)` makes the next call of that operation throw. */
export class FakeWakeStore implements WakeStore {
  readonly calls: { op: Operation; targets: readonly string[]; coldStarts?: number }[] = [];
  private readonly marks = new Map<string, WakeMark>();
  private readonly failures: { op: Operation | '*'; error: unknown }[] = [];

  failNext(op: Operation | '*', error: unknown = new Error('fake wake store failure')): void {
    this.failures.push({ op, error });
  }

  async addColdStarts(target: string, coldStarts: number, atMs: number): Promise<void> {
    this.enter('addColdStarts', [target], coldStarts);
    const prev = this.marks.get(target);
    this.marks.set(target, { target, coldStarts: (prev?.coldStarts ?? 0) + coldStarts, lastAtMs: atMs });
  }

  async readWakes(targets: readonly string[]): Promise<ReadonlyMap<string, WakeMark>> {
    this.enter('readWakes', targets);
    const out = new Map<string, WakeMark>();
    for (const t of targets) {
      const m = this.marks.get(t);
      if (m) out.set(t, { ...m });
    }
    return out;
  }

  private enter(op: Operation, targets: readonly string[], coldStarts?: number): void {
    this.calls.push({ op, targets: [...targets], ...(coldStarts !== undefined ? { coldStarts } : {}) });
    const i = this.failures.findIndex((f) => f.op === op || f.op === '*');
    if (i >= 0) {
      const [f] = this.failures.splice(i, 1);
      throw f?.error;
    }
  }
}
