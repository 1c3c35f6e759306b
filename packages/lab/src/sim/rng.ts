/**
 * A small seeded PRNG (mulberry32): fast, 32-bit state, good enough for spreading arrivals and drawing
 * durations. Same seed, same sequence, on every platform.
 */
export type Rng = () => number;

export function createRng(seed: number): Rng {
  let a = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives an independent seed for a sub-stream (e.g. one per function) from a base seed and a label. */
export function deriveSeed(seed: number, label: string): number {
  let h = (Math.floor(seed) ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
