import { truePeakAhead } from './baselines.js';
import { POLICY_KINDS, type Policy } from './types.js';

/**
 * The interference-free reference: the oracle's count (the true real peak of the window ahead), applied
 * without occupying any container (`warmWithoutHolding`). The oracle row is a pinging policy and pays for its
 * own interference, so on busy functions "× oracle" flatters every warmer; this row is the ceiling that
 * pinging cannot reach, priced as the oracle's pings.
 */
export const oracleUnheldPolicy: Policy = {
  name: 'oracle-unheld',
  kind: POLICY_KINDS.warm,
  create: (setup) => {
    const peakAhead = truePeakAhead(setup);
    return {
      everyMs: setup.intervalMs,
      act: ({ nowMs }) => {
        const peak = peakAhead(nowMs);
        return { warmWithoutHolding: peak, forecast: peak };
      },
    };
  },
};
