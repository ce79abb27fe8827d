import { isExternalUrl, type PanelPullCare, type PanelRedPullRequest } from '../../src/shared/loopSnapshot';
import { attemptsText, lastFixText, pullCareLabels, pullCareTone } from '../../src/shared/pullCare';
import type { PanelSnapshot } from '../../src/shared/protocol';
import { action, matchesFilter, type RowAction, type Tone } from './listModel';
import type { UiState } from './uiState';

/**
 * A PR under the maintenance track's care (issue 11), as a card in the Red PRs section: its state, the attempt,
 * the reason, the last fix, the failing checks, the log excerpt and its actions. Pure; the DOM is careView.ts.
 */
export interface CareCard {
  readonly key: string;
  readonly pr: PanelRedPullRequest;
  readonly care: PanelPullCare;
  readonly badge: { readonly label: string; readonly tone: Tone };
  /** "attempt 2 of 3 · 2 failing checks · draft". */
  readonly summary: string;
  /** "copilot · 5m ago · abcdef1", or null before any fix. */
  readonly lastFix: string | null;
  readonly checks: readonly { readonly name: string; readonly open: RowAction | undefined }[];
  /** The excerpt's lines, for the summary ("Log excerpt · 14 lines"); null without an excerpt. */
  readonly excerptLines: number | null;
  readonly open: RowAction | undefined;
  /** "Fix now", "Send to…". */
  readonly actions: readonly RowAction[];
}

/** States where nothing is red: a fix would have nothing to do. */
const settled = new Set<PanelPullCare['state']>(['healthy', 'fixed']);

export function buildCareCards(snapshot: PanelSnapshot, ui: UiState, nowMs: number): CareCard[] {
  const cards: CareCard[] = [];
  for (const pr of snapshot.loop.redPullRequests) {
    const care = pr.care;
    if (care === null) continue;
    if (!matchesFilter(ui.filter, [pr.title, `#${String(pr.number)}`, pullCareLabels[care.state], care.reason, ...pr.failingChecks.map(check => check.name)])) continue;
    const link = (url: string | null): RowAction | undefined => url === null || !isExternalUrl(url) ? undefined : action('Open on GitHub', 'link-external', { type: 'openExternal', url }, false, snapshot.trusted);
    const failing = pr.failingChecks.length === 0 ? '' : pr.failingChecks.length === 1 ? '1 failing check' : `${String(pr.failingChecks.length)} failing checks`;
    const summary = [attemptsText(care.attempts, care.maxAttempts), failing, pr.isDraft ? 'draft' : ''].filter(part => part !== '').join(' · ');
    const fixMessage = { type: 'loop.fixPullRequest', pullNumber: pr.number } as const;
    const sendMessage = { type: 'loop.sendPullRequestTo', pullNumber: pr.number } as const;
    const actions = [action('Fix now', 'wrench', fixMessage, true, snapshot.trusted), action('Send to…', 'send', sendMessage, true, snapshot.trusted)]
      .map(button => settled.has(care.state) && button.disabledReason === undefined ? { ...button, disabledReason: `PR #${String(pr.number)} is ${pullCareLabels[care.state]}: nothing to fix.` } : button);
    cards.push({
      key: `care:${String(pr.number)}`,
      pr,
      care,
      badge: { label: pullCareLabels[care.state], tone: pullCareTone(care.state) },
      summary,
      lastFix: care.lastFix === null ? null : lastFixText(care.lastFix, nowMs),
      checks: pr.failingChecks.map(check => ({ name: check.name, open: link(check.url) })),
      excerptLines: care.logExcerpt === null ? null : care.logExcerpt.split('\n').length,
      open: link(pr.url),
      actions,
    });
  }
  return cards;
}
