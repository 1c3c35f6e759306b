import { forecastMade } from '@warmpool/core';
import { type BacktestResult, type FunctionSeries, type PolicyResult, renderReport } from '@warmpool/lab';
import { renderTable, toRows } from '../cli/commands/decisions-view.js';
import { policyTable } from '../cli/commands/policy-table.js';
import { DEMO_HOLD_MS, DEMO_TICK_MS, type DemoResult } from './run-demo.js';

/** `count` rows spread evenly over `items` (first and last included), in order. */
export function sampleEvenly<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  if (count <= 1) return items.slice(-1);
  const out: T[] = [];
  for (let i = 0; i < count; i++) out.push(items[Math.round((i * (items.length - 1)) / (count - 1))] as T);
  return out;
}

/** The sampled decisions of one target, oldest first, with the actuals the next tick observed. */
export function decisionsTable(records: DemoResult['functions'][number]['records'], rows: number): string {
  // toRows joins each window with the next record's observation; it wants newest first.
  const all = toRows([...records].reverse()).reverse();
  return renderTable(sampleEvenly(all, rows));
}

/** Every policy row side by side: the simulator's, then the two measured through the real controller. */
export function comparisonRows(result: DemoResult): PolicyResult[] {
  return [...result.backtest.document.policies, result.measured.controller, result.measured.unwarmed];
}

export function comparisonTable(rows: readonly PolicyResult[]): string {
  return policyTable(rows, 'requests').join('\n');
}

/** The command that reads what the demo recorded for a target. */
export function decisionsCommandLine(result: DemoResult, target: string, now = Date.now()): string {
  const hours = Math.ceil((now - result.startMs) / 3_600_000) + 1;
  return `pnpm warmpool decisions --demo --target ${target} --since ${hours}h`;
}

/** The human output of `warmpool demo`. */
export function renderDemoText(result: DemoResult, options: { rows: number; report: string }): string {
  const out: string[] = [];
  const spanH = (result.endMs - result.startMs) / 3_600_000;
  const wallS = result.wallMs / 1000;
  out.push(
    `warmpool demo: ${spanH} simulated hour(s) of ${result.trace}, seed ${result.seed}, ${result.functions.length} function(s)`,
  );
  for (const f of result.functions) {
    out.push(
      `  ${f.target.padEnd(18)} trace function ${f.id.slice(0, 12)}…  estimated peak ${f.estimatedPeak.toFixed(1)}  ${f.requests} requests`,
    );
  }
  out.push(
    '',
    `The real controller (Lambda handler, runTick, AWS SDK clients) against the Lambda and CloudWatch stand-ins and an embedded DynamoDB: ${result.ticks} ticks, one every simulated ${DEMO_TICK_MS / 60_000} min, in ${wallS.toFixed(1)} s (${Math.round((spanH * 3600) / Math.max(wallS, 0.001))}x real time); pings hold ${DEMO_HOLD_MS} real ms.`,
  );
  const w = result.wake;
  out.push(
    `  cold-start subscription (emulated): ${w.coldStartsDelivered} cold-start lines delivered to the wake handler; ${w.readsWoken} deferred reads brought forward by them.`,
  );
  const h = result.health;
  if (h.lostWrites || h.metricsFailed || h.timedOut) {
    out.push(
      `  unhealthy ticks: ${h.lostWrites} lost writes, ${h.metricsFailed} failed metric reads, ${h.timedOut} timed out`,
    );
  }
  for (const f of result.functions) {
    out.push(
      '',
      `Decisions for ${f.target}: ${f.records.length} recorded, ${Math.min(options.rows, f.records.length)} shown, spread evenly over the span (cold starts: what the next tick observed)`,
      decisionsTable(f.records, options.rows),
    );
  }
  const c = result.measured;
  const none = result.backtest.document.policies.find((p) => p.name === 'none');
  out.push(
    '',
    "User-felt cold starts and warming cost, same requests and seed: the simulator's policies (backtest), then the real controller and the unwarmed twins measured in this run",
    comparisonTable(comparisonRows(result)),
    '',
    `Measured: the real controller let users feel ${c.controller.cold_starts} cold starts where the same requests on unwarmed twins felt ${c.unwarmed.cold_starts} (the simulator's \`none\`: ${none?.cold_starts ?? '-'}).`,
    `Costs are priced on the ping holds each ran: ${DEMO_HOLD_MS} ms in the demo, the controller's pickHold for each round's size in the simulator.`,
    '',
    `report: ${options.report}`,
    `decisions are in ${result.store.path}; read them with:`,
    ...result.functions.map((f) => `  ${decisionsCommandLine(result, f.target)}`),
  );
  return out.join('\n');
}

