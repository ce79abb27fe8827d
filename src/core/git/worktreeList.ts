/** One worktree as `git worktree list --porcelain` describes it. */
export interface WorktreeEntry {
  readonly path: string;
  readonly head: string | undefined;
  /** Short branch name (`ato/x`, not `refs/heads/ato/x`); undefined when detached or bare. */
  readonly branch: string | undefined;
  readonly locked: boolean;
  /** Why it is locked; git writes `initializing` while `worktree add` runs, so a crash leaves that. */
  readonly lockReason: string | undefined;
  /** Its directory is gone; `git worktree prune` would drop it. */
  readonly prunable: boolean;
}

/**
 * Parses `git worktree list --porcelain`: blocks separated by blank lines, each starting `worktree <path>`,
 * then `HEAD <sha>`, `branch refs/heads/<name>` or `detached`, and optional `bare`, `locked [reason]`,
 * `prunable [reason]`. Unknown lines (newer git) are ignored.
 */
export function parseWorktreeList(text: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  for (const block of text.replace(/\r\n/g, '\n').split(/\n{2,}/)) {
    let path: string | undefined;
    let head: string | undefined;
    let branch: string | undefined;
    let locked = false;
    let lockReason: string | undefined;
    let prunable = false;
    for (const line of block.split('\n')) {
      const space = line.indexOf(' ');
      const key = space === -1 ? line : line.slice(0, space);
      const value = space === -1 ? '' : line.slice(space + 1);
      switch (key) {
        case 'worktree':
          path = value;
          break;
        case 'HEAD':
          head = value;
          break;
        case 'branch':
          branch = value.startsWith('refs/heads/') ? value.slice('refs/heads/'.length) : value;
          break;
        case 'locked':
          locked = true;
          lockReason = value === '' ? undefined : value;
          break;
        case 'prunable':
          prunable = true;
          break;
        default:
          break;
      }
    }
    if (path !== undefined) entries.push({ path, head, branch, locked, lockReason, prunable });
  }
  return entries;
}
