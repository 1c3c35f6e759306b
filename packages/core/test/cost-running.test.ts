import { controllerShareMonth, DEFAULT_PRICES, scheduledWarmerMonth } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { CONTROLLER_RUN_ASSUMPTIONS } from '../src/cost/running.js';

const TICKS = (30 * 86_400) / 300; // 8,640 five-minute ticks in the 30-day month

describe('controllerShareMonth', () => {
  it('bills GetMetricData per metric requested, at $0.01 per 1,000', () => {
    const three = controllerShareMonth({ metricsPerTargetTick: 3, tickIntervalSeconds: 300 }, DEFAULT_PRICES);
    expect(three.getMetricDataUsdMonth).toBeCloseTo((TICKS * 3 * 0.01) / 1000, 10); // $0.2592
    const fewer = controllerShareMonth(
      { metricsPerTargetTick: 1.4, tickIntervalSeconds: 300 },
      DEFAULT_PRICES,
    );
    expect(fewer.getMetricDataUsdMonth).toBeCloseTo(0.12096, 8);
    // Everything else does not depend on the reads.
    expect(fewer.dynamoUsdMonth).toBe(three.dynamoUsdMonth);
    expect(fewer.lambdaUsdMonth).toBe(three.lambdaUsdMonth);
  });

  it('counts DynamoDB units and the target’s share of the controller’s invocations in the total', () => {
    const c = controllerShareMonth({ metricsPerTargetTick: 0, tickIntervalSeconds: 300 }, DEFAULT_PRICES);
    const a = CONTROLLER_RUN_ASSUMPTIONS;
    // by default every tick reads and warms: a decision put and an outcome put
    const writes = a.dynamoWriteUnitsReadDecision + a.dynamoWriteUnitsOutcome;
    expect(c.dynamoUsdMonth).toBeCloseTo(
      (TICKS * (writes * 0.625 + a.dynamoReadUnitsPerTarget * 0.125)) / 1e6,
      10,
    );
    // arm64 (the construct's default) bills duration at 0.8 of x86's
    const gbS = (a.controllerMsPerTarget / 1000) * (a.controllerMemoryMb / 1024) * 0.0000166667;
    expect(c.lambdaUsdMonth).toBeCloseTo(TICKS * (0.2e-6 / a.targetsPerController + gbS * 0.8), 10);
    expect(c.totalUsdMonth).toBeCloseTo(c.dynamoUsdMonth + c.lambdaUsdMonth, 12);
  });

  it('prices the architecture it is given', () => {
    const input = { metricsPerTargetTick: 0, tickIntervalSeconds: 300 };
    const arm = controllerShareMonth(input, DEFAULT_PRICES);
    const x86 = controllerShareMonth({ ...input, controllerArchitecture: 'x86_64' }, DEFAULT_PRICES);
    const request = (TICKS * 0.2e-6) / CONTROLLER_RUN_ASSUMPTIONS.targetsPerController;
    expect(arm.lambdaUsdMonth - request).toBeCloseTo((x86.lambdaUsdMonth - request) * 0.8, 10);
  });

  it.each([
    { share: 1, kept: 0, units: 3 },
    { share: 0, kept: 0, units: 2 },
    { share: 0.25, kept: 0, units: 2.25 },
    { share: 0, kept: 1, units: 1 },
    { share: 1, kept: 1, units: 2 },
    { share: 0.5, kept: 0.5, units: 2 },
  ])(
    'writes $units units a tick when $share of the ticks warm and $kept keep the last decision (a read decision is 2 units, a kept one 1, a round adds its outcome item)',
    ({ share, kept, units }) => {
      const c = controllerShareMonth(
        { metricsPerTargetTick: 0, tickIntervalSeconds: 300, warmTickShare: share, keptTickShare: kept },
        DEFAULT_PRICES,
      );
      const reads = (TICKS * CONTROLLER_RUN_ASSUMPTIONS.dynamoReadUnitsPerTarget * 0.125) / 1e6;
      expect(c.dynamoUsdMonth - reads).toBeCloseTo((TICKS * units * 0.625) / 1e6, 10);
    },
  );

  it('bills each cold-start delivery as a controller invocation and a write unit', () => {
    const base = { metricsPerTargetTick: 0, tickIntervalSeconds: 300 };
    const none = controllerShareMonth(base, DEFAULT_PRICES);
    const woken = controllerShareMonth({ ...base, wakeDeliveriesPerTick: 2 }, DEFAULT_PRICES);
    const a = CONTROLLER_RUN_ASSUMPTIONS;
    const perWake = 0.2e-6 + (a.wakeMsPerDelivery / 1000) * (a.wakeMemoryMb / 1024) * 0.0000166667 * 0.8;
    expect(woken.lambdaUsdMonth - none.lambdaUsdMonth).toBeCloseTo(TICKS * 2 * perWake, 10);
    expect(woken.dynamoUsdMonth - none.dynamoUsdMonth).toBeCloseTo((TICKS * 2 * 0.625) / 1e6, 10);
    // every tick reads the target's wake mark: half a read unit
    const marks = controllerShareMonth({ ...base, readsWakeMark: true }, DEFAULT_PRICES);
    expect(marks.dynamoUsdMonth - none.dynamoUsdMonth).toBeCloseTo((TICKS * 0.5 * 0.125) / 1e6, 12);
    expect(() => controllerShareMonth({ ...base, wakeDeliveriesPerTick: -1 }, DEFAULT_PRICES)).toThrow(
      /wakeDeliveriesPerTick: must be a number ≥ 0/,
    );
  });

  it('halves with a tick twice as long', () => {
    const five = controllerShareMonth({ metricsPerTargetTick: 2, tickIntervalSeconds: 300 }, DEFAULT_PRICES);
    const ten = controllerShareMonth({ metricsPerTargetTick: 2, tickIntervalSeconds: 600 }, DEFAULT_PRICES);
    expect(ten.totalUsdMonth).toBeCloseTo(five.totalUsdMonth / 2, 10);
  });

  it('rejects a bad input with the field and the rule', () => {
    expect(() =>
      controllerShareMonth({ metricsPerTargetTick: -1, tickIntervalSeconds: 300 }, DEFAULT_PRICES),
    ).toThrow(/metricsPerTargetTick: must be a number ≥ 0/);
    expect(() =>
      controllerShareMonth(
        { metricsPerTargetTick: 1, tickIntervalSeconds: 300, warmTickShare: 1.5 },
        DEFAULT_PRICES,
      ),
    ).toThrow(/warmTickShare: must be a number in \[0, 1\]/);
    expect(() =>
      controllerShareMonth(
        { metricsPerTargetTick: 1, tickIntervalSeconds: 300, keptTickShare: -0.1 },
        DEFAULT_PRICES,
      ),
    ).toThrow(/keptTickShare: must be a number ≥ 0/);
    expect(() => scheduledWarmerMonth(0, DEFAULT_PRICES)).toThrow(
      /tickIntervalSeconds: must be a number > 0/,
    );
  });
});

describe('scheduledWarmerMonth', () => {
  it('bills one 128 MB invocation of 300 ms per tick and nothing else', () => {
    const w = scheduledWarmerMonth(300, DEFAULT_PRICES);
    expect(w.lambdaUsdMonth).toBeCloseTo(TICKS * (0.2e-6 + 0.3 * 0.125 * 0.0000166667), 10);
    expect(w.getMetricDataUsdMonth).toBe(0);
    expect(w.dynamoUsdMonth).toBe(0);
    expect(w.totalUsdMonth).toBe(w.lambdaUsdMonth);
  });
});
