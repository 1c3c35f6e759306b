/** ISO date-times without a zone (`2016-07-01 00:05:00`) are read as UTC, never as the machine's local time. */
const ZONELESS = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const NUMERIC = /^\d+(?:\.\d+)?$/;

/**
 * Epoch ms of a timestamp cell: ISO 8601 (zone optional, UTC assumed), or epoch seconds or milliseconds
 * (a number below 1e11 is seconds: 1e11 s is the year 5138, 1e11 ms is 1973). NaN when unreadable.
 */
export function parseTimestampMs(text: string): number {
  const s = text.trim();
  if (NUMERIC.test(s)) {
    const x = Number(s);
    return x < 1e11 ? x * 1000 : x;
  }
  if (ZONELESS.test(s)) return Date.parse(s.length === 10 ? `${s}T00:00:00Z` : `${s.replace(' ', 'T')}Z`);
  return Date.parse(s);
}
