import { parseFunctionRef } from './function-ref.js';
import type { TargetConfig } from './types.js';

/**
 * The cold-start metric's dimensions for one target, with `${functionName}` replaced by the function NAME (not
 * the ARN: Powertools' `function_name` is `context.functionName`) and `${qualifier}` by the qualifier.
 */
export function resolveColdStartDimensions(
  target: Pick<TargetConfig, 'functionName' | 'qualifier' | 'coldStartMetric'>,
): Record<string, string> {
  const name = parseFunctionRef(target.functionName)?.name ?? target.functionName;
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(target.coldStartMetric.dimensions)) {
    resolved[key] = value.replaceAll(`\${functionName}`, name).replaceAll(`\${qualifier}`, target.qualifier);
  }
  return resolved;
}
