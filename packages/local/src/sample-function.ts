import type { LocalFunctionSpec } from './world.js';

/** The sample target `warmpool probe --local` warms: a trivial HTTP-style handler wrapped in withWarmup. */
export async function sampleHandler(event: unknown): Promise<{ statusCode: number; body: string }> {
  return { statusCode: 200, body: JSON.stringify({ hello: 'from the sample function', got: event }) };
}

export const SAMPLE_FUNCTION_NAME = 'sample';

export function sampleFunction(
  overrides: Partial<Omit<LocalFunctionSpec, 'handler'>> = {},
): LocalFunctionSpec {
  return {
    name: SAMPLE_FUNCTION_NAME,
    qualifiers: ['live', '$LATEST'],
    reservedConcurrency: null,
    handler: sampleHandler,
    ...overrides,
  };
}
