import { shardRange, ValidationError, type WarmpoolConfig } from '@warmpool/core';

/** Which slice of the config's targets one invocation runs. */
export interface ShardSpec {
  /** 0-based shard index. */
  readonly index: number;
  /** How many shards the targets are split into. */
  readonly count: number;
}

/** The whole config in one invocation: what a plain scheduled event (no `shard` field) means. */
export const WHOLE: ShardSpec = { index: 0, count: 1 };

/**
 * Reads the shard an event asks for. An event without `shard` and `shards` (the plain EventBridge scheduled
 * event of an unsharded deployment, or the CLI) runs every target. Anything else must be two integers with
 * 0 ≤ shard < shards; bad input is a ValidationError naming the field and the rule, thrown before any work.
 */
export function parseShard(event: unknown): ShardSpec {
  if (event === null || typeof event !== 'object') return WHOLE;
  const { shard, shards } = event as { shard?: unknown; shards?: unknown };
  if (shard === undefined && shards === undefined) return WHOLE;
  if (!(Number.isInteger(shards) && (shards as number) >= 1)) {
    throw new ValidationError('shards', 'must be an integer ≥ 1 when shard is given', {
      detail: JSON.stringify(shards ?? null),
    });
  }
  const count = shards as number;
  if (!(Number.isInteger(shard) && (shard as number) >= 0 && (shard as number) < count)) {
    throw new ValidationError('shard', `must be an integer from 0 to shards − 1 (${count - 1})`, {
      detail: JSON.stringify(shard ?? null),
    });
  }
  return { index: shard as number, count };
}

/** The config with only the shard's targets (the tick then reads metrics and decides for exactly those). */
export function shardConfig(config: WarmpoolConfig, shard: ShardSpec): WarmpoolConfig {
  if (shard.count === 1) return config;
  const { start, end } = shardRange(shard.index, shard.count, config.targets.length);
  return { ...config, targets: config.targets.slice(start, end) };
}
