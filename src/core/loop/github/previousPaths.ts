import type { FileRename, PullRequestSummary } from '../../forges/github/githubModel';

type ReadRenames = (pullNumber: number) => Promise<readonly FileRename[]>;

/**
 * Where renamed files came from (B7: a rename out of `.github/workflows/` changes a protected path). GraphQL's
 * changed files say RENAMED but not from where; REST `pulls/{n}/files` says `previous_filename`. It is read
 * only for the PRs the caller names (those the loop may merge), once per head commit: a PR's renames change
 * only with new commits, so later ticks cost nothing. What stays unknown fails the protected-paths rule.
 */
export class PreviousPaths {
  private readonly known = new Map<number, { readonly headSha: string; readonly previous: ReadonlyMap<string, string> }>();

  constructor(private readonly read: ReadRenames) {}

  /** The PRs, with each rename's previous path filled in where `wanted(pr)` and GitHub lists it. */
  async fill(prs: readonly PullRequestSummary[], wanted: (pr: PullRequestSummary) => boolean): Promise<PullRequestSummary[]> {
    const filled: PullRequestSummary[] = [];
    for (const pr of prs) {
      if (!pr.renames.some(rename => rename.previousPath === null) || !wanted(pr)) {
        filled.push(pr);
        continue;
      }
      let entry = this.known.get(pr.number);
      if (entry?.headSha !== pr.headSha) {
        const renames = await this.read(pr.number);
        entry = { headSha: pr.headSha, previous: new Map(renames.flatMap(rename => (rename.previousPath === null ? [] : [[rename.path, rename.previousPath] as const]))) };
        this.known.set(pr.number, entry);
      }
      const previous = entry.previous;
      filled.push({ ...pr, renames: pr.renames.map(rename => ({ path: rename.path, previousPath: rename.previousPath ?? previous.get(rename.path) ?? null })) });
    }
    return filled;
  }
}
