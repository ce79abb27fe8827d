import { runGit } from './git';

/** What HEAD is in a folder: a commit, a repository with no commit yet (after `git init`), or no repository. */
export type RepositoryHead =
  | { readonly kind: 'commit'; readonly sha: string }
  | { readonly kind: 'noCommit' }
  | { readonly kind: 'notARepository' };

/**
 * Reads HEAD of the repository that contains `directory` with one `git rev-parse`. Rejects with a
 * `GitError` only when git itself cannot run (not installed, timed out).
 */
export async function repositoryHead(directory: string): Promise<RepositoryHead> {
  // Exit 1: no such revision (a repository without commits); 128: not a repository at all.
  const result = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: directory, timeoutMs: 10_000, okExitCodes: [1, 128] });
  if (result.exitCode === 0) return { kind: 'commit', sha: result.stdout.trim() };
  return result.exitCode === 1 ? { kind: 'noCommit' } : { kind: 'notARepository' };
}

/** What `<path>` is in HEAD's tree (a folder is `tree`), or undefined when HEAD has nothing there. `path` is relative to the top level, `/`-separated. */
export async function headObjectType(directory: string, path: string): Promise<'tree' | 'blob' | 'commit' | undefined> {
  const result = await runGit(['cat-file', '-t', `HEAD:${path}`], { cwd: directory, timeoutMs: 10_000, okExitCodes: [128] });
  const type = result.stdout.trim();
  return result.exitCode === 0 && (type === 'tree' || type === 'blob' || type === 'commit') ? type : undefined;
}
