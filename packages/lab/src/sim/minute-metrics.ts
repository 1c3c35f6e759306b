import { type MetricSeries, MINUTE_METRICS, type MinuteMetricName } from './types.js';

export const MINUTE_MS = 60_000;

/** How a minute in which nothing was invoked reads: CloudWatch returns no datapoint (`missing`). */
export const EMPTY_MINUTES = { missing: 'missing', zero: 'zero' } as const;
export type EmptyMinutes = (typeof EMPTY_MINUTES)[keyof typeof EMPTY_MINUTES];

export interface MetricQueryOptions {
  /** Default `missing`, as CloudWatch: a minute with no invocations (pings included) has no datapoint. */
  readonly empty?: EmptyMinutes;
}

const NAMES = Object.values(MINUTE_METRICS);

/**
 * Per-minute metrics of one simulated function, as CloudWatch would aggregate them, with the reporting lag
 * applied at query time. Minutes are whole epoch minutes; index 0 is the minute containing `startMs`.
 */
export class MinuteMetrics {
  /** Epoch ms of minute 0. */
  readonly originMs: number;
  readonly lagMs: number;
  private readonly data: Record<MinuteMetricName, number[]>;

  constructor(startMs: number, lagMs: number) {
    this.originMs = Math.floor(startMs / MINUTE_MS) * MINUTE_MS;
    this.lagMs = lagMs;
    this.data = Object.fromEntries(NAMES.map((n) => [n, [] as number[]])) as unknown as Record<
      MinuteMetricName,
      number[]
    >;
  }

  /** Number of minutes recorded so far. */
  get length(): number {
    return this.data.concurrency.length;
  }

  /** Index of the minute containing `tMs`. */
  minuteOf(tMs: number): number {
    return Math.floor((tMs - this.originMs) / MINUTE_MS);
  }

  /** Makes sure minute `m` exists; new minutes start at 0 except `concurrency`/`containers`, seeded by the caller. */
  ensure(m: number, concurrencyAtStart: number, containersAtStart: number): void {
    const d = this.data;
    while (d.concurrency.length <= m) {
      for (const n of NAMES) d[n].push(0);
      const i = d.concurrency.length - 1;
      d.concurrency[i] = concurrencyAtStart;
      d.containers[i] = containersAtStart;
    }
  }

  add(name: MinuteMetricName, m: number, by = 1): void {
    const arr = this.data[name];
    arr[m] = (arr[m] as number) + by;
  }

  max(name: MinuteMetricName, m: number, value: number): void {
    const arr = this.data[name];
    if (value > (arr[m] as number)) arr[m] = value;
  }

  /** The raw per-minute values, no lag, no missing minutes (for reports and oracles, not for policies). */
  raw(name: MinuteMetricName): readonly number[] {
    return this.data[name];
  }

  /**
   * What a reader at `nowMs` would get for minutes overlapping [fromMs, toMs): a minute is visible once
   * `nowMs >= minuteEnd + lagMs`; later minutes, and minutes before the simulation or after the last
   * recorded one, come back `null`.
   */
  query(
    name: MinuteMetricName,
    fromMs: number,
    toMs: number,
    nowMs: number,
    options?: MetricQueryOptions,
  ): MetricSeries {
    const first = this.minuteOf(fromMs);
    const end = Math.ceil((toMs - this.originMs) / MINUTE_MS);
    const visibleEnd = Math.min(Math.floor((nowMs - this.lagMs - this.originMs) / MINUTE_MS), this.length);
    const arr = this.data[name];
    const inv = this.data.invocations;
    const zero = options?.empty === EMPTY_MINUTES.zero;
    const values: (number | null)[] = [];
    for (let m = first; m < end; m++) {
      if (m < 0 || m >= visibleEnd) {
        values.push(null);
        continue;
      }
      const v = arr[m] as number;
      const active = (inv[m] as number) > 0 || v > 0;
      values.push(active || zero ? v : null);
    }
    return { startMs: this.originMs + first * MINUTE_MS, values };
  }
}
