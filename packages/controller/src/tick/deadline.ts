/** Thrown when the tick's time budget runs out. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

/**
 * Resolves with `work`, or rejects with DeadlineError once `signal` aborts, whichever comes first. The work
 * itself is also given the signal, so SDK calls stop; this race is the guarantee for anything that does not.
 */
export function beforeDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(new DeadlineError('time budget exhausted'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DeadlineError('time budget exhausted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
