import type { RepoCoordinates } from './githubModel';

/** A GitHub repository as named by a git remote URL. */
export interface RemoteRepository {
  /** Lower-case host; for http(s) remotes with an explicit port, `host:port`. */
  readonly host: string;
  readonly owner: string;
  readonly name: string;
}

export const githubDotComHost = 'github.com';
export const defaultGitHubApiUrl = 'https://api.github.com';

/** Hosts that are github.com under another name (SSH over port 443, the www alias). */
const githubDotComAliases = new Set(['github.com', 'www.github.com', 'ssh.github.com']);

/**
 * Parses a git remote URL: `https://[user[:token]@]host/owner/name[.git]`, `ssh://[user@]host[:port]/owner/name[.git]`,
 * `git+ssh://…`, `git://…`, and scp-like `[user@]host:owner/name[.git]`. Credentials are dropped. Returns
 * undefined for anything else (a local path, a path with more than owner/name).
 */
export function parseRemoteUrl(remote: string): RemoteRepository | undefined {
  const trimmed = remote.trim();
  const urlMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed);
  if (urlMatch) {
    const scheme = (urlMatch[1] ?? '').toLowerCase();
    if (!['http', 'https', 'ssh', 'git+ssh', 'ssh+git', 'git'].includes(scheme)) return undefined;
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return undefined;
    }
    // An SSH port says nothing about where the web API lives, an HTTP one does.
    const isHttp = scheme === 'http' || scheme === 'https';
    const host = isHttp ? url.host : url.hostname;
    return fromParts(host, decodeSafely(url.pathname));
  }
  // scp-like syntax: no scheme, a colon before the first slash; a one-letter "host" is a Windows drive.
  const scpMatch = /^(?:[^@/\s]+@)?([^:/\s]{2,}):(?!\/\/)(.+)$/.exec(trimmed);
  if (scpMatch) return fromParts(scpMatch[1] ?? '', scpMatch[2] ?? '');
  return undefined;
}

function fromParts(rawHost: string, rawPath: string): RemoteRepository | undefined {
  const host = normaliseHost(rawHost);
  if (host === '') return undefined;
  const segments = rawPath.split('/').filter(segment => segment !== '');
  if (segments.length !== 2) return undefined;
  const owner = segments[0] ?? '';
  const name = (segments[1] ?? '').replace(/\.git$/i, '');
  if (!isValidSegment(owner) || !isValidSegment(name)) return undefined;
  return { host, owner, name };
}

function normaliseHost(host: string): string {
  const lower = host.toLowerCase();
  return githubDotComAliases.has(lower) ? githubDotComHost : lower;
}

function isValidSegment(segment: string): boolean {
  return segment !== '' && segment !== '.' && segment !== '..' && !/[\s?#]/.test(segment);
}

function decodeSafely(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * REST base URL for a host. An explicitly configured URL other than the default wins (Enterprise behind
 * a proxy, the fake GitHub in tests); otherwise github.com → api.github.com, GHE.com (`<sub>.ghe.com`) →
 * `https://api.<sub>.ghe.com`, any other host (GitHub Enterprise Server) → `https://<host>/api/v3`.
 */
export function apiUrlFor(host: string, configuredApiUrl?: string): string {
  const configured = configuredApiUrl?.trim().replace(/\/+$/, '');
  if (configured !== undefined && configured !== '' && configured !== defaultGitHubApiUrl) return configured;
  const lower = normaliseHost(host);
  if (lower === githubDotComHost) return defaultGitHubApiUrl;
  if (lower.endsWith('.ghe.com')) return `https://api.${lower}`;
  return `https://${lower}/api/v3`;
}

/** GraphQL endpoint for a REST base URL: `<host>/api/graphql` on Enterprise Server, `<api>/graphql` elsewhere. */
export function graphqlUrlFor(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  return base.endsWith('/api/v3') ? base.replace(/\/api\/v3$/, '/api/graphql') : `${base}/graphql`;
}

/** Where ATO talks to for a remote: its owner/name and the REST base URL (see `apiUrlFor`). */
export function repoCoordinatesFromRemote(remote: string, configuredApiUrl?: string): RepoCoordinates | undefined {
  const parsed = parseRemoteUrl(remote);
  if (parsed === undefined) return undefined;
  return { owner: parsed.owner, name: parsed.name, apiUrl: apiUrlFor(parsed.host, configuredApiUrl) };
}
