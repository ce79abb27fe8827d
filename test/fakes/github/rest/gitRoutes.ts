import { identityOf } from '../domain/merge';
import { FakeApiError, notFound } from '../errors';
import type { GitIdentity, TreeChange } from '../git/bareRepo';
import { bodyObject, invalidRequest, optionalBoolean, optionalObject, optionalString, requiredString } from '../http/body';
import { type RepoRouteContext, repoRoute, type Route } from '../http/router';
import { gitCommitShape, gitRefShape, gitTreeShape } from './gitShapes';

async function refShape(context: RepoRouteContext, ref: string, sha: string): Promise<Record<string, unknown>> {
  const type = await context.repo.git.objectType(sha) ?? 'commit';
  return gitRefShape(context.rt, context.repo.data, ref, sha, type);
}

function identity(value: Readonly<Record<string, unknown>> | undefined, fallback: GitIdentity): GitIdentity {
  if (value === undefined) return fallback;
  return { name: requiredString(value, 'name'), email: requiredString(value, 'email'), date: optionalString(value, 'date') ?? fallback.date };
}

const treeModes = new Set(['100644', '100755', '040000', '160000', '120000']);

async function treeChanges(context: RepoRouteContext, items: unknown): Promise<TreeChange[]> {
  if (!Array.isArray(items)) throw invalidRequest('"tree" wasn\'t supplied.');
  const changes: TreeChange[] = [];
  for (const raw of items as unknown[]) {
    const item = bodyObject(raw);
    const path = requiredString(item, 'path');
    if (item['sha'] === null) {
      changes.push({ path, sha: null });
      continue;
    }
    const mode = optionalString(item, 'mode') ?? '100644';
    if (!treeModes.has(mode)) throw invalidRequest(`"${mode}" is not a valid tree entry mode.`);
    const type = (optionalString(item, 'type') ?? (mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob')) as 'blob' | 'tree' | 'commit';
    const content = optionalString(item, 'content');
    let sha = optionalString(item, 'sha');
    if (content !== undefined) sha = await context.repo.git.writeBlob(Buffer.from(content, 'utf8'));
    if (sha === undefined) throw invalidRequest('Must supply either tree.sha or tree.content.');
    if (type !== 'commit' && await context.repo.git.objectType(sha) !== type) throw new FakeApiError(422, `tree.sha ${sha} is not a valid ${type}`);
    changes.push({ path, mode, type, sha });
  }
  return changes;
}

export const gitRoutes: readonly Route[] = [
  repoRoute('GET', '/repos/{owner}/{repo}/git/ref/{ref}', 'git/get-ref', async context => {
    const ref = `refs/${context.params['ref'] ?? ''}`;
    const sha = await context.repo.git.readRef(ref);
    if (sha === undefined || !(await context.repo.git.isValidRefName(ref))) throw notFound();
    return { status: 200, body: await refShape(context, ref, sha) };
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/git/matching-refs/{ref}', 'git/list-matching-refs', async context => {
    const prefix = `refs/${context.params['ref'] ?? ''}`;
    const refs = await context.repo.git.readRefs();
    const matching = [...refs].filter(([name]) => name.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b));
    return { status: 200, body: matching.map(([name, value]) => gitRefShape(context.rt, context.repo.data, name, value.sha, value.type)) };
  }),
  repoRoute('POST', '/repos/{owner}/{repo}/git/refs', 'git/create-ref', async context => {
    const body = bodyObject(context.body);
    const ref = requiredString(body, 'ref');
    const sha = requiredString(body, 'sha');
    if (!ref.startsWith('refs/') || ref.split('/').length < 3 || !(await context.repo.git.isValidRefName(ref))) throw new FakeApiError(422, 'Reference name is invalid');
    if (await context.repo.git.objectType(sha) === undefined) throw new FakeApiError(422, 'Object does not exist');
    if (!await context.repo.git.updateRef(ref, sha, null)) throw new FakeApiError(422, 'Reference already exists');
    context.repo.invalidateRefs();
    return { status: 201, body: await refShape(context, ref, sha), headers: { location: context.rt.urls.repoApi(context.repo.data, `/git/${ref}`) } };
  }),
  repoRoute('PATCH', '/repos/{owner}/{repo}/git/refs/{ref}', 'git/update-ref', async context => {
    const body = bodyObject(context.body);
    const ref = `refs/${context.params['ref'] ?? ''}`;
    const sha = requiredString(body, 'sha');
    const force = optionalBoolean(body, 'force') ?? false;
    const current = await context.repo.git.readRef(ref);
    if (current === undefined) throw new FakeApiError(422, 'Reference does not exist');
    if (!force) {
      const ancestry = await context.repo.git.ancestry(current, sha);
      if (ancestry === 'missing') throw new FakeApiError(422, 'Object does not exist');
      if (ancestry === 'notAncestor') throw new FakeApiError(422, 'Update is not a fast forward');
    } else if (await context.repo.git.objectType(sha) === undefined) {
      throw new FakeApiError(422, 'Object does not exist');
    }
    // Compare-and-swap: a writer that moved the ref since we read it wins, and this update is no longer a fast forward.
    const updated = await context.repo.git.updateRef(ref, sha, force ? undefined : current);
    context.repo.invalidateRefs();
    if (!updated) throw new FakeApiError(422, 'Update is not a fast forward');
    return { status: 200, body: force ? await refShape(context, ref, sha) : gitRefShape(context.rt, context.repo.data, ref, sha, 'commit') };
  }),
  repoRoute('DELETE', '/repos/{owner}/{repo}/git/refs/{ref}', 'git/delete-ref', async context => {
    const ref = `refs/${context.params['ref'] ?? ''}`;
    const current = await context.repo.git.readRef(ref);
    if (current === undefined || !await context.repo.git.deleteRef(ref, current)) throw new FakeApiError(422, 'Reference does not exist');
    context.repo.invalidateRefs();
    return { status: 204 };
  }),
  repoRoute('POST', '/repos/{owner}/{repo}/git/blobs', 'git/create-blob', async context => {
    const body = bodyObject(context.body);
    const content = requiredString(body, 'content');
    const encoding = optionalString(body, 'encoding') ?? 'utf-8';
    if (encoding !== 'utf-8' && encoding !== 'base64') throw invalidRequest(`encoding must be utf-8 or base64, not ${encoding}`);
    const sha = await context.repo.git.writeBlob(Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'));
    return { status: 201, body: { url: context.rt.urls.repoApi(context.repo.data, `/git/blobs/${sha}`), sha } };
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/git/blobs/{file_sha}', 'git/get-blob', async context => {
    const sha = context.params['file_sha'] ?? '';
    if (await context.repo.git.objectType(sha) !== 'blob') throw notFound();
    const content = await context.repo.git.readBlob(sha);
    return {
      status: 200,
      body: { sha, node_id: `B_kw${Buffer.from(sha).toString('base64url')}`, size: content.length, url: context.rt.urls.repoApi(context.repo.data, `/git/blobs/${sha}`), content: content.toString('base64'), encoding: 'base64' },
    };
  }),
  repoRoute('POST', '/repos/{owner}/{repo}/git/trees', 'git/create-tree', async context => {
    const body = bodyObject(context.body);
    const base = optionalString(body, 'base_tree');
    if (base !== undefined) {
      const type = await context.repo.git.objectType(base);
      if (type !== 'tree' && type !== 'commit') throw new FakeApiError(422, 'Invalid tree info');
    }
    const tree = await context.repo.git.writeTree(base, await treeChanges(context, body['tree']));
    return { status: 201, body: gitTreeShape(context.rt, context.repo.data, tree, await context.repo.git.listTree(tree)), headers: { location: context.rt.urls.repoApi(context.repo.data, `/git/trees/${tree}`) } };
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/git/trees/{tree_sha}', 'git/get-tree', async context => {
    const sha = context.params['tree_sha'] ?? '';
    const type = await context.repo.git.objectType(sha);
    if (type !== 'tree' && type !== 'commit') throw notFound();
    const recursive = context.query.get('recursive') !== null;
    const entries = await context.repo.git.listTree(sha, { recursive, trees: recursive });
    const treeSha = type === 'commit' ? (await context.repo.git.readCommit(sha))?.tree ?? sha : sha;
    return { status: 200, body: gitTreeShape(context.rt, context.repo.data, treeSha, entries) };
  }),
  repoRoute('POST', '/repos/{owner}/{repo}/git/commits', 'git/create-commit', async context => {
    const body = bodyObject(context.body);
    const message = requiredString(body, 'message');
    const tree = requiredString(body, 'tree');
    const parents = Array.isArray(body['parents']) ? (body['parents'] as unknown[]).map(String) : [];
    if (await context.repo.git.objectType(tree) !== 'tree') throw new FakeApiError(422, 'Tree SHA does not exist');
    for (const parent of parents) {
      if (await context.repo.git.objectType(parent) !== 'commit') throw new FakeApiError(422, 'Parent SHA does not exist or is not a commit object');
    }
    const author = identity(optionalObject(body, 'author'), identityOf(context.rt.tokenUser, context.rt.clock.now()));
    const committer = identity(optionalObject(body, 'committer'), author);
    const sha = await context.repo.git.commitTree(tree, parents, message, author, committer);
    const commit = await context.repo.git.readCommit(sha);
    if (commit === undefined) throw new Error(`the commit ${sha} just written cannot be read`);
    return { status: 201, body: gitCommitShape(context.rt, context.repo.data, commit), headers: { location: context.rt.urls.repoApi(context.repo.data, `/git/commits/${sha}`) } };
  }),
  repoRoute('GET', '/repos/{owner}/{repo}/git/commits/{commit_sha}', 'git/get-commit', async context => {
    const commit = await context.repo.git.readCommit(context.params['commit_sha'] ?? '');
    if (commit === undefined) throw notFound();
    return { status: 200, body: gitCommitShape(context.rt, context.repo.data, commit) };
  }),
];
