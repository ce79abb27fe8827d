const isoPattern = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?)?$/i;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * True for an ISO 8601 calendar date or date-time in extended format: `2026-11-21`, `2026-11-21T10:00`,
 * `2026-11-21T10:00:00Z`, `2026-11-21T10:00:00.5+01:00`. Checks that the date exists.
 */
export function isIsoTimestamp(text: string): boolean {
  const match = isoPattern.exec(text.trim());
  if (match === null) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = (match.slice(1) as (string | undefined)[]).map(part => (part === undefined ? 0 : Number(part)));
  if (year === undefined || month === undefined || day === undefined) return false;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  return (hour ?? 0) <= 23 && (minute ?? 0) <= 59 && (second ?? 0) <= 60 && (offsetHours ?? 0) <= 23 && (offsetMinutes ?? 0) <= 59;
}
