/** A signal that aborts after a bound or with its parent, and the means to stop its timer once done. */
export interface TimeoutSignal {
  readonly signal: AbortSignal;
  /** Clears the timer and unhooks the parent (call when the bounded work has ended). */
  dispose(): void;
}

/**
 * Aborts after `ms` with a TimeoutError, or as soon as `parent` aborts (with its reason). Its timer holds the
 * controller strongly. Why not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: in Node 20 a timeout signal
 * held only by a composite can be garbage-collected and then never fires (nodejs/node#57736); seen here as a
 * black-holed CloudWatch read that ran to the tick's whole budget instead of its 40% share.
 */
export function timeoutSignal(ms: number, parent?: AbortSignal): TimeoutSignal {
  const controller = new AbortController();
  const onParent = () => controller.abort(parent?.reason);
  const timer = setTimeout(
    () => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')),
    Math.max(0, ms),
  );
  // The timer must not keep a CLI process alive; it still fires while anything else does.
  timer.unref?.();
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}
