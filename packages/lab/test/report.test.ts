import { describe, expect, it } from 'vitest';
import { runBacktest } from '../src/backtest/run.js';
import { renderReport } from '../src/report/html.js';
import { downsampleMax } from '../src/report/svg.js';
import type { Trace } from '../src/trace/types.js';

const MIN = 60_000;

function trace(): Trace {
  const fn = (id: string, k: number) => ({
    id,
    counts: Array.from({ length: 240 }, (_, m) => (m % 30 < 10 ? k : 0)),
    durations: { p50: 2_000 },
  });
  return {
    name: 'report <test>',
    format: 'synthetic',
    binSeconds: 60,
    startMs: 0,
    durationMs: 240 * MIN,
    functions: [fn('a', 60), fn('b<script>', 20), fn('c', 5)],
  };
}

describe('renderReport', () => {
  const result = runBacktest({ trace: trace(), seed: 1, keepSeries: true });
  const html = renderReport(result, { maxFunctions: 2 });

  it('is one self-contained page: inline SVG, no scripts, no external assets', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).not.toMatch(/<link/i);
    expect((html.match(/<svg /g) ?? []).length).toBe(3 + 2); // Pareto and two policy charts, two function charts
  });

  it('has one table row and one bar per policy', () => {
    const names = result.document.policies.map((p) => p.name);
    for (const name of names) {
      expect(html).toContain(`<tr data-policy="${name}">`);
      expect(html).toContain(`<g class="bar" data-label="${name}"`);
    }
    expect((html.match(/<tr data-policy=/g) ?? []).length).toBe(names.length);
  });

  it('charts the functions with the highest estimated peak, with actual, forecast and warm lines', () => {
    const sections = [...html.matchAll(/<section class="function" data-function="([^"]*)"/g)].map(
      (m) => m[1],
    );
    expect(sections).toEqual(['a', 'b&lt;script&gt;']);
    expect(html).toContain('data-label="actual concurrency"');
    expect(html).toContain('data-label="warmpool forecast"');
    expect(html).toContain('data-label="warmpool warm count"');
  });

  it('escapes names from the trace', () => {
    expect(html).toContain('report &lt;test&gt;');
    expect(html).not.toContain('b<script>');
  });
});

describe('downsampleMax', () => {
  it('keeps the maximum of each bucket', () => {
    expect(downsampleMax([1, 5, 2, 2, 9, 0], 3)).toEqual([5, 2, 9]);
    expect(downsampleMax([1, 2], 10)).toEqual([1, 2]);
  });
});
