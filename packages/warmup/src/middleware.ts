import type { WarmupContext } from './detectors.js';
import { createWarmupEngine } from './engine.js';
import type { WarmupOptions } from './options.js';

/** The part of a middy request the middleware uses (typed structurally: @middy/core is an optional peer). */
export interface MiddyRequestLike {
  readonly event: unknown;
  readonly context: WarmupContext;
}

/**
 * The same behaviour as `withWarmup`, as a middy middleware. A ping returns its answer from `before`, which
 * makes middy skip the handler; a real invocation falls through to it. Put it first in the chain so pings
 * never reach body parsers or validators.
 */
export function warmupMiddleware(options: Partial<WarmupOptions> = {}): {
  before: (request: MiddyRequestLike) => Promise<unknown>;
} {
  const engine = createWarmupEngine(options);
  return {
    before: async (request) => {
      const ping = engine.detect(request.event, request.context);
      if (ping) return engine.answer(ping, request.context);
      engine.onReal(request.context);
      return undefined;
    },
  };
}
