import type { Architecture, Prices } from '../config/types.js';
import { ValidationError } from '../errors.js';
import { billedMs, MB_PER_GB, requireNumber } from './guard.js';
import type {
  PingRoundCost,
  PingRoundInput,
  ProvisionedConcurrencyCost,
  ProvisionedConcurrencyInput,
} from './types.js';

/** Provisioned Concurrency is billed in 5-minute steps. */
export const PROVISIONED_BILLING_STEP_SECONDS = 300;

/** Duration prices scale with architecture (arm64 about 20% cheaper); request prices do not. */
export function durationFactor(architecture: Architecture, prices: Prices): number {
  return architecture === 'arm64' ? prices.arm64DurationFactor : 1;
}

/**
 * One round of warm pings: a request each, the hold billed as duration at the function's memory, and for each
 * ping that started a new container its INIT billed as duration too (on-demand ZIP functions on managed
 * runtimes, since August 2025).
 */
export function pingRoundCost(input: PingRoundInput, prices: Prices): PingRoundCost {
  requireNumber('pings', input.pings, 'integer');
  requireNumber('holdMs', input.holdMs, 'number');
  requireNumber('memoryMb', input.memoryMb, 'number', true);
  requireNumber('newContainers', input.newContainers, 'integer');
  requireNumber('initMs', input.initMs, 'number');
  if (input.newContainers > input.pings) {
    throw new ValidationError('newContainers', 'must be ≤ pings', {
      detail: `${input.newContainers} > ${input.pings}`,
    });
  }
  const gbSecondUsd =
    (input.memoryMb / MB_PER_GB) * prices.gbSecond * durationFactor(input.architecture, prices);
  const requestsUsd = (input.pings * prices.requestPerMillion) / 1e6;
  const durationUsd = ((input.pings * billedMs(input.holdMs)) / 1000) * gbSecondUsd;
  const initUsd = ((input.newContainers * billedMs(input.initMs)) / 1000) * gbSecondUsd;
  return { requestsUsd, durationUsd, initUsd, totalUsd: requestsUsd + durationUsd + initUsd };
}

/**
 * Provisioned Concurrency at `count` environments for `seconds`: the configured price for every GB-second it is
 * enabled (rounded up to 5-minute steps), plus its own duration price for the GB-seconds of work run on it.
 */
export function provisionedConcurrencyCost(
  input: ProvisionedConcurrencyInput,
  prices: Prices,
): ProvisionedConcurrencyCost {
  requireNumber('count', input.count, 'integer');
  requireNumber('memoryMb', input.memoryMb, 'number', true);
  requireNumber('seconds', input.seconds, 'number');
  const utilised = input.utilisedGbSeconds ?? 0;
  requireNumber('utilisedGbSeconds', utilised, 'number');
  const factor = durationFactor(input.architecture, prices);
  const billedSeconds =
    Math.ceil(input.seconds / PROVISIONED_BILLING_STEP_SECONDS) * PROVISIONED_BILLING_STEP_SECONDS;
  const configuredUsd =
    input.count * (input.memoryMb / MB_PER_GB) * billedSeconds * prices.provisionedGbSecond * factor;
  const durationUsd = utilised * prices.provisionedDurationGbSecond * factor;
  return { billedSeconds, configuredUsd, durationUsd, totalUsd: configuredUsd + durationUsd };
}
