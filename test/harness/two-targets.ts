import { TrafficReplay } from '@warmpool/cli';
import { Stack } from './stack.js';
import { TICK_MS, TickDriver } from './ticks.js';
import { steadyStream } from './traffic.js';

/**
 * The fault tests' account: two functions (`api`, `jobs`) under steady traffic (about 3 concurrent on api, 1 on
 * jobs), one target each. Simulated time starts at the current hour: DynamoDB Local enforces TTL, and records of
 * a long-past window (expiresAt = window + 14 days) would be deleted under the test's feet.
 */
export const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000;
export const HOUR = 3_600_000;
export const handler = async () => ({ statusCode: 200 });
export const FUNCTIONS = ['api', 'jobs'].map((name) => ({
  name,
  qualifiers: ['live'],
  handler,
  sim: { initMs: 20, metricLagMs: 60_000 },
}));
export const CONFIG = {
  tickIntervalSeconds: 300,
  defaults: { min: 1, max: 20, holdMs: 60 },
  targets: [
    { functionName: 'api', qualifier: 'live' },
    { functionName: 'jobs', qualifier: 'live' },
  ],
};

/** The stack with that traffic, and a driver over the real handler with `config`. */
export async function startTwoTargets(
  dynamodbEndpoint: string,
  config: unknown = CONFIG,
): Promise<{ s: Stack; driver: TickDriver }> {
  const s = await Stack.start({ startMs: T0, functions: FUNCTIONS, dynamodbEndpoint });
  const traffic = new TrafficReplay(s.world, s.clock, T0, [
    steadyStream('api', 'live', 500, 1_500, 4 * HOUR),
    steadyStream('jobs', 'live', 2_000, 1_000, 4 * HOUR),
  ]);
  return { s, driver: new TickDriver(s, JSON.stringify(config), traffic) };
}

/** The start of tick k. */
export const tick = (k: number) => T0 + k * TICK_MS;
/** Warm pings the Lambda stand-in has served so far. */
export const pings = (s: Stack) => s.lambda.invocations.filter((i) => i.clientContext).length;
