import type { WarmupContext } from './detectors.js';
import { createWarmupEngine } from './engine.js';
import type { WarmupOptions } from './options.js';
import type { WarmPingAnswerPayload } from './protocol/warm-ping.js';

export type AsyncHandler<E, C, R> = (event: E, context: C) => Promise<R> | R;

/**
 * Wraps a handler: a warm ping holds for min(requested, maxHoldMs) and answers with the container id without
 * running the handler; any other invocation runs the handler untouched (same event, same context, its result
 * or error passed through), after a `UserColdStart` EMF line when it is the user-felt first call of this
 * container.
 *
 * The wrapper is typed as the handler it wraps, so that it fits `Handler<E, R>` and the aliases of
 * @types/aws-lambda (`APIGatewayProxyHandlerV2`, …). A warm ping is answered with a `WarmPingAnswerPayload`
 * instead of an `R`; only a direct Invoke carrying ClientContext can be a ping, and only the controller reads
 * that answer.
 */
export function withWarmup<E, C extends WarmupContext, R>(
  handler: AsyncHandler<E, C, R>,
  options: Partial<WarmupOptions> = {},
): (event: E, context: C) => Promise<R> {
  if (typeof handler !== 'function') throw new TypeError('withWarmup: handler must be a function');
  const engine = createWarmupEngine(options);
  return async (event, context) => {
    const ping = engine.detect(event, context);
    if (ping) return (await engine.answer(ping, context)) as WarmPingAnswerPayload as R;
    engine.onReal(context);
    return handler(event, context);
  };
}
