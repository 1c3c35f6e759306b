import type { PolicyResult } from '@warmpool/lab';

/**
 * The policy comparison table of `warmpool backtest` and `warmpool demo`: one row per policy, name left, figures
 * right-aligned. `countLabel` names the count column (the backtest replays invocations, the demo real requests).
 */
export function policyTable(policies: readonly PolicyResult[], countLabel: string): string[] {
  const header = [
    'policy',
    countLabel,
    'cold starts',
    'cold %',
    'interference',
    'pings',
    'warming $/mo',
    'PC $/mo',
    'running $/mo',
    'total $/mo',
    'metrics/tick',
    'x oracle',
  ];
  const body = policies.map((p) => [
    p.name,
    String(p.invocations),
    String(p.cold_starts),
    `${(100 * p.cold_start_rate).toFixed(2)}%`,
    String(p.interference_cold_starts),
    String(p.pings),
    p.warming_usd_month.toFixed(2),
    p.provisioned_usd_month.toFixed(2),
    p.running_usd_month.toFixed(2),
    p.total_usd_month.toFixed(2),
    p.metrics_per_target_tick.toFixed(2),
    p.cold_starts_vs_oracle === null ? '-' : p.cold_starts_vs_oracle.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ');
  return [line(header), ...body.map(line)];
}
