import { FakeApiError } from '../errors';
import { type FakePull, type FakeUser, headRefOf } from '../model';
import type { FakeRuntime, RepoRuntime } from '../runtime';
import { identityOf } from './merge';

/**
 * `update-branch`: merges the base branch into the PR's head branch with a merge commit, as GitHub's "Update
 * branch" button does. Refused (422) when the head moved from `expectedHeadSha`, when the head already contains
 * the base, or when the two conflict. Returns the new head.
 */
export async function updateBranch(rt: FakeRuntime, repo: RepoRuntime, pull: FakePull, actor: FakeUser, expectedHeadSha: string | undefined): Promise<string> {
  repo.invalidateRefs();
  await repo.refs();
  if (pull.state !== 'open') throw new FakeApiError(422, 'Pull request is closed.');
  const headSha = pull.pull.headSha;
  if (expectedHeadSha !== undefined && expectedHeadSha !== headSha) throw new FakeApiError(422, 'expected head sha didn\'t match current head ref.');
  const baseSha = await repo.branchSha(pull.pull.baseRef);
  if (baseSha === undefined) throw new FakeApiError(422, 'Base branch not found.');
  if (await repo.git.isAncestor(baseSha, headSha)) throw new FakeApiError(422, 'There are no new commits on the base branch.');
  const merged = await repo.git.mergeTree(headSha, baseSha);
  if (!merged.clean) throw new FakeApiError(422, 'merge conflict between base and head');
  const now = rt.clock.now();
  const message = `Merge branch '${pull.pull.baseRef}' into ${pull.pull.headRef}\n`;
  const sha = await repo.git.commitTree(merged.tree, [headSha, baseSha], message, identityOf(actor, now), { name: 'GitHub', email: 'noreply@github.com', date: now });
  if (!await repo.git.updateRef(headRefOf(pull.pull), sha, headSha)) throw new FakeApiError(422, 'expected head sha didn\'t match current head ref.');
  repo.invalidateRefs();
  repo.data.pushedAt = now;
  await repo.refs();
  return sha;
}
