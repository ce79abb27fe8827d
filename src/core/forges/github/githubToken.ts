import { configuredEndpoint, enterpriseSignInEndpoint, type GitHubEndpoint, type GitHubHostSettings } from './githubHosts';

/** Which of VS Code's sign-ins is issued for an endpoint. */
export type GitHubSessionProvider = 'github' | 'github-enterprise';

/** Where GitHub tokens come from; each source is asked only for the endpoint its token was issued for. */
export interface GitHubTokenSources {
  /** The token the user gave ATO (SecretStorage, or `ATO_GITHUB_TOKEN`/`GITHUB_TOKEN`/`GH_TOKEN`): it is for the configured API URL. */
  readonly configured: () => Promise<string | undefined>;
  /** A sign-in of VS Code's provider (`github` is github.com's, `github-enterprise` the one of `github-enterprise.uri`); none headless. */
  readonly session: (provider: GitHubSessionProvider) => Promise<string | undefined>;
}

/**
 * The sign-in provider whose sessions are for this endpoint: VS Code's `github` for github.com, its
 * `github-enterprise` for the host of the user's `github-enterprise.uri`; none for any other endpoint.
 */
export function sessionProviderFor(endpoint: GitHubEndpoint, hosts: GitHubHostSettings): GitHubSessionProvider | undefined {
  if (endpoint.kind === 'dotcom') return 'github';
  const signIn = enterpriseSignInEndpoint(hosts.enterpriseUri);
  return signIn?.webHost === endpoint.webHost ? 'github-enterprise' : undefined;
}

/**
 * The token for one endpoint: the sign-in issued for it first, else the token given to ATO when that token is
 * for this endpoint's API (the configured `ato.github.apiUrl`). Never a token issued for another host.
 */
export async function githubTokenFor(endpoint: GitHubEndpoint, hosts: GitHubHostSettings, sources: GitHubTokenSources): Promise<string | undefined> {
  const provider = sessionProviderFor(endpoint, hosts);
  const session = provider === undefined ? undefined : await sources.session(provider);
  if (session !== undefined) return session;
  return configuredEndpoint(hosts).apiUrl === endpoint.apiUrl ? sources.configured() : undefined;
}

/** How the loop and Doctor ask for the token of one endpoint. */
export type GitHubTokenLookup = (endpoint: GitHubEndpoint) => Promise<string | undefined>;

/** Headless (the CLI, CI): no sign-in, only the token from the environment, which is for the configured API. */
export function headlessTokenLookup(hosts: GitHubHostSettings, configured: () => Promise<string | undefined>): GitHubTokenLookup {
  return endpoint => githubTokenFor(endpoint, hosts, { configured, session: () => Promise.resolve(undefined) });
}
