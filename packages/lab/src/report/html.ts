import type { BacktestResult, FunctionSeries } from '../backtest/types.js';
import { paretoChart } from './pareto.js';
import { barChart, downsampleMax, escapeXml, lineChart } from './svg.js';

export interface ReportOptions {
  /** How many functions get their own chart (highest estimated peak first). Default 12. */
  readonly maxFunctions?: number;
  /** The policy whose forecast and warm count are drawn against the actual concurrency. Default `warmpool`. */
  readonly policy?: string;
  /** Points per chart line (longer traces are reduced by bucket maximum). Default 720. */
  readonly points?: number;
}

/** Repeats each per-tick value `per` times so a tick series lines up with the per-minute one. */
function perMinute(ticks: ArrayLike<number>, per: number, minutes: number): Float64Array {
  const out = new Float64Array(minutes).fill(Number.NaN);
  for (let m = 0; m < minutes; m++) out[m] = ticks[Math.floor(m / per)] ?? Number.NaN;
  return out;
}

function functionChart(s: FunctionSeries, policy: string, intervalMin: number, points: number): string {
  const p = s.policies[policy];
  const minutes = s.actual.length;
  const lines = [{ label: 'actual concurrency', color: '#333', values: downsampleMax(s.actual, points) }];
  if (p) {
    lines.push({
      label: `${policy} forecast`,
      color: '#f28e2b',
      values: downsampleMax(perMinute(p.forecast, intervalMin, minutes), points),
    });
    lines.push({
      label: `${policy} warm count`,
      color: '#59a14f',
      values: downsampleMax(perMinute(p.warm, intervalMin, minutes), points),
    });
  }
  const oracle = s.policies.oracle;
  if (oracle && policy !== 'oracle') {
    lines.push({
      label: 'oracle warm',
      color: '#bab0ac',
      values: downsampleMax(perMinute(oracle.warm, intervalMin, minutes), points),
    });
  }
  const colds = Object.entries(s.policies)
    .map(([name, v]) => `${escapeXml(name)} ${v.coldStarts}`)
    .join(' · ');
  const short = s.id.length > 24 ? `${s.id.slice(0, 16)}…` : s.id;
  return `<section class="function" data-function="${escapeXml(s.id)}"><h3 title="${escapeXml(s.id)}">${escapeXml(short)} <small>estimated peak ${s.estimatedPeak.toFixed(1)}</small></h3>${lineChart(`${short}: concurrency per minute (bucket maxima)`, lines)}<p class="colds">cold starts: ${colds}</p></section>`;
}

/**
 * A self-contained HTML page (inline SVG and CSS, no scripts, no external assets): cold starts and cost per
 * policy, then per function the actual concurrency against the forecast and warm count of one policy.
 */
export function renderReport(result: BacktestResult, options: ReportOptions = {}): string {
  const d = result.document;
  const policy = options.policy ?? 'warmpool';
  const points = options.points ?? 720;
  const intervalMin = d.interval_s / 60;
  const rows = d.policies
    .map(
      (p) =>
        `<tr data-policy="${escapeXml(p.name)}"><td>${escapeXml(p.name)}</td><td>${p.invocations}</td><td>${p.cold_starts}</td><td>${(100 * p.cold_start_rate).toFixed(2)}%</td><td>${p.interference_cold_starts}</td><td>${p.pings}</td><td>${p.warming_usd_month.toFixed(2)}</td><td>${p.provisioned_usd_month.toFixed(2)}</td><td>${p.running_usd_month.toFixed(2)}</td><td>${p.total_usd_month.toFixed(2)}</td><td>${p.metrics_per_target_tick.toFixed(2)}</td><td>${p.cold_starts_vs_oracle ?? '–'}</td></tr>`,
    )
    .join('');
  const bars = barChart(
    'User-felt cold starts per policy',
    d.policies.map((p) => ({
      label: p.name,
      value: p.cold_starts,
      note: `${p.cold_starts} (${p.interference_cold_starts} interference)`,
    })),
  );
  const costBars = barChart(
    'The whole bill: warming + Provisioned Concurrency + what it runs on, USD per month',
    d.policies.map((p) => ({
      label: p.name,
      value: p.total_usd_month,
      note: `$${p.total_usd_month.toFixed(2)}`,
    })),
  );
  const none = d.policies.find((p) => p.name === 'none');
  const pareto = none
    ? paretoChart(
        'Cold starts avoided against the whole bill, one point per policy',
        d.policies.map((p) => ({
          name: p.name,
          avoided: none.cold_starts - p.cold_starts,
          usdMonth: p.total_usd_month,
        })),
      )
    : '<p>No <code>none</code> policy was run: cold starts avoided cannot be counted.</p>';
  const fns = [...result.series]
    .sort((a, b) => b.estimatedPeak - a.estimatedPeak)
    .slice(0, options.maxFunctions ?? 12)
    .map((s) => functionChart(s, policy, intervalMin, points))
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Warmpool backtest: ${escapeXml(d.trace)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}small{color:#777;font-weight:normal}svg{display:block;margin:8px 0}</style>
</head><body>
<h1>Warmpool backtest: ${escapeXml(d.trace)}</h1>
<p>${d.functions.length} function(s), seed ${d.seed}, tick every ${d.interval_s} s, idle reap ${d.idle_s} s, ${d.span_days} day(s) simulated; ${d.modes.invocations} replayed per invocation, ${d.modes.aggregate} in aggregate (M/G/∞) mode.</p>
<h2 id="policies">Policies</h2>
<table id="policies"><thead><tr><th>policy</th><th>invocations</th><th>cold starts</th><th>rate</th><th>interference</th><th>pings</th><th>warming $/mo</th><th>PC $/mo</th><th>running $/mo</th><th>total $/mo</th><th>metrics / target / tick</th><th>× oracle</th></tr></thead><tbody>${rows}</tbody></table>
<h2 id="cost-and-benefit">Cost and benefit</h2>
<p>Every dollar a policy needs: its pings (or Provisioned Concurrency), plus what it runs on: a controller's metric reads, DynamoDB and invocations, or a fixed warmer's scheduled function. The orange line joins the policies no other beats on both axes; the dashed green one does the same without the references (oracle, oracle-unheld), which no one can deploy.</p>
${pareto}
${bars}
${costBars}
<h2 id="per-function">Per function: actual concurrency, ${escapeXml(policy)} forecast and warm count</h2>
${fns || '<p>No per-function series were kept.</p>'}
</body></html>
`;
}
