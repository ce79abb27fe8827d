/** A GitHub repository as named by a git remote URL. */
export interface RemoteRepository {
  /** Lower-case host; for http(s) remotes with an explicit port, `host:port`. */
  readonly host: string;
  readonly owner: string;
  readonly name: string;
  /** `http`: an http(s) URL, whose host names the web server; `ssh`: ssh, scp-like or git://, whose port says nothing about it. */
  readonly via: 'http' | 'ssh';
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
    return fromParts(host, decodeSafely(url.pathname), isHttp ? 'http' : 'ssh');
  }
  // scp-like syntax: no scheme, a colon before the first slash; a one-letter "host" is a Windows drive.
  const scpMatch = /^(?:[^@/\s]+@)?([^:/\s]{2,}):(?!\/\/)(.+)$/.exec(trimmed);
  if (scpMatch) return fromParts(scpMatch[1] ?? '', scpMatch[2] ?? '', 'ssh');
  return undefined;
}

function fromParts(rawHost: string, rawPath: string, via: RemoteRepository['via']): RemoteRepository | undefined {
  const host = normaliseHost(rawHost);
  // A host name, IPv4 or bracketed IPv6 address, and a port: nothing else (the host is shown to the user).
  if (!/^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/.test(host)) return undefined;
  const segments = rawPath.split('/').filter(segment => segment !== '');
  if (segments.length !== 2) return undefined;
  const owner = segments[0] ?? '';
  const name = (segments[1] ?? '').replace(/\.git$/i, '');
  if (!isValidSegment(owner) || !isValidSegment(name)) return undefined;
  return { host, owner, name, via };
}

export function normaliseHost(host: string): string {
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

/** GraphQL endpoint for a REST base URL: `<host>/api/graphql` on Enterprise Server, `<api>/graphql` elsewhere. */
export function graphqlUrlFor(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  return base.endsWith('/api/v3') ? base.replace(/\/api\/v3$/, '/api/graphql') : `${base}/graphql`;
}
