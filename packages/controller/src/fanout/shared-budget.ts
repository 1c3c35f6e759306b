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
  /** Set once a round met ConcurrentInvocationLimitExceeded: the account pool is full, nobody claims more. */
  private full: string | null = null;

  /** `unreserved`: UnreservedConcurrentExecutions, or null when unknown (then nothing is cut). */
  constructor(readonly unreserved: number | null) {}

  get claimedTotal(): number {
    return this.claimed;
  }

  /**
   * A round on the unreserved pool met `ConcurrentInvocationLimitExceeded`: the pool real traffic draws on is
   * full, so every later claim of this tick is cut to 0, not only that target's round.
   */
  markFull(byTarget: string): void {
    this.full ??= byTarget;
  }

  claim(target: TargetConfig, wanted: number, reservedConcurrency: number | null): BudgetGrant {
    if (wanted <= 0 || reservedConcurrency !== null) return { granted: Math.max(0, wanted), cut: null };
    if (this.full !== null)
      return {
        granted: 0,
        cut: {
          wanted,
          granted: 0,
          pool: this.unreserved ?? 0,
          share: target.budget.share,
          claimedByOthers: this.claimed,
          why: `the account's pool is full: ${this.full} met ConcurrentInvocationLimitExceeded this tick`,
        },
      };
    if (this.unreserved === null) return { granted: wanted, cut: null };
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
