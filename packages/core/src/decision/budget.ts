import type { BudgetConfig } from '../config/types.js';
import type { CapacityObservation } from './types.js';

/**
 * The most containers warming may take: floor(share × pool), where the pool is the function's reserved
 * concurrency (`reserved`) or the account's unreserved concurrency (`unreserved`). Null when that pool is
 * unknown (no reserved concurrency set, or not read): no budget cap can be derived, and `max` is the bound.
 */
export function budgetLimit(budget: BudgetConfig, capacity: CapacityObservation | undefined): number | null {
  const pool =
    budget.source === 'unreserved' ? capacity?.unreservedConcurrency : capacity?.reservedConcurrency;
  if (typeof pool !== 'number' || !Number.isFinite(pool)) return null;
  const share = Number.isFinite(budget.share) ? Math.min(1, Math.max(0, budget.share)) : 0;
  return Math.max(0, Math.floor(share * Math.max(0, pool) + 1e-9));
}
