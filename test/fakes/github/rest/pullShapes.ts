import { mergeableOf, mergeStateStatusOf } from '../domain/mergeability';
import { pullFiles } from '../domain/pulls';
import type { ChangedFile } from '../git/bareRepo';
import type { FakePull, FakeRepoData } from '../model';
import type { FakeRuntime, RepoRuntime } from '../runtime';
import { authorAssociation, issueHtmlUrl, issueShape, teamShape } from './issueShapes';
import { repositoryShape } from './repoShapes';
import { userByLogin } from './userShapes';

function branchEnd(rt: FakeRuntime, repo: FakeRepoData, ref: string, sha: string): Record<string, unknown> {
  return { label: `${repo.owner}:${ref}`, ref, sha, user: userByLogin(rt, repo.owner), repo: repositoryShape(rt, repo) };
}

/** The repository the head branch lives in: this one, or the fork of a cross-repository pull request. */
export function headRepoOf(rt: FakeRuntime, repo: RepoRuntime, pull: FakePull): FakeRepoData {
  const owner = pull.pull.headOwner;
  return owner === undefined ? repo.data : rt.repo(owner, repo.data.name)?.data ?? repo.data;
}

/** REST `pull-request-simple` (lists), or with `full` the `pull-request` of `GET .../pulls/{n}`. */
export async function pullShape(rt: FakeRuntime, repo: RepoRuntime, pull: FakePull, full: boolean): Promise<Record<string, unknown>> {
  const data = repo.data;
  const url = rt.urls.repoApi(data, `/pulls/${pull.number}`);
  const html = issueHtmlUrl(rt, data, pull);
  const issue = issueShape(rt, data, pull);
  const baseSha = (pull.pull.merged ? (await repo.git.readCommit(pull.pull.mergeCommitSha ?? ''))?.parents[0] : undefined)
    ?? await repo.branchSha(pull.pull.baseRef) ?? pull.pull.headSha;
  const shape: Record<string, unknown> = {
    url,
    id: pull.id,
    node_id: pull.nodeId,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: rt.urls.repoApi(data, `/issues/${pull.number}`),
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: rt.urls.repoApi(data, '/pulls/comments{/number}'),
    comments_url: rt.urls.repoApi(data, `/issues/${pull.number}/comments`),
    statuses_url: rt.urls.repoApi(data, `/statuses/${pull.pull.headSha}`),
    number: pull.number,
    state: pull.state,
    locked: pull.locked,
    title: pull.title,
    user: issue['user'],
    body: pull.body,
    labels: issue['labels'],
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.pull.mergedAt,
    merge_commit_sha: pull.pull.mergeCommitSha,
    assignee: issue['assignee'],
    assignees: issue['assignees'],
    requested_reviewers: pull.pull.requestedReviewers.map(login => userByLogin(rt, login)),
    requested_teams: pull.pull.requestedTeams.map(slug => teamShape(rt, data, slug)),
    head: branchEnd(rt, headRepoOf(rt, repo, pull), pull.pull.headRef, pull.pull.headSha),
    base: branchEnd(rt, data, pull.pull.baseRef, baseSha),
    _links: {
      self: { href: url }, html: { href: html }, issue: { href: rt.urls.repoApi(data, `/issues/${pull.number}`) },
      comments: { href: rt.urls.repoApi(data, `/issues/${pull.number}/comments`) }, review_comments: { href: `${url}/comments` },
      review_comment: { href: rt.urls.repoApi(data, '/pulls/comments{/number}') }, commits: { href: `${url}/commits` },
      statuses: { href: rt.urls.repoApi(data, `/statuses/${pull.pull.headSha}`) },
    },
    author_association: authorAssociation(data, pull.author),
    auto_merge: null,
    draft: pull.pull.draft,
  };
  if (!full) return shape;
  const files = await pullFiles(repo, pull);
  const mergeable = await mergeableOf(repo, pull);
  const mergeBase = await repo.git.mergeBase(baseSha, pull.pull.headSha);
  return {
    ...shape,
    merged: pull.pull.merged,
    mergeable: mergeable === 'UNKNOWN' ? null : mergeable === 'MERGEABLE',
    rebaseable: mergeable === 'UNKNOWN' ? null : mergeable === 'MERGEABLE',
    mergeable_state: (await mergeStateStatusOf(repo, pull)).toLowerCase(),
    merged_by: pull.pull.mergedBy === null ? null : userByLogin(rt, pull.pull.mergedBy),
    comments: issue['comments'],
    review_comments: 0,
    maintainer_can_modify: false,
    commits: mergeBase === undefined ? 0 : (await repo.git.commitsBetween(mergeBase, pull.pull.headSha)).length,
    additions: files.reduce((sum, file) => sum + file.additions, 0),
    deletions: files.reduce((sum, file) => sum + file.deletions, 0),
    changed_files: files.length,
  };
}

/** REST `diff-entry`. */
export function diffEntryShape(rt: FakeRuntime, repo: FakeRepoData, headSha: string, file: ChangedFile): Record<string, unknown> {
  const path = file.path.split('/').map(encodeURIComponent).join('/');
  return {
    sha: file.sha,
    filename: file.path,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: rt.urls.repoHtml(repo, `/blob/${headSha}/${path}`),
    raw_url: rt.urls.repoHtml(repo, `/raw/${headSha}/${path}`),
    contents_url: rt.urls.repoApi(repo, `/contents/${path}?ref=${headSha}`),
    ...(file.patch === undefined ? {} : { patch: file.patch }),
    ...(file.previousPath === undefined ? {} : { previous_filename: file.previousPath }),
  };
}
