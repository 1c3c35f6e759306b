import {
  controllerTickCost,
  DEFAULT_PRICES,
  DEFAULT_TARGET,
  decisionCost,
  monthlyFromWindow,
  pingRoundCost,
  provisionedConcurrencyCost,
  ValidationError,
} from '@warmpool/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECONDS_PER_MONTH } from '../src/cost/month.js';

const prices = DEFAULT_PRICES;
// Figures below are worked by hand from the prices in ../shared/notes/aws-facts.md; 10 decimal places is far
// finer than a cent and far coarser than float error.
const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 10);

describe('pingRoundCost', () => {
  const round = {
    pings: 10,
    holdMs: 1000,
    memoryMb: 1024,
    architecture: 'x86_64',
    newContainers: 2,
    initMs: 500,
  } as const;

  it('bills a request per ping, the hold as duration, and INIT for pings that started a container', () => {
    const cost = pingRoundCost(round, prices);
    close(cost.requestsUsd, 0.000002); // 10 × $0.20 / 1M
    close(cost.durationUsd, 0.000166667); // 10 × 1 s × 1 GB × $0.0000166667
    close(cost.initUsd, 0.0000166667); // 2 × 0.5 s × 1 GB × $0.0000166667
    close(cost.totalUsd, 0.0001853337);
  });

  it('prices arm64 duration at the arm64 factor, requests unchanged', () => {
    const cost = pingRoundCost({ ...round, architecture: 'arm64' }, prices);
    close(cost.requestsUsd, 0.000002);
    close(cost.durationUsd, 0.0001333336);
    close(cost.initUsd, 0.00001333336);
  });

  it('scales duration with memory and rounds the hold up to whole ms', () => {
    close(pingRoundCost({ ...round, memoryMb: 512 }, prices).durationUsd, 0.0000833335);
    close(
      pingRoundCost({ ...round, holdMs: 0.4, newContainers: 0 }, prices).durationUsd,
      10 * 0.001 * 0.0000166667,
    );
  });

  it('uses overridden prices', () => {
    const cost = pingRoundCost(round, { ...prices, requestPerMillion: 1, gbSecond: 0 });
    expect(cost).toEqual({ requestsUsd: 0.00001, durationUsd: 0, initUsd: 0, totalUsd: 0.00001 });
  });

  it.each([
    ['pings', { pings: -1 }, 'must be an integer ≥ 0'],
    ['pings', { pings: 1.5 }, 'must be an integer ≥ 0'],
    ['holdMs', { holdMs: Number.NaN }, 'must be a number ≥ 0'],
    ['memoryMb', { memoryMb: 0 }, 'must be a number > 0'],
    ['newContainers', { newContainers: 11 }, 'must be ≤ pings'],
  ])('rejects bad %s with the field and rule', (field, bad, rule) => {
    expect(() => pingRoundCost({ ...round, ...bad }, prices)).toThrow(ValidationError);
    try {
      pingRoundCost({ ...round, ...bad }, prices);
    } catch (error) {
      expect(error).toMatchObject({ field, rule });
    }
  });

  it('is the sum of its parts and grows with every input (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 128, max: 10_240 }),
        (pings, extra, holdMs, memoryMb) => {
          const base = {
            pings,
            holdMs,
            memoryMb,
            architecture: 'x86_64',
            newContainers: pings,
            initMs: 300,
          } as const;
          const a = pingRoundCost(base, prices);
          const b = pingRoundCost({ ...base, pings: pings + extra }, prices);
          expect(a.totalUsd).toBeCloseTo(a.requestsUsd + a.durationUsd + a.initUsd, 12);
          expect(b.totalUsd).toBeGreaterThanOrEqual(a.totalUsd);
          expect(pingRoundCost({ ...base, architecture: 'arm64' }, prices).totalUsd).toBeLessThanOrEqual(
            a.totalUsd,
          );
        },
      ),
    );
  });
});

describe('provisionedConcurrencyCost', () => {
  it('matches the facts note: 50 environments × 1 GB all month ≈ $540', () => {
    const cost = provisionedConcurrencyCost(
      { count: 50, memoryMb: 1024, seconds: SECONDS_PER_MONTH, architecture: 'x86_64' },
      prices,
    );
    expect(cost.billedSeconds).toBe(2_592_000);
    close(cost.configuredUsd, 540.00432); // 50 × 2,592,000 s × $0.0000041667
    expect(cost.durationUsd).toBe(0);
    expect(Math.round(cost.totalUsd)).toBe(540);
  });

  it('bills in 5-minute steps', () => {
    const at = (seconds: number) =>
      provisionedConcurrencyCost({ count: 1, memoryMb: 1024, seconds, architecture: 'x86_64' }, prices);
    expect([0, 1, 300, 301, 600].map((s) => at(s).billedSeconds)).toEqual([0, 300, 300, 600, 600]);
    close(at(60).configuredUsd, 300 * 0.0000041667);
  });

  it('adds its own duration price for utilised GB-seconds, and the arm64 factor', () => {
    const cost = provisionedConcurrencyCost(
      {
        count: 50,
        memoryMb: 1024,
        seconds: SECONDS_PER_MONTH,
        architecture: 'arm64',
        utilisedGbSeconds: 1000,
      },
      prices,
    );
    close(cost.configuredUsd, 432.003456);
    close(cost.durationUsd, 1000 * 0.0000097222 * 0.8);
  });
});

