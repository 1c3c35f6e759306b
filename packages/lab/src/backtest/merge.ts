import { ValidationError } from '@warmpool/core';
import type { BacktestDocument, PolicyResult } from './types.js';

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Combines documents of the same trace, settings and policies run on disjoint sets of functions (e.g. by
 * worker threads) into the document one run over all of them would give: counts and costs summed, rates and
 * ratios recomputed, throughput = all replayed invocations over the longest wall time.
 */
export function mergeBacktestDocuments(docs: readonly BacktestDocument[]): BacktestDocument {
  const first = docs[0];
  if (!first) throw new ValidationError('documents', 'must not be empty');
  const names = first.policies.map((p) => p.name);
  for (const d of docs) {
    if (
      d.trace !== first.trace ||
      d.seed !== first.seed ||
      d.interval_s !== first.interval_s ||
      d.idle_s !== first.idle_s ||
      d.policies.map((p) => p.name).join() !== names.join()
    ) {
      throw new ValidationError('documents', 'must share trace, seed, interval, idle and policies');
    }
  }
  const sum = (name: string, key: keyof PolicyResult) =>
    docs.reduce((s, d) => s + (d.policies.find((p) => p.name === name)?.[key] as number), 0);
  const cold = (name: string) => (names.includes(name) ? sum(name, 'cold_starts') : null);
  const oracle = cold('oracle');
  const none = cold('none');
  const policies: PolicyResult[] = names.map((name) => {
    const invocations = sum(name, 'invocations');
    const coldStarts = sum(name, 'cold_starts');
    const avoidable = none !== null && oracle !== null ? none - oracle : 0;
    return {
      name,
      invocations,
      cold_starts: coldStarts,
      cold_start_rate: invocations ? coldStarts / invocations : 0,
      interference_cold_starts: sum(name, 'interference_cold_starts'),
      pings: sum(name, 'pings'),
      warming_usd_month: round(sum(name, 'warming_usd_month'), 4),
      provisioned_usd_month: round(sum(name, 'provisioned_usd_month'), 4),
      prewarms: sum(name, 'prewarms'),
      cold_starts_vs_oracle: oracle ? round(coldStarts / oracle, 4) : null,
      avoided_share_of_oracle:
        none !== null && avoidable > 0 ? round((none - coldStarts) / avoidable, 4) : null,
      runs_on: first.policies.find((p) => p.name === name)?.runs_on ?? 'nothing',
      // Every function of a trace runs the same number of ticks: weight each document by its functions.
      metrics_per_target_tick: round(
        docs.reduce(
          (s, d) =>
            s + (d.policies.find((p) => p.name === name)?.metrics_per_target_tick ?? 0) * d.functions.length,
          0,
        ) /
          Math.max(
            1,
            docs.reduce((s, d) => s + d.functions.length, 0),
          ),
        4,
      ),
      running_usd_month: round(sum(name, 'running_usd_month'), 4),
      total_usd_month: round(sum(name, 'total_usd_month'), 4),
    };
  });
  const elapsedMs = Math.max(...docs.map((d) => d.elapsed_ms));
  const replayed = docs.reduce((s, d) => s + (d.simulated_invocations_per_second * d.elapsed_ms) / 1000, 0);
  return {
    trace: first.trace,
    functions: docs.flatMap((d) => d.functions),
    seed: first.seed,
    interval_s: first.interval_s,
    idle_s: first.idle_s,
    policies,
    duration_ms_default: first.duration_ms_default,
    span_days: Math.max(...docs.map((d) => d.span_days)),
    modes: {
      invocations: docs.reduce((s, d) => s + d.modes.invocations, 0),
      aggregate: docs.reduce((s, d) => s + d.modes.aggregate, 0),
    },
    simulated_invocations_per_second: elapsedMs > 0 ? Math.round(replayed / (elapsedMs / 1000)) : 0,
    elapsed_ms: elapsedMs,
  };
}
