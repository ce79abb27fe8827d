import type { RepoPermission } from '../../forges/github/githubPort';

/**
 * Who has write access, asked of GitHub once per login and kept for `ttlMs`: a full tick asks only about
 * logins it has not seen lately (each a conditional request, so a repeat costs no point once the entry
 * expires), and an idle tick asks nothing. Failures are not remembered.
 */
export class WriteAccessCache {
  private readonly entries = new Map<string, { readonly canPush: boolean; readonly at: number }>();

  constructor(
    private readonly permissionOf: (login: string) => Promise<RepoPermission>,
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  /** Write access of each login (as given: callers pass normalised logins), asking GitHub about stale ones one by one. */
  async lookup(logins: readonly string[]): Promise<ReadonlyMap<string, boolean>> {
    const answer = new Map<string, boolean>();
    for (const login of new Set(logins)) {
      const cached = this.entries.get(login);
      if (cached !== undefined && this.now() - cached.at < this.ttlMs) {
        answer.set(login, cached.canPush);
        continue;
      }
      const permission = await this.permissionOf(login);
      const canPush = permission === 'admin' || permission === 'write';
      this.entries.set(login, { canPush, at: this.now() });
      answer.set(login, canPush);
    }
    return answer;
  }
}
