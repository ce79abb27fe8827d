/**
 * A work-in-progress title (PRODUCT §4 "PR ready"): it starts with `WIP` as a word (`WIP`, `WIP:`,
 * `WIP - …`, any case) or with `[WIP]` (Copilot's prefix while it works). `WIPE …` and `WIPs` are not WIP.
 */
export function isWipTitle(title: string): boolean {
  return /^\s*(?:\[\s*wip\s*\]|wip(?![\p{L}\p{N}_]))/iu.test(title);
}

/** The title without its WIP prefix, for comparing titles. */
export function withoutWipPrefix(title: string): string {
  return title.replace(/^\s*(?:\[\s*wip\s*\]|wip(?![\p{L}\p{N}_]))\s*[:\-–—]?\s*/iu, '').trim();
}
