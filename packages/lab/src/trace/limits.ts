/**
 * Bounds on what a trace may ask the simulator to replay. A trace of under 100 bytes could otherwise ask for
 * 1e308 invocations or a span of 1e11 s, and hang, exhaust memory, or die on an array length.
 */
export const TRACE_LIMITS = {
  /**
   * Longest span a trace may cover: 63 days, as long as CloudWatch keeps 5-minute data. At most one request a
   * second is replayed one by one (faster functions are replayed per minute), so this also bounds a
   * per-invocation replay to about 5.4 million invocations per function.
   */
  maxSpanMs: 63 * 86_400_000,
  /**
   * Most arrivals one bin may hold: 1e8, about a thousand times the Invoke rate limit of a default account
   * (10,000 a second) over a minute; a larger count is a unit or parsing mistake.
   */
  maxBinCount: 100_000_000,
  /** Most (function × bin) cells a binned trace may expand to: 20 million numbers, 160 MB. */
  maxCells: 20_000_000,
} as const;

const DAY_MS = 86_400_000;

/** The rule text for a span over the limit. */
export function spanRule(spanMs: number): string {
  return `the trace would span ${(spanMs / DAY_MS).toPrecision(3)} days; at most ${TRACE_LIMITS.maxSpanMs / DAY_MS} days are replayed`;
}
