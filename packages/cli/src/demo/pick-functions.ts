import { ValidationError } from '@warmpool/core';
import {
  AGGREGATE_ABOVE_RPS,
  type FunctionSelection,
  type SelectedFunction,
  selectFunctions,
  type Trace,
  type TraceFunction,
} from '@warmpool/lab';

/** How the demo picks functions when `--functions` is not given. */
export const DEMO_PICK = {
  count: 3,
  /** Most functions `--functions` may select: each is replayed request by request and warmed for real. */
  maxFunctions: 8,
  /** Worth warming: at least two containers busy at the peak (estimated as in `warmpool backtest`). */
  minEstimatedPeak: 2,
  /** A daily pattern, not a single burst: traffic in at least this many hours of the day... */
  minActiveHours: 8,
  /** ...and a busiest hour at least this many times the mean hour (quiet and busy parts of the day). */
  minPeakToMeanHour: 2,
} as const;

function hourlyCounts(trace: Trace, fn: TraceFunction): number[] {
  const perHour = Math.max(1, Math.round(3_600 / trace.binSeconds));
  const out: number[] = [];
  const counts = fn.counts ?? [];
  for (let i = 0; i < counts.length; i++) {
    const h = Math.floor(i / perHour);
    const c = counts[i] as number;
    out[h] = (out[h] ?? 0) + (Number.isFinite(c) && c > 0 ? c : 0);
  }
  return out;
}

/** Daily variation of a binned function: active hours and busiest hour over the mean hour. */
export function dailyVariation(trace: Trace, fn: TraceFunction): { activeHours: number; peakToMean: number } {
  const hours = hourlyCounts(trace, fn);
  const total = hours.reduce((s, c) => s + c, 0);
  if (hours.length === 0 || total === 0) return { activeHours: 0, peakToMean: 0 };
  return {
    activeHours: hours.filter((c) => c > 0).length,
    peakToMean: Math.max(...hours) / (total / hours.length),
  };
}

/**
 * The functions the demo replays. `auto`: the `DEMO_PICK.count` busiest functions (by invocations) among those
 * with a real daily pattern, an estimated peak concurrency of at least 2, and few enough requests to replay one
 * by one (under AGGREGATE_ABOVE_RPS on average, like the simulator's per-invocation mode). Otherwise the
 * selection means what it means in `warmpool backtest`.
 */
export function pickDemoFunctions(trace: Trace, selection: FunctionSelection | 'auto'): SelectedFunction[] {
  if (selection !== 'auto') {
    let picked: SelectedFunction[];
    try {
      picked = selectFunctions(trace, selection);
    } catch (e) {
      if (e instanceof ValidationError)
        throw new ValidationError('--functions', e.rule, { detail: e.message });
      throw e;
    }
    if (picked.length > DEMO_PICK.maxFunctions) {
      throw new ValidationError(
        '--functions',
        `selects at most ${DEMO_PICK.maxFunctions} functions (each is a simulated Lambda function and a controller target)`,
        { detail: `got ${picked.length}` },
      );
    }
    return picked;
  }
  const spanS = trace.durationMs / 1000;
  const candidates = selectFunctions(trace, 'all', DEMO_PICK.minEstimatedPeak)
    .map((s) => {
      const total = (s.fn.counts ?? []).reduce((a, c) => a + (Number.isFinite(c) && c > 0 ? c : 0), 0);
      return { s, total, v: dailyVariation(trace, s.fn) };
    })
    .filter(
      ({ total, v }) =>
        total / spanS < AGGREGATE_ABOVE_RPS &&
        v.activeHours >= DEMO_PICK.minActiveHours &&
        v.peakToMean >= DEMO_PICK.minPeakToMeanHour,
    )
    .sort((a, b) => b.total - a.total || a.s.fn.id.localeCompare(b.s.fn.id));
  if (candidates.length === 0)
    throw new ValidationError(
      '--functions',
      'must be given: no function of this trace fits the demo by default',
      {
        detail: trace.name,
      },
    );
  return candidates.slice(0, DEMO_PICK.count).map((c) => c.s);
}
