/**
 * The cost/benefit picture people judge a warmer by: cold starts avoided (against `none`) over dollars per
 * month, one point per policy, with the Pareto front (the policies no other beats on both) drawn through.
 */
import { escapeXml } from './svg.js';

export interface ParetoPoint {
  readonly name: string;
  /** Cold starts avoided against `none` (negative when the policy causes more than it prevents). */
  readonly avoided: number;
  /** Everything the policy costs per month, in USD. */
  readonly usdMonth: number;
}

/**
 * The points no other point dominates (at least as many avoided at no more cost, one of the two strictly
 * better), sorted by cost. Ties in both keep every tied point: neither dominates the other.
 */
export function paretoFront(points: readonly ParetoPoint[]): ParetoPoint[] {
  const dominated = (p: ParetoPoint) =>
    points.some(
      (q) =>
        q !== p &&
        q.avoided >= p.avoided &&
        q.usdMonth <= p.usdMonth &&
        (q.avoided > p.avoided || q.usdMonth < p.usdMonth),
    );
  return points.filter((p) => !dominated(p)).sort((a, b) => a.usdMonth - b.usdMonth || b.avoided - a.avoided);
}

/**
 * The references: policies no one can deploy, drawn to measure the others against (`oracle` sees the future;
 * `oracle-unheld` also warms without holding a container).
 */
export function isReference(name: string): boolean {
  return name === 'oracle' || name.startsWith('oracle-') || name.startsWith('reference');
}

/** Colours by role, so the references stand apart from the policies a user can deploy. */
function colour(name: string): string {
  if (name === 'warmpool') return '#e15759';
  if (isReference(name)) return '#9c755f';
  if (name === 'none') return '#333';
  return '#4e79a7';
}

/**
 * A scatter chart in inline SVG. Cost spans four decades (Provisioned Concurrency costs hundreds of times a
 * warmer), so the x axis is logarithmic; a policy that costs nothing sits on the axis's left edge, marked $0.
 */
