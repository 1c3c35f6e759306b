import type { PutDecisionResult } from '../ports/decision-store.js';

/**
 * Whether a conditional put that "found" a record found this very tick's own write, still without an outcome:
 * the write landed but its answer was lost, and the SDK's retry (or ours) then hit the condition. That tick is
 * the writer and must carry on; anything else (another tickId, or an outcome already there) is a real duplicate.
 */
export function isOwnUnfinished(put: PutDecisionResult, tickId: string): boolean {
  return !put.created && put.existing.tickId === tickId && put.existing.outcome === null;
}
