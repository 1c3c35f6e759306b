/**
 * A target's wake mark: the user-felt cold starts the log subscription has delivered for it (a running count
 * that only grows), and when the last one happened. A tick compares the count with the one it saw at the
 * target's last read: at `wakeAfterColdStarts` more, a deferred read comes at once (`readWoken` in core).
 */
export interface WakeMark {
  readonly target: string;
  readonly coldStarts: number;
  /** Time of the last delivery's newest cold-start line (its log event's timestamp), epoch ms. */
  readonly lastAtMs: number;
}

/**
 * Where cold-start deliveries meet the ticks. A delivery (one invocation of the controller by the target's log
 * subscription) adds to the mark; every tick reads the marks of its targets in one call.
 */
export interface WakeStore {
  /** Adds `coldStarts` to the target's mark (creating it) and sets its `lastAtMs`. */
  addColdStarts(
    target: string,
    coldStarts: number,
    atMs: number,
    options?: { signal?: AbortSignal | undefined },
  ): Promise<void>;
  /** The marks of these targets; a target never woken has none. */
  readWakes(
    targets: readonly string[],
    options?: { signal?: AbortSignal | undefined },
  ): Promise<ReadonlyMap<string, WakeMark>>;
}
