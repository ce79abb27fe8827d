import { isExternalUrl } from '../../shared/loopSnapshot';
import { ciStateLabels, verdictText } from '../../shared/loopWords';
import { workLabel } from '../loop/tracks/planning/workNames';
import type { AtoState } from '../state/atoState';
import { commandIds, treeItemContexts } from './commandIds';
import { maxTreeTasks } from './queueTreeRows';
import type { TreeNodeModel } from './treeModel';

/**
 * Pull requests: every open PR the loop follows, red or not, with its work, CI state and merge verdict; each
 * rule of the verdict is a child row with its reason. A click opens the PR on GitHub.
 */
export function followedPullRequestRows(state: AtoState): TreeNodeModel[] {
  const prs = state.loop.followedPullRequests;
  if (prs.length === 0) return [];
  return [{
    id: 'followedPrs',
    label: 'Pull requests',
    description: `${String(prs.length)} followed`,
    tooltip: 'Open pull requests of the gap analysis, the tasks and the capability updates, with their CI and the merge policy\'s verdict.',
    icon: 'git-pull-request',
    children: prs.slice(0, maxTreeTasks).map(pr => {
      const link = isExternalUrl(pr.url) ? { url: pr.url, command: commandIds.openPullRequest, commandArgs: [pr.url], contextValue: treeItemContexts.link } : {};
      return {
        id: `followedPr/${String(pr.number)}`,
        label: `#${String(pr.number)} ${pr.title}`,
        description: `${workLabel(pr.work)} · ${ciStateLabels[pr.ci]} · ${verdictText(pr.verdict.rules)}`,
        tooltip: [`${pr.title} (by ${pr.author})`, `${workLabel(pr.work)} · ${ciStateLabels[pr.ci]}`, ...pr.verdict.rules.map(rule => `${rule.ok ? '✓' : '✗'} ${rule.detail}`)].join('\n'),
        icon: pr.verdict.ready ? 'git-merge' : pr.ci === 'red' ? 'error' : pr.isDraft ? 'git-pull-request-draft' : 'git-pull-request',
        ref: String(pr.number),
        ...link,
        children: pr.verdict.rules.map(rule => ({
          id: `followedPr/${String(pr.number)}/rule/${rule.rule}`,
          label: rule.detail,
          description: rule.rule,
          icon: rule.ok ? 'pass' : 'circle-large-outline',
        })),
      };
    }),
  }];
}
