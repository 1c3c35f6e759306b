import { describe, expect, it } from 'vitest';
import { shardRange } from '../src/config.js';

/** Every shard's slice, as the construct cuts `count` targets into `shards`. */
const slices = (shards: number, count: number) =>
  Array.from({ length: shards }, (_, k) => shardRange(k, shards, count));

describe('shardRange', () => {
  it.each([
    [1, 7, [[0, 7]]],
    [
      3,
      101,
      [
        [0, 33],
        [33, 67],
        [67, 101],
      ],
    ],
    [10, 500, Array.from({ length: 10 }, (_, k) => [k * 50, k * 50 + 50])],
    [
      2,
      3,
      [
        [0, 1],
        [1, 3],
      ],
    ],
  ])('%i shards of %i targets: %j', (shards, count, expected) => {
    expect(slices(shards, count).map((r) => [r.start, r.end])).toEqual(expected);
  });

  it('covers every target exactly once, in order, in shards that differ by at most one and hold at most ceil(count / shards)', () => {
    for (let count = 1; count <= 300; count += 7) {
      for (const perShard of [1, 7, 50, 200]) {
        const shards = Math.ceil(count / perShard);
        const cut = slices(shards, count);
        expect(cut[0]?.start).toBe(0);
        expect(cut.at(-1)?.end).toBe(count);
        expect(cut.slice(1).map((r) => r.start)).toEqual(cut.slice(0, -1).map((r) => r.end));
        const sizes = cut.map((r) => r.end - r.start);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(perShard);
        expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
      }
    }
  });
});
