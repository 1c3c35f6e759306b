import type { DecisionRecord } from '@warmpool/controller';
import { forecastMade } from '@warmpool/core';

/** One row of `warmpool decisions`: a window's decision next to what the following tick saw of it. */
export interface DecisionRow {
  readonly record: DecisionRecord;
  /** Peak concurrency and cold starts of this window, from the next tick's `observed` (null if not yet read). */
  readonly actual: {
    readonly peakConcurrency: number | null;
    /** Real traffic's peak (pings masked); falls back to the raw peak on records that lack it. */
    readonly realPeak: number | null;
    readonly coldStarts: number;
  } | null;
}

/** Joins each window with the actuals the next record observed for it. `records` newest first. */
export function toRows(records: readonly DecisionRecord[]): DecisionRow[] {
  const observedFor = new Map<number, NonNullable<DecisionRecord['observed']>>();
  for (const r of records) if (r.observed) observedFor.set(r.observed.windowStartMs, r.observed);
  return records.map((record) => {
    const o = observedFor.get(record.windowStartMs);
    if (!o) return { record, actual: null };
    const realPeak = o.realPeak === undefined ? o.peakConcurrency : o.realPeak;
    return { record, actual: { peakConcurrency: o.peakConcurrency, realPeak, coldStarts: o.coldStarts } };
  });
}

const num = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);

function windowLabel(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function reached(r: DecisionRecord): string {
  if (!r.outcome) return 'pending';
  if (r.outcome.status === 'dry-run') return 'dry-run';
  // A short round is labelled: fewer containers than decided is not a full warm round.
  if (r.outcome.fanOut)
    return `${r.outcome.fanOut.distinctContainers}${r.outcome.status === 'short' ? ' short' : ''}`;
  return r.outcome.status === 'nothing-to-warm' ? '0' : 'failed';
}

/** The table: window, forecast, model, headroom, decided, reached, cold starts, reasons (newest first). */
export function renderTable(rows: readonly DecisionRow[]): string {
  const header = [
    'window (UTC)',
    'forecast',
    'model',
    'headroom',
    'decided',
    'reached',
    'cold starts',
    'reasons',
  ];
  const body = rows.map(({ record: r, actual }) => [
    windowLabel(r.windowStartMs),
    // A kept decision (read deferred, metrics missing) made no forecast: '-' rather than a forecast of 0.
    forecastMade(r.decision) ? num(r.decision.forecast.peak, 1) : '-',
    forecastMade(r.decision) ? r.decision.forecast.model : '-',
    num(r.decision.headroom, 2),
    String(r.decision.count),
    reached(r),
    actual ? String(actual.coldStarts) : '-',
    r.decision.reasons.map((x) => x.code).join(',') +
      (r.degraded.length ? ` [degraded: ${r.degraded.join('; ')}]` : ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * Three sparklines on one scale, oldest window on the left: the forecast peak, the actual peak of real traffic
 * the next tick observed (the pings' own minutes masked, so a met forecast is not just the pings read back;
 * `·` where not yet observed, or, for the forecast, where the tick kept the last decision) and the warm count
 * reached.
 */
export function renderChart(rows: readonly DecisionRow[], width = 72): string {
  const chrono = [...rows].reverse().slice(-width);
  if (chrono.length === 0) return '';
  const forecast = chrono.map((r) =>
    forecastMade(r.record.decision) ? r.record.decision.forecast.peak : null,
  );
  const actual = chrono.map((r) => r.actual?.realPeak ?? null);
  const warm = chrono.map((r) => {
    const f = r.record.outcome?.fanOut;
    return f ? f.distinctContainers : r.record.outcome?.status === 'warmed' ? r.record.decision.count : 0;
  });
  const top = Math.max(1, ...forecast.map((f) => f ?? 0), ...warm, ...actual.map((a) => a ?? 0));
  const spark = (vs: readonly (number | null)[]) =>
    vs
      .map((v) =>
        v === null
          ? '·'
          : BARS[Math.min(BARS.length - 1, Math.round((Math.max(0, v) / top) * (BARS.length - 1)))],
      )
      .join('');
  const from = windowLabel(chrono[0]?.record.windowStartMs ?? 0);
  const to = windowLabel(chrono.at(-1)?.record.windowStartMs ?? 0);
  return [
    `forecast ${spark(forecast)}`,
    `actual   ${spark(actual)}`,
    `warm     ${spark(warm)}`,
    `         ${from} … ${to}, scale 0–${num(top, 0)}`,
  ].join('\n');
}
