/**
 * One error base for everything Warmpool throws on purpose. Subclasses carry the context a user needs to act:
 * the field and rule for bad input, the target for per-target failures, the throttle Reason for Invoke errors.
 */
export class WarmpoolError extends Error {
  override readonly name: string = 'WarmpoolError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Bad input: a config, payload, trace file or CLI flag. `field` is a dotted path such as `targets[0].min`. */
export class ValidationError extends WarmpoolError {
  override readonly name: string = 'ValidationError';
  constructor(
    readonly field: string,
    readonly rule: string,
    options?: { target?: string; cause?: unknown; detail?: string },
  ) {
    super(
      `${options?.target ? `target ${options.target}: ` : ''}${field}: ${rule}${options?.detail ? ` (${options.detail})` : ''}`,
      options,
    );
    this.target = options?.target;
  }
  readonly target: string | undefined;
}

/**
 * A config file or object that fails validation; `issues` lists every problem found, not just the first.
 * `source` (optional, e.g. the file name) says where the config came from.
 */
export class ConfigError extends WarmpoolError {
  override readonly name: string = 'ConfigError';
  constructor(
    readonly issues: readonly ValidationError[],
    readonly source?: string | undefined,
  ) {
    super(
      `invalid config${source ? ` in ${source}` : ''}:\n${issues.map((i) => `  - ${i.message}`).join('\n')}`,
    );
  }
}

/** A trace file that cannot be parsed. Names the file, line (1-based) and column. */
export class TraceError extends WarmpoolError {
  override readonly name: string = 'TraceError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: string | number,
    readonly rule: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}:${line}: column ${column}: ${rule}`, options);
  }
}

/** A failure scoped to one target, so the controller can isolate it from the others. */
export class TargetError extends WarmpoolError {
  override readonly name: string = 'TargetError';
  constructor(
    readonly target: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`target ${target}: ${message}`, options);
  }
}

/** Lambda refused an Invoke with 429; `reason` is the `Reason` field (e.g. ConcurrentInvocationLimitExceeded). */
export class ThrottleError extends WarmpoolError {
  override readonly name: string = 'ThrottleError';
  constructor(
    readonly target: string,
    readonly reason: string,
    readonly retryAfterSeconds: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(`target ${target}: throttled (${reason})`, options);
  }
}
