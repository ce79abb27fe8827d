import { identityOf } from '../domain/merge';
import { FakeApiError, notFound } from '../errors';
import type { GitIdentity } from '../git/bareRepo';
import { bodyObject, invalidRequest, optionalObject, optionalString, requiredString } from '../http/body';
import { type RepoRouteContext, repoRoute, type RestResult, type Route } from '../http/router';
import { contentEntryShape, contentFileShape, gitCommitShape } from './gitShapes';

function wantsRaw(context: RepoRouteContext): boolean {
  const accept = context.headers.accept ?? '';
  return /application\/vnd\.github(\.v3)?\.raw/.test(accept);
}

async function getContent(context: RepoRouteContext): Promise<RestResult> {
  const ref = context.query.get('ref') ?? context.repo.data.defaultBranch;
  const commit = await context.repo.git.resolveCommit(ref);
  if (commit === undefined) throw new FakeApiError(404, `No commit found for the ref ${ref}`);
  const path = (context.params['path'] ?? '').replace(/^\/+|\/+$/g, '');
  const listing = async (dir: string): Promise<RestResult> => {
    const entries = await context.repo.git.listTree(commit, dir === '' ? {} : { path: `${dir}/` });
    return { status: 200, body: entries.map(entry => contentEntryShape(context.rt, context.repo.data, ref, entry)) };
  };
  if (path === '') return listing('');
  const entry = await context.repo.git.entryAt(commit, path);
  if (entry === undefined) throw notFound();
  if (entry.type === 'tree') return listing(path);
  const content = entry.type === 'blob' ? await context.repo.git.readBlob(entry.sha) : Buffer.alloc(0);
  if (wantsRaw(context)) return { status: 200, raw: { contentType: 'application/vnd.github.raw; charset=utf-8', text: content } };
  return { status: 200, body: contentFileShape(context.rt, context.repo.data, ref, entry, content) };
}

function identity(value: Readonly<Record<string, unknown>> | undefined, fallback: GitIdentity): GitIdentity {
  if (value === undefined) return fallback;
  return { name: requiredString(value, 'name'), email: requiredString(value, 'email'), date: optionalString(value, 'date') ?? fallback.date };
}

export const contentRoutes: readonly Route[] = [
  repoRoute('GET', '/repos/{owner}/{repo}/contents', 'repos/get-content', getContent),
  repoRoute('GET', '/repos/{owner}/{repo}/contents/{path}', 'repos/get-content', getContent),
  repoRoute('PUT', '/repos/{owner}/{repo}/contents/{path}', 'repos/create-or-update-file-contents', async context => {
    const body = bodyObject(context.body);
    const path = (context.params['path'] ?? '').replace(/^\/+|\/+$/g, '');
    const message = requiredString(body, 'message');
    const content = requiredString(body, 'content');
    if (!/^[A-Za-z0-9+/=\s]*$/.test(content)) throw invalidRequest('content is not valid Base64');
    const branch = optionalString(body, 'branch') ?? context.repo.data.defaultBranch;
    const sha = optionalString(body, 'sha');
    const head = await context.repo.branchSha(branch);
    if (head === undefined) throw new FakeApiError(404, `Branch ${branch} not found`);
    const existing = await context.repo.git.entryAt(head, path);
    if (existing !== undefined && sha === undefined) throw invalidRequest('"sha" wasn\'t supplied.');
    if (sha !== undefined && existing?.sha !== sha) throw new FakeApiError(409, `${path} does not match ${sha}`);
    const blob = await context.repo.git.writeBlob(Buffer.from(content, 'base64'));
    const tree = await context.repo.git.writeTree(head, [{ path, mode: existing?.mode ?? '100644', type: 'blob', sha: blob }]);
    const now = context.rt.clock.now();
    const author = identity(optionalObject(body, 'author'), identityOf(context.rt.tokenUser, now));
    const committer = identity(optionalObject(body, 'committer'), author);
    const commitSha = await context.repo.git.commitTree(tree, [head], message, author, committer);
    if (!await context.repo.git.updateRef(`refs/heads/${branch}`, commitSha, head)) {
      context.repo.invalidateRefs();
      throw new FakeApiError(409, `refs/heads/${branch} was modified: ${path} does not match ${sha ?? 'the branch head'}`);
    }
    context.repo.invalidateRefs();
    context.repo.data.pushedAt = now;
    const entry = await context.repo.git.entryAt(commitSha, path);
    const commit = await context.repo.git.readCommit(commitSha);
    if (entry === undefined || commit === undefined) throw new Error(`the commit ${commitSha} just written cannot be read`);
    return {
      status: existing === undefined ? 201 : 200,
      body: { content: contentEntryShape(context.rt, context.repo.data, branch, entry), commit: gitCommitShape(context.rt, context.repo.data, commit) },
    };
  }),
];
