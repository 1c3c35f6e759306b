import { MEMORY_MB_RANGE } from '@warmpool/core';

/**
 * A Lambda memory size for an observed allocation: whole MB, rounded up, at least 128 MB (Lambda's
 * minimum) and at most 10,240 MB. Azure reports what an app allocated; Lambda bills what you configure, so
 * the configured size has to cover the allocation.
 */
export function lambdaMemoryMb(allocatedMb: number): number {
  const mb = Math.ceil(allocatedMb);
  return Math.min(MEMORY_MB_RANGE.max, Math.max(MEMORY_MB_RANGE.min, mb));
}
