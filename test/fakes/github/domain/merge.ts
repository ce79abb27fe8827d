import { FakeApiError } from '../errors';
import type { GitIdentity } from '../git/bareRepo';
import type { FakePull, FakeUser } from '../model';
import type { FakeRuntime, RepoRuntime } from '../runtime';
import { addEvent, closeIssue } from './issues';
import { mergeableOf, protectionBlocker } from './mergeability';
import { closingIssueNumbers, pullFiles } from './pulls';

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface MergeOptions {
  /** The head the caller reviewed: if the branch moved since, nothing is merged (409). */
  readonly sha?: string;
  readonly method: MergeMethod;
  readonly commitTitle?: string;
  readonly commitMessage?: string;
}

export function identityOf(user: FakeUser, date: string): GitIdentity {
  return { name: user.name ?? user.login, email: `${user.id}+${user.login}@users.noreply.github.com`, date };
}

/**
 * Merges a pull request the way GitHub does: checks state, head sha, draft, conflicts and branch
 * protection, writes a real commit on the base branch (compare-and-swap on the ref), then closes the PR
 * and the issues it closes. Returns the new head of the base branch.
 */
export async function mergePull(rt: FakeRuntime, repo: RepoRuntime, pull: FakePull, options: MergeOptions, actor: FakeUser): Promise<string> {
  repo.invalidateRefs();
  await repo.refs();
  if (pull.state !== 'open') throw new FakeApiError(405, 'Pull Request is not mergeable');
  if (options.sha !== undefined && options.sha !== pull.pull.headSha) throw new FakeApiError(409, 'Head branch was modified. Review and try the merge again.');
  if (pull.pull.draft) throw new FakeApiError(405, 'Pull Request is still a draft');
  if (await mergeableOf(repo, pull) === 'CONFLICTING') throw new FakeApiError(405, 'Pull Request is not mergeable');
  const blocker = await protectionBlocker(repo, pull);
  if (blocker !== undefined) throw new FakeApiError(405, blocker);
  const baseSha = await repo.branchSha(pull.pull.baseRef);
  if (baseSha === undefined) throw new FakeApiError(405, 'Pull Request is not mergeable');
  await pullFiles(repo, pull);

  const now = rt.clock.now();
  const committer: GitIdentity = { name: 'GitHub', email: 'noreply@github.com', date: now };
  const headSha = pull.pull.headSha;
  let newSha: string;
  if (options.method === 'rebase') {
    newSha = await rebaseCommits(repo, baseSha, headSha, committer);
  } else {
    const merged = await repo.git.mergeTree(baseSha, headSha);
    if (!merged.clean) throw new FakeApiError(405, 'Pull Request is not mergeable');
    if (options.method === 'merge') {
      const title = options.commitTitle ?? `Merge pull request #${pull.number} from ${pull.pull.headOwner ?? repo.data.owner}/${pull.pull.headRef}`;
      newSha = await repo.git.commitTree(merged.tree, [baseSha, headSha], `${title}\n\n${options.commitMessage ?? pull.title}\n`, identityOf(actor, now), committer);
    } else {
      const title = options.commitTitle ?? `${pull.title} (#${pull.number})`;
      const body = options.commitMessage ?? await squashBody(repo, baseSha, headSha);
      const author = identityOf(rt.users.get(pull.author), now);
      newSha = await repo.git.commitTree(merged.tree, [baseSha], body === '' ? `${title}\n` : `${title}\n\n${body}\n`, author, committer);
    }
  }
  if (!await repo.git.updateRef(`refs/heads/${pull.pull.baseRef}`, newSha, baseSha)) {
    repo.invalidateRefs();
    throw new FakeApiError(405, 'Base branch was modified. Review and try the merge again.');
  }
  repo.invalidateRefs();
  repo.data.pushedAt = now;

  pull.pull.merged = true;
  pull.pull.mergedAt = now;
  pull.pull.mergedBy = actor.login;
  pull.pull.mergeCommitSha = newSha;
  addEvent(rt, repo, pull, { event: 'merged', actor: actor.login, commitId: newSha });
  closeIssue(rt, repo, pull, actor.login, 'completed', { commitId: newSha });
  for (const number of closingIssueNumbers(repo.data, pull)) {
    const issue = repo.data.issues.get(number);
    if (issue !== undefined) closeIssue(rt, repo, issue, actor.login, 'completed', { pullNumber: pull.number, commitId: newSha });
  }
  return newSha;
}

/** GitHub's default squash message: one `* <subject>` line per commit of the pull request. */
async function squashBody(repo: RepoRuntime, baseSha: string, headSha: string): Promise<string> {
  const base = await repo.git.mergeBase(baseSha, headSha) ?? baseSha;
  const lines: string[] = [];
  for (const sha of await repo.git.commitsBetween(base, headSha)) {
    const subject = (await repo.git.readCommit(sha))?.message.split('\n')[0];
    if (subject !== undefined) lines.push(`* ${subject}`);
  }
  return lines.length > 1 ? lines.join('\n\n') : '';
}

/** Replays each commit of the pull request onto the base, keeping authors; GitHub becomes the committer. */
async function rebaseCommits(repo: RepoRuntime, baseSha: string, headSha: string, committer: GitIdentity): Promise<string> {
  const mergeBase = await repo.git.mergeBase(baseSha, headSha) ?? baseSha;
  let onto = baseSha;
  for (const sha of await repo.git.commitsBetween(mergeBase, headSha)) {
    const commit = await repo.git.readCommit(sha);
    const tree = await repo.git.replay(sha, onto);
    if (commit === undefined || tree === undefined) throw new FakeApiError(405, 'This branch can\'t be rebased');
    onto = await repo.git.commitTree(tree, [onto], commit.message, commit.author, committer);
  }
  return onto;
}
