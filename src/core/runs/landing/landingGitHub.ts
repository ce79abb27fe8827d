import { createGitHubPort } from '../../forges/github/githubAdapter';
import { workspaceGitHubRemote } from '../../forges/github/githubHosts';
import type { GitHubTokenLookup } from '../../forges/github/githubToken';
import type { GitHubRetryOptions } from '../../forges/github/octokitFactory';
import { pushWithToken } from '../../git/tokenPush';
import { defaultBranch } from '../../loop/github/createGitHubLoop';
import type { Logger } from '../../logging/logger';
import type { Redactor } from '../../logging/redactor';
import type { AtoSettings } from '../../settings/settings';
import type { RunPullRequestForge } from './runPullRequest';

export interface LandingGitHubSetup {
  readonly workspaceRoot: string;
  readonly settings: Pick<AtoSettings, 'github.apiUrl' | 'network.timeoutSeconds'>;
  /** The token issued for the remote's host, as the loop asks for it (never a token for another host). */
  readonly token: GitHubTokenLookup;
  readonly enterpriseUri?: string | undefined;
  readonly log: Logger;
  readonly redactor: Redactor;
  readonly userAgent: string;
  readonly retry?: GitHubRetryOptions;
}

/**
 * GitHub for a run's pull request: `origin`'s GitHub (github.com, or an Enterprise the user configured), its
 * token, and its default branch as the base — found as the loop finds them. The push goes to a URL built from
 * the token's own endpoint, not to whatever `origin` says, so the token reaches only the host it is for. No
 * GitHub remote or no token: the reason, and no request.
 */
export async function landingGitHub(setup: LandingGitHubSetup): Promise<RunPullRequestForge | { readonly unavailable: string }> {
  const remote = await workspaceGitHubRemote(setup.workspaceRoot, { apiUrl: setup.settings['github.apiUrl'], enterpriseUri: setup.enterpriseUri });
  if (remote.kind === 'noRemote') return { unavailable: 'this repository has no `origin` remote.' };
  if (remote.kind !== 'github') return { unavailable: remote.reason };
  const token = await setup.token(remote.endpoint);
  if (token === undefined) return { unavailable: `no GitHub token for ${remote.endpoint.webHost}: sign in ("ATO: Sign in to GitHub") or set ATO_GITHUB_TOKEN for the CLI.` };
  const repo = { owner: remote.owner, name: remote.name, apiUrl: remote.endpoint.apiUrl };
  const port = await createGitHubPort({
    repo,
    token,
    timeoutMs: setup.settings['network.timeoutSeconds'] * 1000,
    log: setup.log,
    redactor: setup.redactor,
    userAgent: setup.userAgent,
    ...(setup.retry === undefined ? {} : { retry: setup.retry }),
  });
  const pushUrl = `${new URL(repo.apiUrl).protocol}//${remote.endpoint.webHost}/${repo.owner}/${repo.name}.git`;
  return {
    port,
    push: (source, branch) => pushWithToken({ cwd: setup.workspaceRoot, remoteUrl: pushUrl, source, branch, token }),
    baseBranch: await defaultBranch(setup.workspaceRoot),
  };
}
