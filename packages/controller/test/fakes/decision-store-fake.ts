import type {
  DecisionOutcome,
  DecisionPage,
  DecisionRecord,
  DecisionStore,
  ListDecisionsOptions,
  PutDecisionResult,
} from '../../src/ports/decision-store.js';

type Operation = 'putDecision' | 'recordOutcome' | 'listDecisions';

export interface FakeStoreCall {
  readonly op: Operation;
  readonly target: string;
  readonly windowStartMs?: number | undefined;
}

/**
 * In-memory DecisionStore with the same conditional-write semantics as the DynamoDB one. Records every call;
 * `failNext(op)` makes the next call(s) of that operation throw (or every operation with `'*'`).
 */
export class FakeDecisionStore implements DecisionStore {
  readonly calls: FakeStoreCall[] = [];
  private readonly items = new Map<string, Map<number, DecisionRecord>>();
  private readonly failures: { op: Operation | '*'; error: unknown }[] = [];

  failNext(op: Operation | '*', error: unknown = new Error('fake store failure'), times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ op, error });
  }

  /** Every record, for assertions. */
  all(target: string): DecisionRecord[] {
    return [...(this.items.get(target)?.values() ?? [])].sort((a, b) => b.windowStartMs - a.windowStartMs);
  }

  async putDecision(record: DecisionRecord): Promise<PutDecisionResult> {
    this.enter('putDecision', record.target, record.windowStartMs);
    const byWindow = this.items.get(record.target) ?? new Map<number, DecisionRecord>();
    this.items.set(record.target, byWindow);
    const existing = byWindow.get(record.windowStartMs);
    if (existing) return { created: false, existing };
    byWindow.set(record.windowStartMs, structuredClone(record));
    return { created: true };
  }

  async recordOutcome(target: string, windowStartMs: number, outcome: DecisionOutcome): Promise<void> {
    this.enter('recordOutcome', target, windowStartMs);
    const existing = this.items.get(target)?.get(windowStartMs);
    if (!existing) throw new Error(`no decision for ${target} at ${windowStartMs}`);
    this.items.get(target)?.set(windowStartMs, { ...existing, outcome: structuredClone(outcome) });
  }

  async listDecisions(target: string, options: ListDecisionsOptions = {}): Promise<DecisionPage> {
    this.enter('listDecisions', target);
    const limit = options.limit ?? 50;
    const offset = options.pageToken ? Number(options.pageToken) : 0;
    const all = this.all(target).filter(
      (r) => r.windowStartMs >= (options.sinceMs ?? Number.NEGATIVE_INFINITY),
    );
    const items = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? String(offset + limit) : undefined;
    return { items, nextPageToken: next };
  }

  private enter(op: Operation, target: string, windowStartMs?: number): void {
    this.calls.push({ op, target, windowStartMs });
    const i = this.failures.findIndex((f) => f.op === op || f.op === '*');
    if (i >= 0) {
      const [f] = this.failures.splice(i, 1);
      throw f?.error;
    }
  }
}