export function paretoChart(
  title: string,
  points: readonly ParetoPoint[],
  width = 900,
  height = 420,
): string {
  const pad = { l: 70, r: 150, t: 30, b: 44 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const positive = points.map((p) => p.usdMonth).filter((u) => u > 0);
  const lo = 10 ** Math.floor(Math.log10(positive.length ? Math.min(...positive) : 0.01));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(lo * 10, ...positive)));
  // $0 is drawn one decade below the cheapest paid point: a log axis has no zero.
  const zeroAt = lo / 10;
  const logLo = Math.log10(zeroAt);
  const x = (usd: number) =>
    pad.l + ((Math.log10(Math.max(usd, zeroAt)) - logLo) / (Math.log10(hi) - logLo)) * w;
  const ys = points.map((p) => p.avoided);
  const yMin = Math.min(0, ...ys);
  const yMax = Math.max(1, ...ys);
  const y = (v: number) => pad.t + h - ((v - yMin) / (yMax - yMin)) * h;

  const xTicks: string[] = [
    `<text x="${x(0).toFixed(1)}" y="${pad.t + h + 16}" font-size="10" text-anchor="middle">$0</text>`,
  ];
  for (let d = lo; d <= hi * 1.0001; d *= 10) {
    const xx = x(d).toFixed(1);
    const label = d >= 1 ? `$${d.toLocaleString('en-US')}` : `$${d.toPrecision(1)}`;
    xTicks.push(
      `<line x1="${xx}" x2="${xx}" y1="${pad.t}" y2="${pad.t + h}" stroke="#eee"/><text x="${xx}" y="${pad.t + h + 16}" font-size="10" text-anchor="middle">${label}</text>`,
    );
  }
  const yTicks = [yMin, (yMin + yMax) / 2, yMax]
    .map((v) => {
      const yy = y(v).toFixed(1);
      return `<line x1="${pad.l}" x2="${pad.l + w}" y1="${yy}" y2="${yy}" stroke="#eee"/><text x="${pad.l - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="10" text-anchor="end">${Math.round(v).toLocaleString('en-US')}</text>`;
    })
    .join('');
  const zeroLine =
    yMin < 0
      ? `<line x1="${pad.l}" x2="${pad.l + w}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" stroke="#999" stroke-dasharray="3 3"/>`
      : '';

  const front = paretoFront(points);
  // A staircase: between two front points, the cheaper one's benefit holds until the dearer one's cost.
  const staircase = (line: readonly ParetoPoint[]) =>
    line
      .map((p, i) => {
        const [px, py] = [x(p.usdMonth).toFixed(1), y(p.avoided).toFixed(1)];
        return i === 0 ? `M${px},${py}` : `H${px}V${py}`;
      })
      .join('');
  const frontPath = front.length
    ? `<path class="pareto-front" d="${staircase(front)}" fill="none" stroke="#f28e2b" stroke-width="2"/>`
    : '';
  // The references sit on the front by construction; the front of what a user can deploy is the one a warmer
  // has to reach, so it is drawn too (dashed) when the references change it.
  const deployable = paretoFront(points.filter((p) => !isReference(p.name)));
  const sameFronts =
    deployable.length === front.length && deployable.every((p, i) => p.name === front[i]?.name);
  const deployablePath =
    deployable.length && !sameFronts
      ? `<path class="pareto-front-deployable" d="${staircase(deployable)}" fill="none" stroke="#59a14f" stroke-width="2" stroke-dasharray="6 3"/>`
      : '';
  const onFront = new Set(front.map((p) => p.name));
  const onDeployable = new Set(deployable.map((p) => p.name));
  // Policies that land on the same spot (ping-one and fixed-1 often do) share one label, not two overprinted.
  const labelAt = new Map<string, string[]>();
  for (const p of points) {
    const key = `${x(p.usdMonth).toFixed(0)},${y(p.avoided).toFixed(0)}`;
    labelAt.set(key, [...(labelAt.get(key) ?? []), p.name]);
  }
  const dots = points
    .map((p) => {
      const px = x(p.usdMonth);
      const py = y(p.avoided);
      const mark = onFront.has(p.name) ? ' stroke="#f28e2b" stroke-width="2.5"' : '';
      const names = labelAt.get(`${px.toFixed(0)},${py.toFixed(0)}`) ?? [p.name];
      const label =
        names[0] === p.name
          ? `<text x="${(px + 8).toFixed(1)}" y="${(py - 6).toFixed(1)}" font-size="11">${escapeXml(names.join(', '))}</text>`
          : '';
      return `<g class="point" data-policy="${escapeXml(p.name)}" data-front="${onFront.has(p.name)}" data-deployable-front="${onDeployable.has(p.name)}"><circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="5" fill="${colour(p.name)}"${mark}/>${label}</g>`;
    })
    .join('');
  const legend = `<g transform="translate(${pad.l + w + 16},${pad.t + 6})"><rect width="14" height="3" y="4" fill="#f28e2b"/><text x="20" y="9" font-size="11">Pareto front</text>${deployablePath ? '<line x1="0" x2="14" y1="87" y2="87" stroke="#59a14f" stroke-width="2" stroke-dasharray="6 3"/><text x="20" y="90" font-size="11">front without</text><text x="20" y="103" font-size="11">the references</text>' : ''}<circle cx="7" cy="26" r="5" fill="#e15759"/><text x="20" y="30" font-size="11">warmpool</text><circle cx="7" cy="46" r="5" fill="#9c755f"/><text x="20" y="50" font-size="11">reference</text><circle cx="7" cy="66" r="5" fill="#4e79a7"/><text x="20" y="70" font-size="11">other policy</text></g>`;
  const axes = `<text x="${pad.l + w / 2}" y="${height - 6}" font-size="11" text-anchor="middle">USD per month, everything the policy needs to run (log scale)</text><text transform="translate(14,${pad.t + h / 2}) rotate(-90)" font-size="11" text-anchor="middle">cold starts avoided vs none</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="pareto" role="img" aria-label="${escapeXml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><text x="${pad.l}" y="16" font-size="12" font-weight="bold">${escapeXml(title)}</text>${yTicks}${xTicks.join('')}${zeroLine}${deployablePath}${frontPath}${dots}${legend}${axes}</svg>`;
}
