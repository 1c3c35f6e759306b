import { TraceError } from '@warmpool/core';

/** The message of the TraceError `fn` throws; any other error, or none, fails the test. */
export function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof TraceError) return e.message;
    throw e;
  }
  throw new Error('expected a TraceError');
}
