import { dotComEndpoint, workspaceGitHubRemote } from '../../forges/github/githubHosts';
import { JulesApiError } from './julesApiError';
import type { JulesClient } from './julesClient';
import type { JulesSource } from './julesSchemas';

export type JulesSourceLookup =
  | { readonly kind: 'found'; readonly source: JulesSource; readonly repo: string }
  | { readonly kind: 'missing'; readonly reason: string };

const maxSourcePages = 20;

/**
 * The Jules source of the workspace's repository: its `origin` must be a github.com repository (Jules works
 * on github.com only; the remote's host is never asked anything), named `sources/github/<owner>/<repo>`;
 * when Jules does not know that name, `GET /sources` is searched by owner and repo (the docs also show a
 * `sources/github-<owner>-<repo>` form). Missing: the Jules GitHub app is not installed on the repository.
 * `githubApiUrl` is github.com's API unless a test serves GitHub elsewhere (the fake GitHub).
 */
export async function findJulesSource(client: JulesClient, workspaceRoot: string, githubApiUrl: string = dotComEndpoint.apiUrl): Promise<JulesSourceLookup> {
  const remote = await workspaceGitHubRemote(workspaceRoot, { apiUrl: githubApiUrl });
  if (remote.kind === 'noRemote') return { kind: 'missing', reason: 'the repository has no `origin` remote: Jules works on a GitHub repository' };
  if (remote.kind !== 'github' || (remote.endpoint.kind !== 'dotcom' && githubApiUrl === dotComEndpoint.apiUrl)) return { kind: 'missing', reason: 'the `origin` remote is not a github.com repository: Jules works on github.com only' };
  const repo = `${remote.owner}/${remote.name}`;
  const direct = await client.getSource(`sources/github/${repo}`);
  if (direct !== undefined) return { kind: 'found', source: direct, repo };
  let pageToken: string | undefined;
  for (let page = 0; page < maxSourcePages; page++) {
    const listed = await client.listSources(pageToken);
    const match = listed.items.find(source => source.githubRepo?.owner.toLowerCase() === remote.owner.toLowerCase() && source.githubRepo.repo.toLowerCase() === remote.name.toLowerCase());
    if (match !== undefined) return { kind: 'found', source: match, repo };
    pageToken = listed.nextPageToken;
    if (pageToken === undefined) break;
  }
  return { kind: 'missing', reason: `Jules has no source for ${repo}: install the Jules GitHub app on it (jules.google.com)` };
}

/** Health wording of a failed lookup. */
export function describeLookupError(error: unknown): string {
  return JulesApiError.is(error) ? error.message : `Jules could not be reached: ${error instanceof Error ? error.message : String(error)}`;
}
