import type { CommitInfo, TreeEntry } from '../git/bareRepo';
import { nodeId } from '../ids';
import type { FakeCheckRun, FakePull, FakeRepoData, FakeStatus } from '../model';
import type { FakeRuntime } from '../runtime';
import { repositoryCore } from './repoShapes';
import { appShape, userByLogin } from './userShapes';

export function gitRefShape(rt: FakeRuntime, repo: FakeRepoData, ref: string, sha: string, type: string): Record<string, unknown> {
  return {
    ref,
    node_id: nodeId('Ref', `${repo.id}:${ref}`),
    url: rt.urls.repoApi(repo, `/git/${ref}`),
    object: { type, sha, url: rt.urls.repoApi(repo, `/git/${type === 'tag' ? 'tags' : 'commits'}/${sha}`) },
  };
}

const unsigned = { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null };

/** REST `git-commit`. */
export function gitCommitShape(rt: FakeRuntime, repo: FakeRepoData, commit: CommitInfo): Record<string, unknown> {
  return {
    sha: commit.sha,
    node_id: nodeId('Commit', `${repo.id}:${commit.sha}`),
    url: rt.urls.repoApi(repo, `/git/commits/${commit.sha}`),
    html_url: rt.urls.repoHtml(repo, `/commit/${commit.sha}`),
    author: { ...commit.author },
    committer: { ...commit.committer },
    message: commit.message.replace(/\n$/, ''),
    tree: { sha: commit.tree, url: rt.urls.repoApi(repo, `/git/trees/${commit.tree}`) },
    parents: commit.parents.map(sha => ({ sha, url: rt.urls.repoApi(repo, `/git/commits/${sha}`), html_url: rt.urls.repoHtml(repo, `/commit/${sha}`) })),
    verification: unsigned,
  };
}

/** REST `git-tree` (the top level of the tree, as GitHub answers a create). */
export function gitTreeShape(rt: FakeRuntime, repo: FakeRepoData, sha: string, entries: readonly TreeEntry[]): Record<string, unknown> {
  return {
    sha,
    url: rt.urls.repoApi(repo, `/git/trees/${sha}`),
    truncated: false,
    tree: entries.map(entry => ({
      path: entry.path,
      mode: entry.mode,
      type: entry.type,
      sha: entry.sha,
      ...(entry.size === undefined ? {} : { size: entry.size }),
      url: rt.urls.repoApi(repo, `/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`),
    })),
  };
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** A contents entry without its content: a directory listing item, or the `content` of a file commit. */
export function contentEntryShape(rt: FakeRuntime, repo: FakeRepoData, ref: string, entry: TreeEntry): Record<string, unknown> {
  const type = entry.type === 'tree' ? 'dir' : entry.type === 'commit' ? 'submodule' : entry.mode === '120000' ? 'symlink' : 'file';
  const self = rt.urls.repoApi(repo, `/contents/${encodePath(entry.path)}?ref=${encodeURIComponent(ref)}`);
  const git = rt.urls.repoApi(repo, `/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`);
  const html = rt.urls.repoHtml(repo, `/${type === 'dir' ? 'tree' : 'blob'}/${encodeURIComponent(ref)}/${encodePath(entry.path)}`);
  return {
    type,
    size: entry.size ?? 0,
    name: entry.path.split('/').pop() ?? entry.path,
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: type === 'file' ? rt.urls.repoHtml(repo, `/raw/${encodeURIComponent(ref)}/${encodePath(entry.path)}`) : null,
    _links: { self, git, html },
  };
}

/** REST `content-file`: base64 content wrapped at 60 characters, as GitHub sends it. */
export function contentFileShape(rt: FakeRuntime, repo: FakeRepoData, ref: string, entry: TreeEntry, content: Buffer): Record<string, unknown> {
  const base64 = content.toString('base64').replace(/(.{60})/g, '$1\n');
  return { ...contentEntryShape(rt, repo, ref, entry), encoding: 'base64', content: base64.endsWith('\n') || base64 === '' ? base64 : `${base64}\n` };
}

export function pullMinimal(rt: FakeRuntime, repo: FakeRepoData, pull: FakePull, baseSha: string): Record<string, unknown> {
  const repoRef = { id: repo.id, url: rt.urls.repoApi(repo), name: repo.name };
  return {
    id: pull.id,
    number: pull.number,
    url: rt.urls.repoApi(repo, `/pulls/${pull.number}`),
    head: { ref: pull.pull.headRef, sha: pull.pull.headSha, repo: repoRef },
    base: { ref: pull.pull.baseRef, sha: baseSha, repo: repoRef },
  };
}

/** REST `check-run`. */
export function checkRunShape(rt: FakeRuntime, repo: FakeRepoData, run: FakeCheckRun, pulls: readonly { readonly pull: FakePull; readonly baseSha: string }[]): Record<string, unknown> {
  const suite = repo.checkSuites.find(candidate => candidate.id === run.suiteId);
  const url = rt.urls.repoApi(repo, `/check-runs/${run.id}`);
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: run.nodeId,
    external_id: '',
    url,
    html_url: run.detailsUrl,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${url}/annotations` },
    name: run.name,
    check_suite: { id: run.suiteId },
    app: appShape(rt, rt.users.app(suite?.app ?? 'github-actions'), repo.createdAt),
    pull_requests: pulls.map(entry => pullMinimal(rt, repo, entry.pull, entry.baseSha)),
  };
}

/** REST `combined-commit-status`. */
export function combinedStatusShape(rt: FakeRuntime, repo: FakeRepoData, sha: string, state: string, statuses: readonly FakeStatus[]): Record<string, unknown> {
  return {
    state,
    statuses: statuses.map(status => ({
      id: status.id,
      node_id: status.nodeId,
      url: rt.urls.repoApi(repo, `/statuses/${sha}`),
      avatar_url: (userByLogin(rt, status.creator) as { avatar_url: string }).avatar_url,
      state: status.state,
      description: status.description,
      target_url: status.targetUrl,
      context: status.context,
      created_at: status.createdAt,
      updated_at: status.createdAt,
    })),
    sha,
    total_count: statuses.length,
    repository: repositoryCore(rt, repo),
    commit_url: rt.urls.repoApi(repo, `/commits/${sha}`),
    url: rt.urls.repoApi(repo, `/commits/${sha}/status`),
  };
}
