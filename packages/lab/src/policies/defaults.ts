import {
  fixedFromPeaksPolicy,
  fixedPolicy,
  nonePolicy,
  oraclePolicy,
  pingOnePolicy,
  reactivePolicy,
} from './baselines.js';
import { oracleUnheldPolicy } from './oracle-unheld.js';
import { provisionedPolicy } from './provisioned.js';
import type { Policy } from './types.js';
import { warmpoolPolicy } from './warmpool.js';

/** Every policy the issue asks for, in the order tables print them. */
export function defaultPolicies(): Policy[] {
  return [
    nonePolicy,
    pingOnePolicy,
    fixedPolicy(1),
    fixedFromPeaksPolicy('p50'),
    fixedFromPeaksPolicy('max'),
    reactivePolicy,
    provisionedPolicy(),
    warmpoolPolicy(),
    oraclePolicy,
    oracleUnheldPolicy,
  ];
}
