import { randomUUID } from 'node:crypto';

/**
 * Who this container is. The default identity is created when this module is loaded, i.e. once per Lambda
 * execution environment, so the id is stable for the container's whole life.
 */
export interface ContainerIdentity {
  readonly id: string;
  /** Epoch ms when the container (module) was loaded. */
  readonly startedAtMs: number;
  /**
   * True exactly once: for the container's first invocation, the one that started it. Every later call
   * returns false.
   */
  takeStarted(): boolean;
}

/**
 * A fresh identity. `started` says whether the next invocation is the one that started the container; a
 * stand-in that simulates containers passes false when the container was started by traffic that never ran
 * this handler.
 */
export function createContainerIdentity(
  id: string = randomUUID(),
  startedAtMs: number = Date.now(),
  started = true,
): ContainerIdentity {
  let fresh = started;
  return {
    id,
    startedAtMs,
    takeStarted() {
      const s = fresh;
      fresh = false;
      return s;
    },
  };
}

/** This container's identity, generated at module load. */
export const MODULE_CONTAINER: ContainerIdentity = createContainerIdentity();
