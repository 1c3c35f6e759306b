import { ConfigError } from '@warmpool/core';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../src/handler/create-handler.js';

const SECRET = 'Zq8vLm2KxR4tNw7bYc1dHs9f';

describe('a WARMPOOL_CONFIG with a JSON syntax error next to sharedSecret (issue 11)', () => {
  it('fails before any AWS call with line and column, and no part of the secret in what Lambda would log', async () => {
    let built = false;
    const handler = createHandler({
      deps: () => {
        built = true;
        throw new Error('no deps expected');
      },
      env: {
        WARMPOOL_CONFIG: `{"sharedSecret": ${SECRET}, "targets": [{"functionName": "api", "qualifier": "live"}]}`,
        WARMPOOL_TABLE: 't',
      },
    });
    const error = await handler(undefined, { getRemainingTimeInMillis: () => 10_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(built).toBe(false);
    // What the Lambda runtime logs for a thrown error: its message, its stack, and its cause chain.
    const logged = [
      String(error),
      (error as Error).stack,
      JSON.stringify(error),
      String((error as Error).cause),
    ].join('\n');
    expect(logged).toMatch(/WARMPOOL_CONFIG: must be valid JSON \(line 1, column 18: unexpected character\)/);
    for (let k = 0; k + 4 <= SECRET.length; k++) expect(logged).not.toContain(SECRET.slice(k, k + 4));
  });
});
