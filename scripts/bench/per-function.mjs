// Per-function accountability (issue 13, item 3): every policy on each function alone, so each function gets
// its own cold starts and dollars. Not a bench module itself (no .bench.mjs): 10-backtest.bench.mjs uses it.
// Dollars are the whole bill the backtest prices for a policy (`total_usd_month`): its pings (and PC) plus what it
// runs on (a controller's metric reads, DynamoDB and invocations; a fixed warmer's scheduled function).

/** What a policy costs a month: the whole bill, or the pings and PC for a document without one. */
export const usdOf = (p) => p.total_usd_month ?? p.warming_usd_month + p.provisioned_usd_month;

/** Fixed warmers a user could run instead: fixed-N, fixed-p50/max and ping-one (one cron ping). */
const isFixed = (name) => name.startsWith('fixed') || name === 'ping-one';
/** The policies that may dominate warmpool: the fixed ones and the reactive one. */
const isRival = (name) => isFixed(name) || name === 'reactive';
/** Within floating-point noise, the same cost. */
const EPS_USD = 1e-9;

/** Runs every policy on each function alone; `{ id, policies: { name: PolicyResult } }` per function. */
export function runPerFunction(core, trace, ids, options) {
  return ids.map((id) => {
    const doc = core.runBacktest({ ...options, trace, functions: [id] }).document;
    return { id, policies: Object.fromEntries(doc.policies.map((p) => [p.name, p])) };
  });
}

/** Rivals with no more cost and no more cold starts than `wp`, one of the two strictly lower. */
export function dominators(policies, wp = policies.warmpool) {
  return Object.values(policies).filter((p) => {
    if (!isRival(p.name)) return false;
    const cost = usdOf(p);
    const cheaper = cost < usdOf(wp) - EPS_USD;
    const noDearer = cost <= usdOf(wp) + EPS_USD;
    return noDearer && p.cold_starts <= wp.cold_starts && (p.cold_starts < wp.cold_starts || cheaper);
  });
}

/** Rivals that dominate warmpool on a trace's totals (`totals(rows)`, whose dollars are in `usd`). */
export function totalsDominators(t) {
  return dominators(
    Object.fromEntries(Object.values(t).map((p) => [p.name, { ...p, total_usd_month: p.usd }])),
  );
}

/** The fixed warmer with the fewest cold starts among those costing no more than warmpool. */
export function bestFixedAtNoMoreCost(policies) {
  const wp = policies.warmpool;
  const fits = Object.values(policies).filter((p) => isFixed(p.name) && usdOf(p) <= usdOf(wp) + EPS_USD);
  fits.sort((a, b) => a.cold_starts - b.cold_starts || usdOf(a) - usdOf(b));
  return fits[0] ?? null;
}

/** Sums per-function rows into per-policy totals (cold starts, interference, dollars). */
export function totals(rows) {
  const out = {};
  for (const r of rows)
    for (const p of Object.values(r.policies)) {
      out[p.name] ??= { name: p.name, cold_starts: 0, interference_cold_starts: 0, usd: 0 };
      const t = out[p.name];
      t.cold_starts += p.cold_starts;
      t.interference_cold_starts += p.interference_cold_starts;
      t.usd += usdOf(p);
    }
  return out;
}

/** The functions on which warmpool has more cold starts than none, and those a rival dominates. */
export function accountability(rows) {
  const worse = rows.filter((r) => r.policies.warmpool.cold_starts > r.policies.none.cold_starts);
  const dominated = rows
    .map((r) => ({ id: r.id, by: dominators(r.policies) }))
    .filter((d) => d.by.length > 0);
  return { worse, dominated };
}

const usd = (x) => `$${x.toFixed(2)}`;
const short = (id) => (id.length > 16 ? `${id.slice(0, 14)}…` : id);

/** The per-function table: cold starts under each yardstick, warmpool's dollars, and what dominates it. */
export function perFunctionTable(rows) {
  const head =
    '| function | none | fixed-p50 | best fixed at ≤ warmpool $ | reactive | warmpool | warmpool $/mo | interference (warmpool) | oracle | oracle-unheld | dominated by |';
  const sep = '|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|';
  const lines = rows.map((r) => {
    const p = r.policies;
    const best = bestFixedAtNoMoreCost(p);
    const wp = p.warmpool;
    const worse = wp.cold_starts > p.none.cold_starts ? ' **(> none)**' : '';
    const dom = dominators(p).map((d) => `${d.name} (${d.cold_starts}, ${usd(usdOf(d))})`);
    return `| ${short(r.id)} | ${p.none.cold_starts} | ${p['fixed-p50'].cold_starts} | ${best ? `${best.name}: ${best.cold_starts}` : '–'} | ${p.reactive.cold_starts} | ${wp.cold_starts}${worse} | ${usd(usdOf(wp))} | ${wp.interference_cold_starts} | ${p.oracle.cold_starts} | ${p['oracle-unheld']?.cold_starts ?? '–'} | ${dom.join(', ') || '–'} |`;
  });
  return [head, sep, ...lines].join('\n');
}

/** One line of figures per idle setting: the goals of issue 13 checked on the totals and per function. */
export function figuresLine(label, rows, goal) {
  const t = totals(rows);
  const wp = t.warmpool;
  const avoided = t.none.cold_starts > 0 ? (t.none.cold_starts - wp.cold_starts) / t.none.cold_starts : 0;
  const { worse, dominated } = accountability(rows);
  const traceDominators = totalsDominators(t);
  const vsOracle = t.oracle.usd > 0 ? wp.usd / t.oracle.usd : null;
  const vsMax = t['fixed-max'].usd > 0 ? wp.usd / t['fixed-max'].usd : null;
  const cells = [
    label,
    `${wp.cold_starts} (none ${t.none.cold_starts}, oracle ${t.oracle.cold_starts}, oracle-unheld ${t['oracle-unheld']?.cold_starts ?? '–'})`,
    `${(100 * avoided).toFixed(1)}%${goal?.avoided ? ` (goal ≥ ${100 * goal.avoided}%: ${avoided >= goal.avoided ? 'met' : 'NOT met'})` : ''}`,
    `${usd(wp.usd)}`,
    vsOracle === null ? '–' : `${vsOracle.toFixed(2)}×`,
    vsMax === null ? '–' : `${vsMax.toFixed(2)}×`,
    `${worse.length}${worse.length ? ` (${worse.map((r) => short(r.id)).join(', ')})` : ''}`,
    `${dominated.length}`,
    traceDominators.length ? traceDominators.map((p) => p.name).join(', ') : 'none',
  ];
  return `| ${cells.join(' | ')} |`;
}

export const FIGURES_HEAD = [
  "| setting | warmpool cold starts | of none's avoided | warmpool $/mo | × oracle $ | × fixed-max $ | functions worse than none | functions dominated | dominated on the totals by |",
  '|---|---|---|---:|---:|---:|---|---:|---|',
].join('\n');
