import { describe, expect, it } from 'vitest';
import { SimClock } from '../src/sim-clock.js';

describe('SimClock', () => {
  it('runs at real speed from its start and jumps forward', () => {
    let real = 1_000;
    const clock = new SimClock(50_000, () => real);
    expect(clock.now()).toBe(50_000);
    real += 250; // a ping held for 250 real ms
    expect(clock.now()).toBe(50_250);
    clock.jump(300_000);
    expect(clock.now()).toBe(350_250);
    real += 10;
    expect(clock.now()).toBe(350_260);
  });

  it('jumpTo never goes back', () => {
    let real = 0;
    const clock = new SimClock(1_000, () => real);
    clock.jumpTo(5_000);
    expect(clock.now()).toBe(5_000);
    real += 100;
    clock.jumpTo(4_000);
    expect(clock.now()).toBe(5_100);
    expect(() => clock.jump(-1)).toThrow(RangeError);
  });

  it('sleeps in real time', async () => {
    const clock = new SimClock(0);
    const before = clock.now();
    await clock.sleep(20);
    expect(clock.now()).toBeGreaterThan(before);
  });
});
