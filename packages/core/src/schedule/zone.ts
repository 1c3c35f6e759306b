/**
 * Wall-clock time in an IANA time zone, with nothing but Intl: the offset of a zone at an instant, and the
 * instants a local wall time maps to (none in a spring-forward gap, two in a fall-back overlap).
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

// Formatters are costly to build and immutable: one per zone, for the life of the process.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone (an IANA name such as `Europe/Paris`, or `UTC`). */
export function isTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface LocalTime {
  readonly year: number;
  /** 1 to 12. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** The wall time in `timeZone` at `instantMs`. */
export function localTime(timeZone: string, instantMs: number): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instantMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year as number,
    month: parts.month as number,
    day: parts.day as number,
    hour: parts.hour as number,
    minute: parts.minute as number,
  };
}

/** The wall time as if it were UTC, in ms: the arithmetic key of a local time. */
export function wallMs(t: LocalTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
}

/** How far the zone's wall clock is ahead of UTC at `instantMs`, in ms (whole minutes). */
export function offsetMs(timeZone: string, instantMs: number): number {
  const floored = Math.floor(instantMs / MINUTE) * MINUTE;
  return wallMs(localTime(timeZone, floored)) - floored;
}

/**
 * The instants at which the zone's clock reads `wall` (a local time as `wallMs` gives it), earliest first: one
 * on an ordinary day, none when the clock skips it (spring forward), two when it reads it twice (fall back).
 * Assumes at most one offset change within a day either side, which holds for every zone in the tz database.
 */
export function instantsOf(timeZone: string, wall: number): number[] {
  const candidates = new Set([offsetMs(timeZone, wall - DAY), offsetMs(timeZone, wall + DAY)]);
  const out: number[] = [];
  for (const o of candidates) {
    const instant = wall - o;
    if (offsetMs(timeZone, instant) === o) out.push(instant);
  }
  return out.sort((a, b) => a - b);
}
