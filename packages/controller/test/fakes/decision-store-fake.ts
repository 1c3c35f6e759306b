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
  /** listDecisions: where the query started. */
  readonly sinceMs?: number | undefined;
}

/**
 * In-memory DecisionStore with the same conditional-write semantics as the DynamoDB one. Records every call;
 * `failNext(op)` makes the next call(s) of that operation throw (or every operation with `'*'`); `hangNext(op)`
 * makes them never answer (a store that accepted the connection and went silent; only the call's abort signal
 * ends it); `loseAnswerNext(op)` does the work and then throws, as when a write landed but its answer was lost.
 */
export class FakeDecisionStore implements DecisionStore {
  readonly calls: FakeStoreCall[] = [];
  private readonly items = new Map<string, Map<number, DecisionRecord>>();
  private readonly failures: { op: Operation | '*'; error: unknown }[] = [];
  private readonly hangs: (Operation | '*')[] = [];
  private readonly lostAnswers: (Operation | '*')[] = [];
  /** Calls that hung and were then aborted by their signal. */
  aborted = 0;

  failNext(op: Operation | '*', error: unknown = new Error('fake store failure'), times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ op, error });
  }

  hangNext(op: Operation | '*', times = 1): void {
    for (let i = 0; i < times; i++) this.hangs.push(op);
  }

  loseAnswerNext(op: Operation | '*', times = 1): void {
    for (let i = 0; i < times; i++) this.lostAnswers.push(op);
  }

  /** Every record, for assertions. */
  all(target: string): DecisionRecord[] {
    return [...(this.items.get(target)?.values() ?? [])].sort((a, b) => b.windowStartMs - a.windowStartMs);
  }

  async putDecision(
    record: DecisionRecord,
    options: { signal?: AbortSignal } = {},
  ): Promise<PutDecisionResult> {
    await this.enter('putDecision', record.target, record.windowStartMs, options.signal);
    const byWindow = this.items.get(record.target) ?? new Map<number, DecisionRecord>();
    this.items.set(record.target, byWindow);
    const existing = byWindow.get(record.windowStartMs);
    if (existing) return { created: false, existing: structuredClone(existing) };
    byWindow.set(record.windowStartMs, structuredClone(record));
    this.answerLost('putDecision');
    return { created: true };
  }

  async recordOutcome(
    target: string,
    windowStartMs: number,
    outcome: DecisionOutcome,
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    await this.enter('recordOutcome', target, windowStartMs, options.signal);
    const existing = this.items.get(target)?.get(windowStartMs);
    if (!existing) throw new Error(`no decision for ${target} at ${windowStartMs}`);
    this.items.get(target)?.set(windowStartMs, { ...existing, outcome: structuredClone(outcome) });
    this.answerLost('recordOutcome');
  }

  async listDecisions(target: string, options: ListDecisionsOptions = {}): Promise<DecisionPage> {
    await this.enter('listDecisions', target, undefined, options.signal, options.sinceMs);
    const limit = options.limit ?? 50;
    const offset = options.pageToken ? Number(options.pageToken) : 0;
    const all = this.all(target).filter(
      (r) => r.windowStartMs >= (options.sinceMs ?? Number.NEGATIVE_INFINITY),
    );
    const items = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? String(offset + limit) : undefined;
    return { items, nextPageToken: next };
  }

  private async enter(
    op: Operation,
    target: string,
    windowStartMs?: number,
    signal?: AbortSignal,
    sinceMs?: number,
  ) {
    this.calls.push({ op, target, windowStartMs, ...(sinceMs === undefined ? {} : { sinceMs }) });
    const i = this.failures.findIndex((f) => f.op === op || f.op === '*');
    if (i >= 0) {
      const [f] = this.failures.splice(i, 1);
      throw f?.error;
    }
    const h = this.hangs.findIndex((x) => x === op || x === '*');
    if (h >= 0) {
      this.hangs.splice(h, 1);
      await new Promise<never>((_, reject) => {
        signal?.addEventListener('abort', () => {
          this.aborted++;
          reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
        });
      });
    }
  }

  private answerLost(op: Operation): void {
    const i = this.lostAnswers.findIndex((x) => x === op || x === '*');
    if (i < 0) return;
    this.lostAnswers.splice(i, 1);
    throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
  }
}
