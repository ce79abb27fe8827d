import type { PanelCiState, PanelLoopCounts } from './loopSnapshot';

/**
 * Words for the loop's pull requests and counts, the same in the tree (host) and the control panel (webview).
 * Pure.
 */

export const ciStateLabels: Readonly<Record<PanelCiState, string>> = { green: 'CI green', red: 'CI red', pending: 'CI pending', noCi: 'no CI' };

/** "ready to merge", or how many rules of the merge policy a pull request does not meet yet. */
export function verdictText(rules: readonly { readonly ok: boolean }[]): string {
  const unmet = rules.filter(rule => !rule.ok).length;
  return unmet === 0 ? 'ready to merge' : `${String(unmet)} merge ${unmet === 1 ? 'rule' : 'rules'} unmet`;
}

/** A focus's issue or PR: "PR #12: [WIP] Add a login form", or only "Issue #3" when it is titled like the work itself. */
export function focusRefCaption(name: string, title: string, workTitle: string): string {
  return title === workTitle ? name : `${name}: ${title}`;
}

/** The loop's counts in one line ("3 pending · 1 processed · …"), and each explained for a tooltip. */
export function loopCountsText(counts: PanelLoopCounts): { readonly text: string; readonly tooltip: string } {
  const parts = [
    `${String(counts.pending)} pending`,
    `${String(counts.processed)} processed`,
    `${String(counts.complete)} complete`,
    ...(counts.invalid > 0 ? [`${String(counts.invalid)} invalid`] : []),
    `${String(counts.unpromoted)} unpromoted`,
    plural(counts.openAtoIssues, 'open ATO issue'),
    `${String(counts.followedPullRequests)} of ${plural(counts.openPullRequests, 'open PR')} followed`,
    ...(counts.localDrafts > 0 ? [plural(counts.localDrafts, 'local draft')] : []),
  ];
  const tooltip = [
    'Read from the planning branch and GitHub, not from your working tree:',
    `valid tasks: ${String(counts.pending)} in pending/, ${String(counts.processed)} in processed/, ${String(counts.complete)} in complete/; ${plural(counts.invalid, 'invalid task file')} apart`,
    `${plural(counts.unpromoted, 'valid pending task')} without an open issue yet`,
    `${plural(counts.openAtoIssues, 'open issue')} with an ATO label`,
    `${plural(counts.openPullRequests, 'open pull request')}, ${String(counts.followedPullRequests)} of them followed by the loop`,
    `${plural(counts.localDrafts, 'local task file')} not on the planning branch`,
  ].join('\n');
  return { text: parts.join(' · '), tooltip };
}

function plural(count: number, noun: string): string {
  return `${String(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** How local mode's loop turns on: the panel's one loop line and the tree's Loop row say it (issue 14). */
export const localModeLoopText = 'Local mode: the GitHub loop turns on with a GitHub origin remote and a sign-in (or token).';

/**
 * A running loop whose poll timer is held because the window has been unfocused (LoopState.pausedUnfocused):
 * the status bar, the panel's loop line and the tree's Loop row say it the same way, with how it resumes.
 */
export const unfocusedPauseText = {
  label: 'Paused (window unfocused)',
  detail: 'The loop stopped polling: this window has been unfocused for longer than ato.loop.pauseWhenUnfocusedMinutes. It catches up with one tick as soon as this window has focus again.',
  nextTick: 'when this window has focus again',
} as const;
