import { configuredEndpoint, workspaceGitHubRemote, type GitHubHostSettings } from '../forges/github/githubHosts';
import type { GitHubTokenLookup } from '../forges/github/githubToken';
import type { AtoSettings } from '../settings/settings';
import type { SecretId, SecretSource } from '../secrets/secrets';
import { describeError } from '../logging/redactor';

/** The part of `fetch` ATO uses, so tests and the CLI can pass their own. */
export type FetchLike = (
  url: string,
  init: { method: 'GET'; headers: Record<string, string>; signal: AbortSignal },
) => Promise<{ readonly status: number; text(): Promise<string> }>;

export type ServiceName = 'GitHub' | 'GitLab' | 'Jules' | 'Anthropic';

export interface ConnectionResult {
  readonly service: ServiceName;
  readonly url: string;
  /** `refused`: ATO sent nothing, on purpose (a remote that is not a GitHub it knows); `detail` says why. */
  readonly outcome: 'ok' | 'notConfigured' | 'failed' | 'refused';
  /** Human text. May contain what a server echoed, so it must pass the redactor before display. */
  readonly detail: string;
}

interface Probe {
  readonly service: ServiceName;
  readonly url: string;
  readonly secret: () => Promise<string | undefined>;
  readonly headers: (secret: string) => Record<string, string>;
}

const userAgent = 'ato-vscode';

/**
 * Where Doctor's GitHub check goes: the GitHub of the workspace's `origin` with the token issued for it, or
 * the configured API when there is no remote; a remote that is no GitHub ATO knows gets no request.
 */
export type GitHubProbeTarget =
  | { readonly kind: 'endpoint'; readonly apiUrl: string; readonly token: () => Promise<string | undefined> }
  | { readonly kind: 'refused'; readonly reason: string };

export async function githubProbeTarget(workspaceRoot: string | undefined, hosts: GitHubHostSettings, token: GitHubTokenLookup): Promise<GitHubProbeTarget> {
  const remote = workspaceRoot === undefined ? { kind: 'noRemote' as const } : await workspaceGitHubRemote(workspaceRoot, hosts);
  if (remote.kind === 'notGitHub') return { kind: 'refused', reason: remote.reason };
  const endpoint = remote.kind === 'github' ? remote.endpoint : configuredEndpoint(hosts);
  return { kind: 'endpoint', apiUrl: endpoint.apiUrl, token: () => token(endpoint) };
}

// One cheap authenticated read per service: proves the URL, the network and the key together.
function probes(settings: AtoSettings, secrets: SecretSource, github: Extract<GitHubProbeTarget, { kind: 'endpoint' }> | undefined): Probe[] {
  const secret = (id: SecretId) => () => secrets.get(id);
  return [
    ...(github === undefined ? [] : [{
      service: 'GitHub' as const,
      url: `${github.apiUrl}/user`,
      secret: github.token,
      headers: (token: string) => ({ authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': userAgent }),
    }]),
    {
      service: 'GitLab',
      url: `${settings['gitlab.apiUrl']}/user`,
      secret: secret('gitlab.token'),
      headers: token => ({ 'private-token': token, 'user-agent': userAgent }),
    },
    {
      service: 'Jules',
      url: `${settings['jules.apiUrl']}/sources?pageSize=1`,
      secret: secret('jules.apiKey'),
      headers: key => ({ 'x-goog-api-key': key, 'user-agent': userAgent }),
    },
    {
      service: 'Anthropic',
      url: `${settings['anthropic.apiUrl']}/v1/models?limit=1`,
      secret: secret('anthropic.apiKey'),
      headers: key => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01', 'user-agent': userAgent }),
    },
  ];
}

export interface CheckConnectionsInput {
  readonly settings: AtoSettings;
  readonly secrets: SecretSource;
  /** GitHub's check: see `githubProbeTarget`. */
  readonly github: GitHubProbeTarget;
  readonly fetch: FetchLike;
}

/** Checks every service whose key is set, in parallel, each bounded by the network timeout. */
export async function checkConnections({ settings, secrets, github, fetch }: CheckConnectionsInput): Promise<ConnectionResult[]> {
  const timeoutMs = settings['network.timeoutSeconds'] * 1000;
  const checked = await Promise.all(
    probes(settings, secrets, github.kind === 'endpoint' ? github : undefined).map(async (probe): Promise<ConnectionResult> => {
      const { url } = probe;
      const secret = await probe.secret();
      if (secret === undefined) return { service: probe.service, url, outcome: 'notConfigured', detail: 'no key set' };
      try {
        const response = await fetch(url, { method: 'GET', headers: probe.headers(secret), signal: AbortSignal.timeout(timeoutMs) });
        if (response.status >= 200 && response.status < 300) return { service: probe.service, url, outcome: 'ok', detail: `HTTP ${response.status}` };
        const body = (await response.text()).replace(/\s+/g, ' ').trim();
        return { service: probe.service, url, outcome: 'failed', detail: `HTTP ${response.status}${body ? `: ${truncate(body, 300)}` : ''}${hint(response.status)}` };
      } catch (error) {
        return { service: probe.service, url, outcome: 'failed', detail: describeError(error) };
      }
    }),
  );
  return github.kind === 'refused' ? [{ service: 'GitHub', url: '', outcome: 'refused', detail: github.reason }, ...checked] : checked;
}

function hint(status: number): string {
  if (status === 401) return ' — the key was rejected; set it again';
  if (status === 403) return ' — the key lacks permission, or a rate limit applies';
  if (status === 429) return ' — rate limited; try again later';
  if (status >= 500) return ' — the service failed; try again later';
  return '';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
