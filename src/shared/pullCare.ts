/**
 * Words for the maintenance track's care of a pull request (issue 11), the same in the panel (webview), the tree,
 * the status bar and `ato status` (host). Pure; no vscode, no DOM.
 */

/** Mirrors PullCareState (src/core/loop/tracks/maintenance/maintenanceDecision.ts; checked in panelSnapshot.ts). */
export const pullCareStates = ['healthy', 'red', 'fixing', 'fixed', 'analyzing', 'updating', 'waitingForReviewFix', 'needsYou'] as const;
export type PanelPullCareState = (typeof pullCareStates)[number];

/** Mirrors PullAuthor. */
export const pullAuthors = ['copilot', 'jules', 'local', 'person'] as const;
export type PanelPullAuthor = (typeof pullAuthors)[number];

/** The badge's word for each state. */
export const pullCareLabels: Readonly<Record<PanelPullCareState, string>> = {
  healthy: 'healthy',
  red: 'red',
  fixing: 'fixing',
  fixed: 'fixed',
  analyzing: 'analyzing',
  updating: 'updating',
  waitingForReviewFix: 'review fix',
  needsYou: 'needs you',
};

/** How the badge reads: red and needs-you are errors, work in progress a warning, the rest normal. */
export function pullCareTone(state: PanelPullCareState): 'normal' | 'warning' | 'error' {
  switch (state) {
    case 'red':
    case 'needsYou':
      return 'error';
    case 'fixing':
    case 'analyzing':
    case 'updating':
    case 'waitingForReviewFix':
      return 'warning';
    case 'healthy':
    case 'fixed':
      return 'normal';
  }
}

/**
 * The PR list's counts: `fixing` (an agent works on it) and `red` (CI red and nobody on it yet, or out of
 * attempts). A PR without care (the track is off, ATO may not act on it) counts as red: it is on the list for that.
 */
export function pullCareCounts(prs: readonly { readonly care?: { readonly state: PanelPullCareState } | null }[]): { readonly red: number; readonly fixing: number } {
  let red = 0;
  let fixing = 0;
  for (const pr of prs) {
    const state = pr.care?.state;
    if (state === undefined || state === 'red' || state === 'needsYou' || state === 'analyzing') red++;
    else if (state === 'fixing') fixing++;
  }
  return { red, fixing };
}

/** "attempt 2 of 3", "no fix attempt yet (budget 3)". */
export function attemptsText(attempts: number, maxAttempts: number): string {
  return attempts === 0 ? `no fix attempt yet (budget ${String(maxAttempts)})` : `attempt ${String(attempts)} of ${String(maxAttempts)}`;
}

/** "claude-code · 5m ago · a1b2c3d": who was asked the last fix, when, on which head. */
export function lastFixText(fix: { readonly agent: string; readonly at: string; readonly headSha: string }, nowMs: number): string {
  return [fix.agent, ago(fix.at, nowMs), fix.headSha.slice(0, 7)].filter(part => part !== '').join(' · ');
}

/** "just now", "5m ago", "3h ago", "2d ago"; empty for a time that cannot be read. */
export function ago(at: string, nowMs: number): string {
  const then = Date.parse(at);
  if (!Number.isFinite(then)) return '';
  const seconds = Math.max(0, Math.floor((nowMs - then) / 1000));
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${String(Math.floor(seconds / 60))}m ago`;
  if (seconds < 86_400) return `${String(Math.floor(seconds / 3600))}h ago`;
  return `${String(Math.floor(seconds / 86_400))}d ago`;
}

/** The panel shows at most this much of a log excerpt (the track bounds it to 6,000 characters already). */
export const maxShownExcerptChars = 8000;
