import { ValidationError } from '../errors.js';

export type NumberKind = 'integer' | 'number';

/**
 * Cost inputs come from code, not users, but a NaN or a negative count would silently print a wrong dollar
 * figure: reject them with the field and the rule instead. `positive` demands > 0 rather than ≥ 0.
 */
export function requireNumber(field: string, value: number, kind: NumberKind, positive = false): void {
  const inRange = positive ? value > 0 : value >= 0;
  if (!(Number.isFinite(value) && (kind === 'number' || Number.isInteger(value)) && inRange)) {
    const what = kind === 'integer' ? 'an integer' : 'a number';
    throw new ValidationError(field, `must be ${what} ${positive ? '> 0' : '≥ 0'}`, {
      detail: `got ${value}`,
    });
  }
}

/** Lambda bills duration in 1 ms steps. */
export function billedMs(ms: number): number {
  return Math.ceil(ms);
}

export const MB_PER_GB = 1024;
