import { appendMarker, formatMarker, taskIdsInBody } from '../../texts/markers';

/** The repository the loop works on, as its web pages are addressed (`https://github.com/octo/app`). */
export interface LoopRepository {
  /** `https:`, or `http:` for a GitHub served over plain HTTP (the fake). */
  readonly protocol: string;
  /** `github.com`, a GHE host, or `host:port`. */
  readonly webHost: string;
  readonly owner: string;
  readonly name: string;
}

/** A pull request a remote agent's session reported, once ATO checked it names a PR of the loop's repository. */
export interface ReportedPullRequest {
  readonly number: number;
  readonly url: string;
  /** The head branch the session said it pushed: the PR on GitHub must have exactly this one. */
  readonly headRef: string;
}

export type ReportedPullRequestCheck =
  | { readonly ok: true; readonly pullRequest: ReportedPullRequest }
  | { readonly ok: false; readonly reason: string };

/**
 * Whether what an agent's session reported (hostile input: the agent's service writes it) names a pull
 * request of the loop's repository: `<protocol>//<webHost>/<owner>/<name>/pull/<n>` exactly, with a head
 * branch. Anything else — another host or repository, an issue URL, no head branch — is refused with the
 * reason, so the loop never links or merges it.
 */
export function checkReportedPullRequest(reported: { readonly url: string; readonly headRef?: string | undefined }, repo: LoopRepository): ReportedPullRequestCheck {
  let url: URL;
  try {
    url = new URL(reported.url);
  } catch {
    return { ok: false, reason: `the session reported "${reported.url}", which is not a URL` };
  }
  const match = /^\/([^/]+)\/([^/]+)\/pull\/([1-9][0-9]{0,9})\/?$/.exec(url.pathname);
  const [, owner, name, number] = match ?? [];
  const sameRepo = url.protocol === repo.protocol && url.host.toLowerCase() === repo.webHost.toLowerCase() && url.username === '' && url.password === ''
    && owner?.toLowerCase() === repo.owner.toLowerCase() && name?.toLowerCase() === repo.name.toLowerCase();
  if (!sameRepo || number === undefined) {
    return { ok: false, reason: `the session reported ${url.href}, which is not a pull request of ${repo.owner}/${repo.name} on ${repo.webHost}` };
  }
  const headRef = reported.headRef?.trim() ?? '';
  if (headRef === '') return { ok: false, reason: `the session reported ${url.href} without its head branch, so ATO cannot tell it from another PR` };
  return { ok: true, pullRequest: { number: Number(number), url: url.href, headRef } };
}

/**
 * The body of a remote agent's PR with what the loop needs appended: `Closes #<issue>` (GitHub links the
 * PR to the task's issue and closes it on merge) and ATO's task marker, after a line that closes a code
 * block the agent's text left open. The agent wrote the body; ATO only appends, and only when something
 * is missing, so editing again changes nothing (undefined: nothing to do).
 */
export function bodyWithLoopLinks(body: string, issueNumber: number, taskId: string): string | undefined {
  const closes = `Closes #${String(issueNumber)}`;
  const marker = formatMarker({ kind: 'task', taskId });
  const hasCloses = body.split(/\r?\n/).some(line => line.trim() === closes);
  if (hasCloses && taskIdsInBody(body).includes(taskId)) return undefined;
  const withMarker = appendMarker(body, { kind: 'task', taskId });
  if (hasCloses) return withMarker;
  const at = withMarker.lastIndexOf(marker);
  return `${withMarker.slice(0, at)}${closes}\n\n${withMarker.slice(at)}`;
}