describe('controllerTickCost', () => {
  const tick = {
    targets: 10,
    metricsPerTarget: 3,
    controllerMemoryMb: 512,
    controllerDurationMs: 2000,
    dynamoWrites: 10,
    dynamoReads: 10,
  };

  it('prices the invocation, GetMetricData per 1,000 metrics and DynamoDB request units', () => {
    const cost = controllerTickCost(tick, prices);
    close(cost.lambdaUsd, 0.0000002 + 2 * 0.5 * 0.0000166667);
    expect(cost.metricsRequested).toBe(30);
    close(cost.getMetricDataUsd, 0.0003); // 30 / 1000 × $0.01
    close(cost.dynamoUsd, 0.0000075); // 10 × $0.625/M + 10 × $0.125/M
    close(cost.totalUsd, 0.0003243667);
    // Every 5 minutes for a month: about $2.80, nearly all of it GetMetricData.
    expect(monthlyFromWindow(cost.totalUsd, 300)).toBeCloseTo(2.8025, 3);
  });

  it('applies the arm64 factor to the controller duration only', () => {
    const cost = controllerTickCost({ ...tick, controllerArchitecture: 'arm64' }, prices);
    close(cost.lambdaUsd, 0.0000002 + 2 * 0.5 * 0.0000166667 * 0.8);
    close(cost.getMetricDataUsd, 0.0003);
  });

  it('rejects a fractional metric count', () => {
    expect(() => controllerTickCost({ ...tick, metricsPerTarget: 2.5 }, prices)).toThrow(
      /metricsPerTarget: must be an integer ≥ 0/,
    );
  });
});

describe('decisionCost', () => {
  const target = { ...DEFAULT_TARGET, holdMs: 'auto' as const };

  it('prices an auto hold at the cap and every ping as a new container when nothing is known (upper bound)', () => {
    const cost = decisionCost({ count: 20 }, target, prices, 300);
    expect(cost).toMatchObject({
      windowSeconds: 300,
      count: 20,
      holdMs: 10_000,
      holdSource: 'cap',
      newContainers: 20,
      newContainersAssumed: true,
    });
    close(cost.warming.requestsUsd, 0.000004);
    close(cost.warming.durationUsd, 0.00333334); // 20 × 10 s × 1 GB × $0.0000166667
    close(cost.warming.initUsd, 0.0001333336); // 20 × 0.4 s × 1 GB × $0.0000166667
    close(cost.spentUsd, 0.0034706736);
    close(cost.warmingMonthlyUsd, 0.0034706736 * 8640);
    close(cost.provisioned.configuredUsd, 0.0250002); // 20 × 1 GB × 300 s × $0.0000041667
    close(cost.provisionedMonthlyUsd, 216.001728);
  });

  it('uses the hold and new containers the fan-out reports', () => {
    const cost = decisionCost({ count: 20, holdMs: 500, newContainers: 2 }, target, prices, 300);
    expect(cost).toMatchObject({ holdMs: 500, holdSource: 'decision', newContainersAssumed: false });
    close(cost.spentUsd, 0.000004 + 0.000166667 + 0.00001333336);
    // About $1.59 a month against $216 for Provisioned Concurrency at the same count.
    expect(cost.warmingMonthlyUsd).toBeCloseTo(1.58976, 4);
  });

  it("uses the target's fixed hold", () => {
    expect(decisionCost({ count: 1 }, { ...target, holdMs: 250 }, prices, 300)).toMatchObject({
      holdMs: 250,
      holdSource: 'target',
    });
  });

  it('spends nothing in a dry run but still prices what warming would cost', () => {
    const cost = decisionCost({ count: 5, dryRun: true }, target, prices, 300);
    expect(cost.spentUsd).toBe(0);
    expect(cost.warming.totalUsd).toBeGreaterThan(0);
  });

  it('rounds a short window up to a 5-minute step for Provisioned Concurrency', () => {
    expect(decisionCost({ count: 1 }, target, prices, 60).provisioned.billedSeconds).toBe(300);
  });

  it('costs nothing for a zero count', () => {
    const cost = decisionCost({ count: 0 }, target, prices, 300);
    expect([cost.spentUsd, cost.provisioned.totalUsd, cost.provisionedMonthlyUsd]).toEqual([0, 0, 0]);
  });
});

describe('monthlyFromWindow', () => {
  it('scales a window to a 30-day month', () => {
    expect(SECONDS_PER_MONTH).toBe(2_592_000);
    expect(monthlyFromWindow(1, 300)).toBe(8640);
    expect(monthlyFromWindow(2, SECONDS_PER_MONTH)).toBe(2);
  });

  it('rejects an empty window', () => {
    expect(() => monthlyFromWindow(1, 0)).toThrow(/windowSeconds: must be a number > 0/);
  });
});
