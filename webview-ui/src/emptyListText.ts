import type { PanelSnapshot } from '../../src/shared/protocol';

/** The panel's lists that come from GitHub (through the loop) and say why they are empty. */
export type LoopListId = 'needsYou' | 'redPrs' | 'followedPrs';

const restricted: Readonly<Record<LoopListId, string>> = {
  needsYou: 'Nothing needs you here. Restricted Mode hides what the loop would find on GitHub (ready PRs, workflow runs to approve): ATO makes no request until you trust this folder.',
  redPrs: 'Restricted Mode hides red PRs: ATO makes no GitHub request until you trust this folder.',
  followedPrs: 'Restricted Mode hides the loop\'s pull requests: ATO makes no GitHub request until you trust this folder.',
};

const github: Readonly<Record<LoopListId, string>> = {
  needsYou: 'Nothing needs you.',
  redPrs: 'No red PRs: no open pull request has failing checks.',
  followedPrs: 'No open pull request of the gap analysis, a task or a capability update.',
};

const local: Readonly<Record<LoopListId, string>> = {
  needsYou: 'Nothing needs you.',
  redPrs: 'Local mode: there are no pull requests to watch.',
  followedPrs: 'Local mode: there are no pull requests to follow.',
};

const noLoop: Readonly<Record<LoopListId, string>> = {
  needsYou: 'Nothing needs you.',
  redPrs: 'No GitHub remote yet: red PRs appear here once the GitHub loop runs.',
  followedPrs: 'No GitHub remote yet: the loop\'s pull requests appear here once it runs.',
};

/**
 * What an empty loop list says. In Restricted Mode the loop reads nothing from GitHub, so the list says
 * that Restricted Mode hides it, not that there is no remote.
 */
export function emptyLoopListText(snapshot: Pick<PanelSnapshot, 'trusted' | 'loop'>, list: LoopListId): string {
  if (!snapshot.trusted) return restricted[list];
  return (snapshot.loop.mode === 'github' ? github : snapshot.loop.mode === 'local' ? local : noLoop)[list];
}
