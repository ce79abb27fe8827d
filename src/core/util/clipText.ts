/** `text` cut to at most `max` characters, with `…` where it was cut. */
export function clipText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}
