import type { TargetConfig } from '@warmpool/core';

/** Why a target got fewer pings than decided from the tick's shared budget. Recorded on its fan-out result. */
export interface BudgetCut {
  readonly wanted: number;
  readonly granted: number;
  /** The account's unreserved concurrency (GetAccountSettings `UnreservedConcurrentExecutions`). */
  readonly pool: number;
  /** The target's `budget.share`: all pings of the tick together stay within share × pool. */
  readonly share: number;
  /** Pings other targets had already claimed this tick. */
  readonly claimedByOthers: number;
  readonly why: string;
}

export interface BudgetGrant {
  readonly granted: number;
  readonly cut: BudgetCut | null;
}

/**
 * One budget for every target of a tick that draws on the account's unreserved pool (a function without
 * reserved concurrency). Per-target budgets alone let ten targets each take 20% of the pool, 200% together;
 * here all pings of the tick together stay within `share × UnreservedConcurrentExecutions`, with each
 * target's own share as its bound, so real traffic keeps the rest. A function with reserved concurrency has a
 * pool of its own (budgeted by `decide()`) and takes nothing from this one. Claims are first come, first
 * served, and held for the whole tick: the rounds of a tick overlap.
 */
export class SharedBudget {
  private claimed = 0;

  /** `unreserved`: UnreservedConcurrentExecutions, or null when unknown (then nothing is cut). */
  constructor(readonly unreserved: number | null) {}

  get claimedTotal(): number {
    return this.claimed;
  }

  claim(target: TargetConfig, wanted: number, reservedConcurrency: number | null): BudgetGrant {
    if (wanted <= 0 || reservedConcurrency !== null || this.unreserved === null)
      return { granted: Math.max(0, wanted), cut: null };
    const share = Math.min(1, Math.max(0, target.budget.share));
    const limit = Math.floor(share * Math.max(0, this.unreserved) + 1e-9);
    const before = this.claimed;
    const granted = Math.max(0, Math.min(wanted, limit - before));
    this.claimed += granted;
    if (granted >= wanted) return { granted, cut: null };
    return {
      granted,
      cut: {
        wanted,
        granted,
        pool: this.unreserved,
        share,
        claimedByOthers: before,
        why:
          `shared budget: ${share} x ${this.unreserved} unreserved = ${limit} pings for the whole tick, ` +
          `${before} already claimed by other targets; granted ${granted} of ${wanted}`,
      },
    };
  }
}