/** Per tick of the demo: the controller's forecast and the warm count it reached, for the report's charts. */
function controllerSeries(
  result: DemoResult,
  f: DemoResult['functions'][number],
): { warm: Float64Array; forecast: Float64Array } {
  const warm = new Float64Array(result.ticks);
  const forecast = new Float64Array(result.ticks).fill(Number.NaN);
  for (const r of f.records) {
    const i = Math.round((r.windowStartMs - result.startMs) / DEMO_TICK_MS);
    if (i < 0 || i >= result.ticks) continue;
    // A kept decision made no forecast: a gap in the line, not a drop to 0.
    if (forecastMade(r.decision)) forecast[i] = r.decision.forecast.peak;
    warm[i] = r.outcome?.fanOut?.distinctContainers ?? 0;
  }
  return { warm, forecast };
}

/** The HTML report: core's backtest report, with the measured controller as a policy and its charts. */
export function renderDemoReport(result: DemoResult): string {
  const name = result.measured.controller.name;
  const series: FunctionSeries[] = result.backtest.series.map((s) => {
    const f = result.functions.find((x) => x.id === s.id);
    if (!f) return s;
    return {
      ...s,
      policies: {
        ...s.policies,
        [name]: { ...controllerSeries(result, f), coldStarts: f.warmed.coldStarts },
      },
    };
  });
  const doc: BacktestResult = {
    document: { ...result.backtest.document, policies: comparisonRows(result) },
    series,
  };
  return renderReport(doc, { policy: name })
    .replaceAll('Warmpool backtest:', 'Warmpool demo:')
    .replace(
      '<h2>Policies</h2>',
      `<p>The last two rows were measured in this run: the real controller ticking every ${DEMO_TICK_MS / 60_000} simulated minutes against loopback stand-ins (${result.ticks} ticks, ${(result.wallMs / 1000).toFixed(1)} s), and unwarmed twins of each function given the same requests. The other rows are the simulator's backtest on the same requests and seed.</p>\n<h2>Policies</h2>`,
    );
}

/** The `--json` document. */
export function demoSummary(result: DemoResult, reportPath: string): Record<string, unknown> {
  return {
    trace: result.trace,
    seed: result.seed,
    start: new Date(result.startMs).toISOString(),
    end: new Date(result.endMs).toISOString(),
    ticks: result.ticks,
    wall_ms: Math.round(result.wallMs),
    hold_ms: DEMO_HOLD_MS,
    health: result.health,
    wake: {
      cold_starts_delivered: result.wake.coldStartsDelivered,
      deliveries: result.wake.deliveries,
      reads_woken: result.wake.readsWoken,
    },
    functions: result.functions.map((f) => ({
      id: f.id,
      target: f.target,
      estimated_peak: f.estimatedPeak,
      requests: f.requests,
      decisions: f.records.length,
      cold_starts: f.warmed.coldStarts,
      unwarmed_cold_starts: f.unwarmed.coldStarts,
      pings: f.warmed.pings,
      mean_decided: f.records.length
        ? f.records.reduce((s, r) => s + r.decision.count, 0) / f.records.length
        : 0,
    })),
    policies: comparisonRows(result),
    report: reportPath,
    store: result.store,
    decisions_commands: result.functions.map((f) => decisionsCommandLine(result, f.target)),
  };
}
