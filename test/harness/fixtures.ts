import type { Decision } from '@warmpool/core';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.AWS_REGION ??= 'us-east-1';

let tableSeq = 0;
/** A fresh table name per test, so tests sharing one DynamoDB Local never see each other's items. */
export function uniqueTableName(prefix = 'warmpool'): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${tableSeq++}`;
}

/** A hand-written Decision (the shape decide() returns) for store tests that do not need the engine. */
export function sampleDecision(target: string, windowStartMs: number, count: number): Decision {
  const [functionName = target, qualifier = '$LATEST'] = target.split(':');
  return {
    target,
    functionName,
    qualifier,
    windowStartMs,
    windowEndMs: windowStartMs + 300_000,
    decidedAtMs: windowStartMs + 1_234,
    forecast: {
      peak: count / 1.2,
      model: 'peak-quantile',
      score: null,
      candidates: [{ model: 'peak-quantile', score: null }],
      why: 'fixture',
      horizonMinutes: 5,
    },
    headroom: 1.2,
    rawCount: count,
    bounds: { min: 0, max: 100 },
    boundedCount: count,
    budget: { source: 'reserved', share: 0.2, limit: null },
    count,
    dryRun: false,
    reasons: [{ code: 'model-chosen', message: 'fixture' }],
    state: {
      version: 1,
      headroom: 1.2,
      updatedForWindowMs: windowStartMs,
      quietWindows: 0,
      lastCount: count,
    },
  };
}
