/** Tiny inline-SVG helpers for the backtest report: no dependencies, no external assets. */

export function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** Reduces a series to at most `points` buckets, keeping each bucket's maximum (peaks matter here). */
export function downsampleMax(values: ArrayLike<number>, points: number): number[] {
  const n = values.length;
  if (n <= points) return Array.from(values, (v) => (Number.isFinite(v) ? v : Number.NaN));
  const out: number[] = [];
  const step = n / points;
  for (let b = 0; b < points; b++) {
    let m = Number.NaN;
    for (let i = Math.floor(b * step); i < Math.min(n, Math.floor((b + 1) * step)); i++) {
      const v = values[i] as number;
      if (Number.isFinite(v) && !(v <= m)) m = v;
    }
    out.push(m);
  }
  return out;
}

export interface LineSeries {
  readonly label: string;
  readonly color: string;
  /** Values over the same time span; series of different lengths are stretched to the full width. */
  readonly values: readonly number[];
  readonly step?: boolean;
  readonly dashed?: boolean;
}

export function lineChart(title: string, series: readonly LineSeries[], width = 900, height = 220): string {
  const pad = { l: 44, r: 10, t: 24, b: 22 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  let max = 1;
  for (const s of series) for (const v of s.values) if (Number.isFinite(v) && v > max) max = v;
  const y = (v: number) => pad.t + h - (v / max) * h;
  const paths = series.map((s) => {
    const n = s.values.length;
    const x = (i: number) => pad.l + (i / Math.max(1, n)) * w;
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        pen = false;
        return;
      }
      if (s.step) {
        d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}H${x(i + 1).toFixed(1)}`;
      } else {
        d += `${pen ? 'L' : 'M'}${x(i + 0.5).toFixed(1)},${y(v).toFixed(1)}`;
      }
      pen = true;
    });
    return `<path class="series" data-label="${escapeXml(s.label)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.3"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`;
  });
  // Legend entries sit side by side, each as wide as its label, so long labels do not overlap.
  let legendX = pad.l + 10;
  const legend = series
    .map((s) => {
      const at = legendX;
      legendX += 16 + textWidth(s.label, 11) + 18;
      return `<g transform="translate(${at},${pad.t + 4})"><rect width="12" height="3" y="4" fill="${s.color}"/><text x="16" y="9" font-size="11">${escapeXml(s.label)}</text></g>`;
    })
    .join('');
  const ticks = [0, max / 2, max]
    .map(
      (v) =>
        `<text x="${pad.l - 6}" y="${y(v) + 4}" font-size="10" text-anchor="end">${Number.isInteger(v) ? v : v.toFixed(1)}</text><line x1="${pad.l}" x2="${pad.l + w}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><text x="${pad.l}" y="14" font-size="12" font-weight="bold">${escapeXml(title)}</text>${ticks}${paths.join('')}${legend}</svg>`;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly note?: string;
}

export function barChart(title: string, bars: readonly Bar[], width = 900): string {
  const rowH = 22;
  // The left margin fits the longest label, so names such as "unwarmed twin (measured)" are not clipped.
  const pad = {
    l: Math.max(110, 12 + Math.max(0, ...bars.map((b) => textWidth(b.label, 11)))),
    r: 160,
    t: 26,
  };
  const height = pad.t + bars.length * rowH + 8;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const w = width - pad.l - pad.r;
  const rows = bars
    .map((b, i) => {
      const yy = pad.t + i * rowH;
      const bw = (b.value / max) * w;
      return `<g class="bar" data-label="${escapeXml(b.label)}" data-value="${b.value}"><text x="${pad.l - 6}" y="${yy + 14}" font-size="11" text-anchor="end">${escapeXml(b.label)}</text><rect x="${pad.l}" y="${yy + 3}" width="${bw.toFixed(1)}" height="${rowH - 8}" fill="#4e79a7"/><text x="${pad.l + bw + 6}" y="${yy + 14}" font-size="11">${escapeXml(b.note ?? String(b.value))}</text></g>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><text x="${pad.l}" y="16" font-size="12" font-weight="bold">${escapeXml(title)}</text>${rows}</svg>`;
}

/** Approximate rendered width of `text` in a sans-serif font of `fontSize` px (no layout engine here). */
function textWidth(text: string, fontSize: number): number {
  return Math.ceil(text.length * fontSize * 0.6);
}
