import { runGit } from './git';

export interface TokenPushOptions {
  /** The repository (or one of its worktrees) to push from. */
  readonly cwd: string;
  /** The remote's URL, e.g. `https://github.com/octo/app.git`: the token goes only to its scheme, host and port. */
  readonly remoteUrl: string;
  /** The commit-ish to push. */
  readonly source: string;
  /** The branch on the remote, without `refs/heads/`. */
  readonly branch: string;
  readonly token: string;
  readonly timeoutMs?: number;
  /**
   * The one force ATO uses (a rebased follow-up on an agent's PR branch): `--force-with-lease` with the
   * commit the branch must still be at on the remote; anything else there and the push is refused.
   */
  readonly forceWithLease?: { readonly expectedSha: string };
}

/**
 * The `http.<url>.extraHeader` key that scopes a header to the remote's host: git sends it only to URLs
 * that start with this scheme, host and port (so not after a redirect elsewhere).
 */
export function hostScopedKey(remoteUrl: string): string {
  const url = new URL(remoteUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`ATO pushes with a token over HTTP(S) only, not to ${url.protocol}// remotes`);
  if (url.username !== '' || url.password !== '') throw new Error('the remote URL carries credentials of its own: ATO will not add its token to it');
  return `http.${url.protocol}//${url.host}/.extraheader`;
}

/**
 * Pushes `source` to `branch` on the remote URL with the GitHub token as GitHub's git expects it (Basic,
 * `x-access-token`). The header reaches git through `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n` in git's own
 * environment: never on the command line (other users can read that), never in `.git/config`, and scoped
 * to the remote's host. Not forced (unless `forceWithLease`): a branch that moved on the remote is refused, not overwritten.
 */
export async function pushWithToken(options: TokenPushOptions): Promise<void> {
  const key = hostScopedKey(options.remoteUrl);
  const credentials = Buffer.from(`x-access-token:${options.token}`, 'utf8').toString('base64');
  const lease = options.forceWithLease === undefined ? [] : [`--force-with-lease=refs/heads/${options.branch}:${expectedSha(options.forceWithLease.expectedSha)}`];
  await runGit(['push', '--quiet', '--no-verify', ...lease, options.remoteUrl, `${options.source}:refs/heads/${options.branch}`], {
    cwd: options.cwd,
    timeoutMs: options.timeoutMs ?? 120_000,
    env: {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: key,
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${credentials}`,
      // Nothing of the user's credential helpers: the token above is the one credential this push uses.
      GIT_ASKPASS: 'true',
    },
  });
}

/** A lease names a full commit id, never a ref or an option. */
function expectedSha(sha: string): string {
  if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(sha)) throw new Error(`"${sha}" is not a commit id to lease a push on`);
  return sha;
}
