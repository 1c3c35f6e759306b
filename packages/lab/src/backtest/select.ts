import { ValidationError } from '@warmpool/core';
import { DEFAULT_DURATION_MS, estimatedPeakConcurrency } from '../sim/workload.js';
import type { Trace, TraceFunction } from '../trace/types.js';
import type { FunctionSelection } from './types.js';

export interface SelectedFunction {
  readonly fn: TraceFunction;
  readonly estimatedPeak: number;
}

/** Picks functions: all, the top N by estimated peak concurrency, or by id (unknown ids are an error). */
export function selectFunctions(
  trace: Trace,
  selection: FunctionSelection,
  minEstimatedPeak = 0,
  durationMs = DEFAULT_DURATION_MS,
): SelectedFunction[] {
  const all = trace.functions.map((fn) => ({
    fn,
    estimatedPeak: estimatedPeakConcurrency(trace, fn, durationMs),
  }));
  let picked: SelectedFunction[];
  if (selection === 'all') picked = all;
  else if (Array.isArray(selection)) {
    const byId = new Map(all.map((s) => [s.fn.id, s]));
    picked = (selection as readonly string[]).map((id) => {
      const s = byId.get(id);
      if (!s)
        throw new ValidationError('functions', 'must name functions in the trace', {
          detail: `unknown id ${id}`,
        });
      return s;
    });
  } else {
    const { top } = selection as { top: number };
    if (!(Number.isInteger(top) && top > 0))
      throw new ValidationError('functions', 'top:N needs an integer N >= 1');
    picked = [...all]
      .sort((a, b) => b.estimatedPeak - a.estimatedPeak || a.fn.id.localeCompare(b.fn.id))
      .slice(0, top);
  }
  return picked.filter((s) => s.estimatedPeak >= minEstimatedPeak);
}
