import { describe, expect, it } from 'vitest';
import { createReplay } from '../src/sim/replay.js';
import { SIM_MODES } from '../src/sim/workload.js';

const MINUTE = 60_000;

/** A workload with no real traffic (or the given arrivals), so only the pings move the pool. */
function workload(mode: 'invocations' | 'aggregate', arrivals: number[] = [], durationMs = 200) {
  const minutes = 10;
  const counts = new Float64Array(minutes);
  for (const a of arrivals) counts[Math.floor(a / MINUTE)] = (counts[Math.floor(a / MINUTE)] ?? 0) + 1;
  return {
    id: 'fn',
    memoryMb: 1024,
    mode: mode === 'aggregate' ? SIM_MODES.aggregate : SIM_MODES.invocations,
    spanMs: minutes * MINUTE,
    meanDurationMs: durationMs,
    arrivals: Float64Array.from(arrivals),
    durations: Float64Array.from(arrivals.map(() => durationMs)),
    minuteCounts: counts,
    minutePeaks: counts.map((c) => (c > 0 ? 1 : 0)),
    totalInvocations: arrivals.length,
  };
}

describe('a round whose pings reach Lambda one after another (pingDispatchPerSec)', () => {
  // 10 pings at 100/s spread over 90 ms: a hold of at least that keeps them all busy together. INIT 0, so a
  // ping that starts a container holds it no longer than one that reuses one.
  it.each([
    ['invocations', 200, 10],
    ['invocations', 25, 3],
    ['aggregate', 200, 10],
    ['aggregate', 25, 3],
  ] as const)('%s mode, hold %i ms: %i containers started by 10 pings at 100/s', (mode, hold, started) => {
    const replay = createReplay(workload(mode), { pingDispatchPerSec: 100, initMs: 0 });
    replay.ping(MINUTE, 10, hold);
    const stats = replay.finish();
    expect(stats.pings).toBe(10);
    expect(stats.prewarms).toBe(started);
  });

  it.each(['invocations', 'aggregate'] as const)(
    '%s mode: pings that start containers hold them through INIT, so a short hold still reaches all on a cold pool',
    (mode) => {
      const replay = createReplay(workload(mode), { pingDispatchPerSec: 100, initMs: 400 });
      replay.ping(MINUTE, 10, 25);
      expect(replay.finish().prewarms).toBe(10);
    },
  );

  it('fires every ping at one instant when the rate is 0, whatever the hold', () => {
    const replay = createReplay(workload('invocations'), { pingDispatchPerSec: 0 });
    replay.ping(MINUTE, 10, 1);
    expect(replay.finish().prewarms).toBe(10);
  });

  it('interleaves pings with real arrivals in time order: a request between two pings takes a free container', () => {
    // Two containers warm from an earlier round; pings at 1:00.000 and 1:00.010 (100/s); a request at
    // 1:00.005 finds one container held and one idle, so it is not a cold start; the second ping starts one.
    const replay = createReplay(workload('invocations', [30_000, 30_000, MINUTE + 5]), {
      pingDispatchPerSec: 100,
    });
    replay.ping(MINUTE, 2, 100);
    const stats = replay.finish();
    expect(stats.coldStarts).toBe(2);
    expect(stats.interference).toBe(0);
    expect(stats.prewarms).toBe(1);
  });

  it('rejects a negative rate, naming the field', () => {
    expect(() => createReplay(workload('invocations'), { pingDispatchPerSec: -1 })).toThrow(
      /pingDispatchPerSec/,
    );
  });
});
