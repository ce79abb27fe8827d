import { isExternalUrl } from '../../shared/loopSnapshot';
import type { LoopNeedsYou, LoopState } from '../loop/engine/loopModel';

/**
 * Links the loop's state holds (PRs, issues, checks) and the ones derived from them (a PR's checks page).
 * The views show only these, and the host opens only these: a webview or a tree argument cannot make ATO
 * open anything else.
 */

const pullPage = /^(https?:\/\/[^?#]*\/pull\/\d+)(?:\/[A-Za-z]*)?\/?(?:[?#].*)?$/;

/** The PR's checks page (where GitHub offers to approve waiting workflow runs), or the URL itself for anything else. */
export function checksPageUrl(url: string): string {
  const match = pullPage.exec(url);
  return match?.[1] === undefined ? url : `${match[1]}/checks`;
}

/** The PR's own page for any of its sub-pages (`/checks`, `/files`), or the URL itself. */
export function pullRequestPage(url: string): string {
  return pullPage.exec(url)?.[1] ?? url;
}

/** Where a needs-you item's one action goes: a PR's checks page for workflow runs awaiting approval, else its URL. */
export function needsYouLink(item: LoopNeedsYou): string | undefined {
  if (item.url === undefined || !isExternalUrl(item.url)) return undefined;
  return item.kind === 'workflowsAwaitingApproval' ? checksPageUrl(item.url) : item.url;
}

/** The web page of pull request `number`, from whatever part of the loop's state names it. */
export function pullRequestUrl(loop: LoopState, number: number): string | undefined {
  const candidates = [
    ...loop.redPullRequests.filter(pr => pr.number === number).map(pr => pr.url),
    ...loop.needsYou.filter(item => item.pullNumber === number && item.url !== undefined).map(item => pullRequestPage(item.url ?? '')),
    ...(loop.stage?.focus?.pullRequest?.number === number ? [loop.stage.focus.pullRequest.url] : []),
    ...loop.followedPullRequests.filter(pr => pr.number === number).map(pr => pr.url),
  ];
  return candidates.find(isExternalUrl);
}

/** The checks page of pull request `number` (to approve waiting workflow runs), when the state names the PR. */
export function pullRequestChecksUrl(loop: LoopState, number: number): string | undefined {
  const waiting = loop.needsYou.find(item => item.kind === 'workflowsAwaitingApproval' && item.pullNumber === number);
  const direct = waiting === undefined ? undefined : needsYouLink(waiting);
  if (direct !== undefined) return direct;
  const page = pullRequestUrl(loop, number);
  return page === undefined ? undefined : checksPageUrl(page);
}

const known = new WeakMap<LoopState, ReadonlySet<string>>();

/** Every link the views may show for this loop state. */
export function loopUrls(loop: LoopState): ReadonlySet<string> {
  let urls = known.get(loop);
  if (urls !== undefined) return urls;
  const all = new Set<string>();
  const add = (url: string | null | undefined): void => {
    if (url === undefined || url === null || !isExternalUrl(url)) return;
    all.add(url);
    const checks = checksPageUrl(url);
    if (isExternalUrl(checks)) all.add(checks);
    const page = pullRequestPage(url);
    if (isExternalUrl(page)) all.add(page);
  };
  add(loop.stage?.focus?.issue?.url);
  add(loop.stage?.focus?.pullRequest?.url);
  for (const pr of loop.followedPullRequests) {
    add(pr.url);
    for (const check of pr.failingChecks) add(check.url);
  }
  for (const pr of loop.redPullRequests) {
    add(pr.url);
    for (const check of pr.failingChecks) add(check.url);
  }
  for (const item of loop.needsYou) add(item.url);
  urls = all;
  known.set(loop, urls);
  return urls;
}
