import type { GitHubClient } from './githubClient';
import { GitHubError, isGitHubError } from './githubError';
import type { FileChange, GitCommitInfo, GitRefValue } from './githubModel';
import { restGitCommitSchema, restRefSchema, restShaSchema } from './restSchemas';

/** `refs/heads/main` or `heads/main` → `heads/main`, the form the git-data routes take. */
export function shortRef(ref: string): string {
  return ref.replace(/^\/+/, '').replace(/^refs\//, '');
}

/** Git data API operations: refs, commits and trees, and ATO's compare-and-swap on refs. */
export class GitData {
  constructor(private readonly client: GitHubClient) {}

  async getRef(ref: string): Promise<GitRefValue | undefined> {
    try {
      const { data } = await this.client.rest({ method: 'GET', path: this.client.repoPath('git', 'ref', shortRef(ref)) }, restRefSchema);
      return { ref: data.ref, sha: data.object.sha };
    } catch (error) {
      if (isGitHubError(error, 'notFound')) return undefined;
      throw error;
    }
  }

  async getCommit(sha: string): Promise<GitCommitInfo> {
    const { data } = await this.client.rest({ method: 'GET', path: this.client.repoPath('git', 'commits', sha) }, restGitCommitSchema);
    return { sha: data.sha, message: data.message, treeSha: data.tree.sha, parents: data.parents.map(parent => parent.sha) };
  }

  async createCommit(options: { readonly message: string; readonly treeSha: string; readonly parents: readonly string[] }): Promise<string> {
    const { data } = await this.client.rest({
      method: 'POST',
      path: this.client.repoPath('git', 'commits'),
      body: { message: options.message, tree: options.treeSha, parents: options.parents },
    }, restShaSchema);
    return data.sha;
  }

  async createTree(files: readonly { readonly path: string; readonly content: string }[], baseTree?: string): Promise<string> {
    return this.postTree(files.map(file => ({ path: file.path, mode: '100644', type: 'blob', content: file.content })), baseTree);
  }

  async createRef(ref: string, sha: string): Promise<void> {
    const fullRef = `refs/${shortRef(ref)}`;
    try {
      // Not retried: a retry after a lost answer would report our own ref as someone else's.
      await this.client.rest({ method: 'POST', path: this.client.repoPath('git', 'refs'), body: { ref: fullRef, sha }, retryOnFailure: false }, restRefSchema);
    } catch (error) {
      // GitHub answers 422 both for "Reference already exists" and for a bad sha: look rather than read its wording.
      if (isGitHubError(error, 'invalid') && (await this.getRef(fullRef)) !== undefined) {
        throw new GitHubError('conflict', `${fullRef} already exists`, error.status);
      }
      throw error;
    }
  }

  async updateRefFastForward(ref: string, sha: string): Promise<void> {
    const short = shortRef(ref);
    try {
      await this.client.rest({ method: 'PATCH', path: this.client.repoPath('git', 'refs', short), body: { sha, force: false } }, restRefSchema);
    } catch (error) {
      // 422: not a fast-forward (the ref moved), or the ref is gone.
      if (isGitHubError(error, 'invalid')) {
        if ((await this.getRef(short)) === undefined) throw new GitHubError('notFound', `refs/${short} does not exist`, error.status);
        throw new GitHubError('conflict', `refs/${short} did not move to ${sha}: not a fast-forward (${error.message})`, error.status);
      }
      throw error;
    }
  }

  /**
   * One commit with every change on top of `expectedHeadSha`, then a fast-forward-only ref update. The
   * branch is read first: if it is not at `expectedHeadSha`, nothing is written at all.
   */
  async commitFiles(branch: string, options: { readonly expectedHeadSha: string; readonly message: string; readonly changes: readonly FileChange[] }): Promise<string> {
    const ref = `heads/${shortRef(branch).replace(/^heads\//, '')}`;
    const head = await this.getRef(ref);
    if (head === undefined) throw new GitHubError('notFound', `branch ${branch} does not exist`, 404);
    if (head.sha !== options.expectedHeadSha) {
      throw new GitHubError('conflict', `branch ${branch} is at ${head.sha}, not ${options.expectedHeadSha}`, undefined);
    }
    const parent = await this.getCommit(options.expectedHeadSha);
    // Inline content creates the blobs in the same request; `sha: null` deletes a path.
    const tree = await this.postTree(options.changes.map(change => change.content === null
      ? { path: change.path, mode: '100644', type: 'blob', sha: null }
      : { path: change.path, mode: '100644', type: 'blob', content: change.content }), parent.treeSha);
    const commit = await this.createCommit({ message: options.message, treeSha: tree, parents: [options.expectedHeadSha] });
    await this.updateRefFastForward(ref, commit);
    return commit;
  }

  private async postTree(entries: readonly Readonly<Record<string, unknown>>[], baseTree: string | undefined): Promise<string> {
    const body = baseTree === undefined ? { tree: entries } : { base_tree: baseTree, tree: entries };
    const { data } = await this.client.rest({ method: 'POST', path: this.client.repoPath('git', 'trees'), body }, restShaSchema);
    return data.sha;
  }
}
