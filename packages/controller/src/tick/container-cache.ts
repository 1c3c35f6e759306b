import type { ConcurrencyReadState, MinuteSeries } from '@warmpool/core';
import type { DecisionRecord, DecisionStore } from '../ports/decision-store.js';

/** Most targets a container cache keeps (the construct shards at 50 per controller); past it the least recently used go. */
export const CONTAINER_CACHE_TARGETS = 500;

/** A target's past decision records as this container knows them, keyed by window start. */
export interface CachedPast {
  readonly records: Map<number, DecisionRecord>;
}

/** The cold-start count this container read last for a target, and when (the tick's time). */
export interface CachedColdStarts {
  readonly readMs: number;
  readonly series: MinuteSeries;
}

/**
 * What a warm controller container remembers between ticks, per decision table and target: the past decision
 * records (filled by one full lookback query on a cold container, then refreshed by a query of the newest
 * windows only, and updated by this container's own writes), the cold-start count read last (a busy
 * target's count is read at most every K ticks), and when the concurrency was read last (a steady target's read
 * backs off: `maxTicksBetweenReads`). Bounded (least recently used targets go first). One lives in
 * module scope for the Lambda container (`CONTAINER_CACHE`); tests inject their own.
 */
export class ContainerCache {
  private readonly past = new Map<string, CachedPast>();
  private readonly cold = new Map<string, CachedColdStarts>();
  private readonly reads = new Map<string, ConcurrencyReadState>();

  constructor(readonly capacity = CONTAINER_CACHE_TARGETS) {}

  /** Targets with cached past decisions. */
  get size(): number {
    return this.past.size;
  }

  pastOf(scope: string, target: string): CachedPast | undefined {
    return touch(this.past, keyOf(scope, target));
  }

  /** Replaces (or creates) a target's cached records. */
  setPast(scope: string, target: string, records: Iterable<DecisionRecord>): CachedPast {
    const entry: CachedPast = { records: new Map([...records].map((r) => [r.windowStartMs, r])) };
    put(this.past, keyOf(scope, target), entry, this.capacity);
    return entry;
  }

  /** A record this container wrote or read: kept only where the target is cached already (a full read fills it). */
  remember(scope: string, record: DecisionRecord): void {
    this.past.get(keyOf(scope, record.target))?.records.set(record.windowStartMs, record);
  }

  coldStartsOf(scope: string, target: string): CachedColdStarts | undefined {
    return touch(this.cold, keyOf(scope, target));
  }

  setColdStarts(scope: string, target: string, value: CachedColdStarts): void {
    put(this.cold, keyOf(scope, target), value, this.capacity);
  }

  concurrencyReadOf(scope: string, target: string): ConcurrencyReadState | undefined {
    return touch(this.reads, keyOf(scope, target));
  }

  setConcurrencyRead(scope: string, target: string, value: ConcurrencyReadState): void {
    put(this.reads, keyOf(scope, target), value, this.capacity);
  }

  /** Forgets everything (a cold container). */
  clear(): void {
    this.past.clear();
    this.cold.clear();
    this.reads.clear();
  }
}

/** The cache of this Lambda container: module scope, so it lives as long as the container does. */
export const CONTAINER_CACHE = new ContainerCache();

function keyOf(scope: string, target: string): string {
  return `${scope}\u0000${target}`;
}

function touch<V>(map: Map<string, V>, key: string): V | undefined {
  const v = map.get(key);
  if (v !== undefined) {
    map.delete(key);
    map.set(key, v);
  }
  return v;
}

function put<V>(map: Map<string, V>, key: string, value: V, capacity: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > Math.max(1, capacity)) map.delete(map.keys().next().value as string);
}

/**
 * The store, with every record this container writes or finds (a duplicate's existing record, an outcome)
 * kept in the cache too, as DynamoDB will return it (a JSON round trip: non-finite numbers become null).
 */
export function rememberingStore(store: DecisionStore, cache: ContainerCache, scope: string): DecisionStore {
  return {
    putDecision: async (record, options = {}) => {
      const put = await store.putDecision(record, options);
      cache.remember(scope, asStored(put.created ? record : put.existing));
      return put;
    },
    recordOutcome: async (target, windowStartMs, outcome, options = {}) => {
      await store.recordOutcome(target, windowStartMs, outcome, options);
      const cached = cache.pastOf(scope, target)?.records.get(windowStartMs);
      if (cached) cache.remember(scope, { ...cached, outcome: asStored(outcome) });
    },
    listDecisions: (target, options = {}) => store.listDecisions(target, options),
  };
}

function asStored<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
