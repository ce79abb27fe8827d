import { runGit } from '../../git/git';
import { defaultGitHubApiUrl, githubDotComHost, normaliseHost, parseRemoteUrl } from './remoteUrl';

/**
 * Where a GitHub token may go (PRODUCT §4 "A token goes only to the host it was issued for"): api.github.com
 * for github.com, and the GitHub Enterprise the user configured in settings a repository cannot change —
 * `ato.github.apiUrl` and VS Code's `github-enterprise.uri` read at user/machine scope, `ATO_GITHUB_API_URL`
 * headless. Nothing is ever derived from a remote's host: a cloned repository whose `origin` names another
 * server gets no request at all.
 */
export interface GitHubHostSettings {
  /** `ato.github.apiUrl` (user/machine scope) or `ATO_GITHUB_API_URL`; the default means github.com only. */
  readonly apiUrl: string;
  /** VS Code's `github-enterprise.uri` at user scope (the Enterprise its `github-enterprise` sign-in is for). */
  readonly enterpriseUri?: string | undefined;
}

/** One GitHub a token can be issued for. */
export interface GitHubEndpoint {
  readonly kind: 'dotcom' | 'enterprise';
  /** REST base URL, no trailing slash. */
  readonly apiUrl: string;
  /** Where its web pages and git remotes live: `github.com`, or the Enterprise's `host[:port]`. */
  readonly webHost: string;
}

export const dotComEndpoint: GitHubEndpoint = { kind: 'dotcom', apiUrl: defaultGitHubApiUrl, webHost: githubDotComHost };

/** A remote ATO may talk to, with its endpoint; or why it is not one. */
export type GitHubRemote =
  | { readonly kind: 'github'; readonly endpoint: GitHubEndpoint; readonly owner: string; readonly name: string }
  | { readonly kind: 'notGitHub'; readonly reason: string };

const settingsHint = '`ato.github.apiUrl` or VS Code\'s `github-enterprise.uri` in your user settings; headless, `ATO_GITHUB_API_URL`';

/** The Enterprises the user configured: from the API URL, and from VS Code's Enterprise sign-in URI. */
export function enterpriseEndpoints(hosts: GitHubHostSettings): GitHubEndpoint[] {
  const found: GitHubEndpoint[] = [];
  const api = trimUrl(hosts.apiUrl);
  if (api !== undefined && api !== defaultGitHubApiUrl) {
    const webHost = webHostOfApi(api);
    if (webHost !== undefined && webHost !== githubDotComHost) found.push({ kind: 'enterprise', apiUrl: api, webHost });
  }
  const signIn = enterpriseSignInEndpoint(hosts.enterpriseUri);
  if (signIn !== undefined && !found.some(endpoint => endpoint.webHost === signIn.webHost)) found.push(signIn);
  return found;
}

/** The Enterprise of VS Code's `github-enterprise.uri` (its web address): `<sub>.ghe.com` → `api.<sub>.ghe.com`, else `/api/v3`. */
export function enterpriseSignInEndpoint(enterpriseUri: string | undefined): GitHubEndpoint | undefined {
  const uri = parseHttpUrl(enterpriseUri);
  if (uri === undefined) return undefined;
  const webHost = normaliseHost(uri.host);
  if (webHost === githubDotComHost) return undefined;
  const apiUrl = webHost.endsWith('.ghe.com') ? `${uri.protocol}//api.${webHost}` : `${uri.protocol}//${webHost}/api/v3`;
  return { kind: 'enterprise', apiUrl, webHost };
}

/** The endpoint of the configured API URL: the one a token given to ATO (stored, or in the environment) is for. */
export function configuredEndpoint(hosts: GitHubHostSettings): GitHubEndpoint {
  const api = trimUrl(hosts.apiUrl);
  if (api === undefined || api === defaultGitHubApiUrl) return dotComEndpoint;
  return enterpriseEndpoints({ apiUrl: api }).find(endpoint => endpoint.apiUrl === api) ?? dotComEndpoint;
}

/**
 * The endpoint for a git remote: github.com (any alias) → api.github.com; the host of a configured Enterprise
 * → its API; anything else is not a GitHub remote, with the reason to show. An http(s) remote matches on
 * host and port, an ssh one on the host name.
 */
export function resolveGitHubRemote(remoteUrl: string, hosts: GitHubHostSettings): GitHubRemote {
  const remote = parseRemoteUrl(remoteUrl);
  if (remote === undefined) return { kind: 'notGitHub', reason: 'The `origin` remote is not a GitHub repository URL (owner/name): the loop works on the local planning folder.' };
  const { owner, name } = remote;
  if (remote.host === githubDotComHost) return { kind: 'github', endpoint: dotComEndpoint, owner, name };
  const hostName = (host: string): string => host.replace(/:\d+$/, '');
  const endpoint = enterpriseEndpoints(hosts).find(candidate => (remote.via === 'http' ? candidate.webHost === remote.host : hostName(candidate.webHost) === hostName(remote.host)));
  if (endpoint !== undefined) return { kind: 'github', endpoint, owner, name };
  return {
    kind: 'notGitHub',
    reason: `The \`origin\` remote is on ${remote.host}, which is neither github.com nor a GitHub Enterprise you configured (${settingsHint}): ATO sends your GitHub token nowhere else and makes no request. The loop works on the local planning folder.`,
  };
}

/** The workspace's `origin` as a GitHub remote; `noRemote` when there is none (or no git repository). */
export async function workspaceGitHubRemote(workspaceRoot: string, hosts: GitHubHostSettings): Promise<GitHubRemote | { readonly kind: 'noRemote' }> {
  const result = await runGit(['remote', 'get-url', 'origin'], { cwd: workspaceRoot, okExitCodes: [2, 128] }).catch(() => undefined);
  if (result?.exitCode !== 0) return { kind: 'noRemote' };
  return resolveGitHubRemote(result.stdout.trim(), hosts);
}

/** `https://H/api/v3` → H; `https://api.<sub>.ghe.com` → `<sub>.ghe.com`; any other API URL → its own host. */
function webHostOfApi(apiUrl: string): string | undefined {
  const url = parseHttpUrl(apiUrl);
  if (url === undefined) return undefined;
  const host = normaliseHost(url.host);
  const ghe = /^api\.([a-z0-9-]+\.ghe\.com)$/.exec(host);
  return ghe?.[1] ?? host;
}

function parseHttpUrl(text: string | undefined): URL | undefined {
  const trimmed = text?.trim();
  if (trimmed === undefined || trimmed === '') return undefined;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function trimUrl(text: string): string | undefined {
  const trimmed = text.trim().replace(/\/+$/, '');
  return trimmed === '' ? undefined : trimmed;
}
