import { MAX_HOLD_MS } from '../config/limits.js';
import type { Prices, TargetConfig } from '../config/types.js';
import type { Decision } from '../decision/types.js';
import { requireNumber } from './guard.js';
import { pingRoundCost, provisionedConcurrencyCost } from './lambda.js';
import { monthlyFromWindow, SECONDS_PER_MONTH } from './month.js';
import type { PingRoundCost, ProvisionedConcurrencyCost } from './types.js';

/**
 * What `decisionCost` needs of a decision. A `Decision` fits as is; the optional fields are facts known only
 * after (or while) acting, and replace the upper-bound assumptions when given.
 */
export interface DecisionCostInput {
  readonly count: Decision['count'];
  readonly dryRun?: boolean | undefined;
  /** The hold the fan-out really used, in ms. */
  readonly holdMs?: number | undefined;
  /** Pings that started a new container (e.g. count − containers already warm). */
  readonly newContainers?: number | undefined;
}

export const HOLD_SOURCES = {
  /** Given with the decision. */
  decision: 'decision',
  /** The target's fixed `holdMs`. */
  target: 'target',
  /** The target's hold is `auto` and none was given: priced at MAX_HOLD_MS, an upper bound. */
  cap: 'cap',
} as const;
export type HoldSource = (typeof HOLD_SOURCES)[keyof typeof HOLD_SOURCES];

export interface DecisionCost {
  readonly windowSeconds: number;
  readonly count: number;
  readonly holdMs: number;
  readonly holdSource: HoldSource;
  readonly newContainers: number;
  /** True when `newContainers` was not given and every ping is assumed to start a container (upper bound). */
  readonly newContainersAssumed: boolean;
  /** One round of `count` pings, priced as if executed (even in a dry run, so the figure can be previewed). */
  readonly warming: PingRoundCost;
  /** What the tick really spends on warming: 0 in a dry run, else `warming.totalUsd`. */
  readonly spentUsd: number;
  /** Provisioned Concurrency at the same count for the same window (5-minute billing steps). */
  readonly provisioned: ProvisionedConcurrencyCost;
  /** `warming.totalUsd` every tick for a 30-day month. */
  readonly warmingMonthlyUsd: number;
  /** Provisioned Concurrency held at the same count for a 30-day month. */
  readonly provisionedMonthlyUsd: number;
}

/**
 * The dollars of one decision: one tick's round of pings, and for comparison Provisioned Concurrency at the same
 * count over the same window. The controller's own tick cost is shared by all targets: see `controllerTickCost`.
 * Where facts are not known yet the figures are upper bounds, and the result says which were assumed.
 */
export function decisionCost(
  decision: DecisionCostInput,
  target: Pick<TargetConfig, 'holdMs' | 'memoryMb' | 'architecture' | 'initMs'>,
  prices: Prices,
  tickIntervalSeconds: number,
): DecisionCost {
  requireNumber('tickIntervalSeconds', tickIntervalSeconds, 'number', true);
  requireNumber('count', decision.count, 'integer');
  const [holdMs, holdSource]: [number, HoldSource] =
    decision.holdMs !== undefined
      ? [decision.holdMs, 'decision']
      : target.holdMs === 'auto'
        ? [MAX_HOLD_MS, 'cap']
        : [target.holdMs, 'target'];
  const newContainers = decision.newContainers ?? decision.count;
  const warming = pingRoundCost(
    {
      pings: decision.count,
      holdMs,
      memoryMb: target.memoryMb,
      architecture: target.architecture,
      newContainers,
      initMs: target.initMs,
    },
    prices,
  );
  const pc = (seconds: number) =>
    provisionedConcurrencyCost(
      { count: decision.count, memoryMb: target.memoryMb, seconds, architecture: target.architecture },
      prices,
    );
  return {
    windowSeconds: tickIntervalSeconds,
    count: decision.count,
    holdMs,
    holdSource,
    newContainers,
    newContainersAssumed: decision.newContainers === undefined,
    warming,
    spentUsd: decision.dryRun ? 0 : warming.totalUsd,
    provisioned: pc(tickIntervalSeconds),
    warmingMonthlyUsd: monthlyFromWindow(warming.totalUsd, tickIntervalSeconds),
    provisionedMonthlyUsd: pc(SECONDS_PER_MONTH).totalUsd,
  };
}
