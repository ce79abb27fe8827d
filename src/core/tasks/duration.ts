const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

const unitMs: ReadonlyMap<string, number> = new Map([
  ...['ms', 'msec', 'msecs'].map(unit => [unit, 1] as const),
  ...['s', 'sec', 'secs', 'second', 'seconds'].map(unit => [unit, second] as const),
  ...['m', 'min', 'mins', 'minute', 'minutes'].map(unit => [unit, minute] as const),
  ...['h', 'hr', 'hrs', 'hour', 'hours'].map(unit => [unit, hour] as const),
  ...['d', 'day', 'days'].map(unit => [unit, 24 * hour] as const),
]);

const bareNumber = /^\d+(?:\.\d+)?$/;
const durationPart = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/y;

/** The longest `timeout:` a task may ask for. */
export const maxTimeoutMs = 24 * hour;

/**
 * Parses a duration such as `30m`, `1h30m`, `1h 30m`, `90s`, `2 hours`, or a bare number of minutes, into
 * milliseconds. Returns undefined when the text is not a duration. Case-insensitive.
 */
export function parseDurationMs(raw: string): number | undefined {
  const text = raw.trim().toLowerCase();
  if (text === '') return undefined;
  if (bareNumber.test(text)) return Math.round(Number(text) * minute);
  const parser = new RegExp(durationPart);
  let total = 0;
  for (let match = parser.exec(text); match !== null; match = parser.exec(text)) {
    const unit = unitMs.get(match[2] ?? '');
    if (unit === undefined) return undefined;
    total += Number(match[1]) * unit;
    if (parser.lastIndex >= text.length) return Math.round(total);
  }
  return undefined;
}
