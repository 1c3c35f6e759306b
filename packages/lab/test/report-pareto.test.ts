import { describe, expect, it } from 'vitest';
import { paretoChart, paretoFront } from '../src/report/pareto.js';

const P = (name: string, avoided: number, usdMonth: number) => ({ name, avoided, usdMonth });

describe('paretoFront', () => {
  it('keeps the points nothing beats on both axes, cheapest first', () => {
    const points = [
      P('none', 0, 0),
      P('fixed-1', 100, 0.2),
      P('fixed-p50', 90, 0.5), // fewer avoided at more cost than fixed-1: dominated
      P('warmpool', 400, 3),
      P('reactive', 400, 3.5), // as many avoided at more cost: dominated
      P('provisioned', 900, 400),
    ];
    expect(paretoFront(points).map((p) => p.name)).toEqual(['none', 'fixed-1', 'warmpool', 'provisioned']);
  });

  it('keeps exact ties, and a policy worse than none at no cost is dominated by none', () => {
    const front = paretoFront([P('a', 5, 1), P('b', 5, 1), P('none', 0, 0), P('harm', -10, 0)]);
    expect(front.map((p) => p.name)).toEqual(['none', 'a', 'b']);
  });
});

describe('paretoChart', () => {
  const svg = paretoChart('t', [
    P('none', 0, 0),
    P('warmpool', 40, 2),
    P('fixed-1', 10, 5),
    P('x<y', 50, 300),
  ]);

  it('draws one point per policy and flags the front', () => {
    expect((svg.match(/<g class="point"/g) ?? []).length).toBe(4);
    expect(svg).toContain('data-policy="fixed-1" data-front="false"');
    expect(svg).toContain('data-policy="warmpool" data-front="true"');
    expect(svg).toContain('data-policy="x&lt;y" data-front="true"');
    expect(svg).toContain('class="pareto-front"');
  });

  it('draws the front without the references where they change it, and colours oracle-unheld as one', () => {
    const withRefs = paretoChart('t', [
      P('none', 0, 0),
      P('fixed-1', 10, 0.3),
      P('warmpool', 40, 2),
      P('oracle', 60, 1),
      P('oracle-unheld', 90, 1),
    ]);
    expect(withRefs).toContain('data-policy="warmpool" data-front="false" data-deployable-front="true"');
    expect(withRefs).toContain('data-policy="oracle-unheld" data-front="true" data-deployable-front="false"');
    expect(withRefs).toContain('class="pareto-front-deployable"');
    expect(withRefs).toMatch(/data-policy="oracle-unheld"[^>]*><circle [^>]*fill="#9c755f"/);
    // Without references the two fronts are one: no second line.
    expect(svg).not.toContain('pareto-front-deployable');
  });

  it('puts a free policy at the $0 mark of the log axis, left of every paid one', () => {
    const cx = (name: string) =>
      Number(new RegExp(`data-policy="${name}"[^>]*><circle cx="([\\d.]+)"`).exec(svg)?.[1]);
    expect(cx('none')).toBeLessThan(cx('warmpool'));
    expect(cx('warmpool')).toBeLessThan(cx('fixed-1'));
    expect(svg).toContain('>$0</text>');
  });

  it('labels policies on the same spot once, together', () => {
    const same = paretoChart('t', [P('none', 0, 0), P('ping-one', 10, 0.5), P('fixed-1', 10, 0.5)]);
    expect(same).toContain('>ping-one, fixed-1</text>');
    expect((same.match(/<circle /g) ?? []).length).toBe(3 + 3); // three points, three legend dots
  });
});
