import { runGit } from './git';

export interface ChangedFiles {
  /** Every path below, once, sorted. */
  readonly all: readonly string[];
  /** Changed by commits on the branch since it left the base. */
  readonly committed: readonly string[];
  /** Staged, unstaged and untracked. */
  readonly uncommitted: readonly string[];
}

/**
 * Files the worktree's branch changed relative to `baseRef` (`git diff --name-only base...HEAD`, i.e. since
 * their merge base) plus uncommitted changes and untracked files (`git status --porcelain`). Paths are
 * relative to the worktree root with `/` separators; a rename counts as a deletion and an addition.
 */
export async function changedFiles(worktree: string, baseRef: string): Promise<ChangedFiles> {
  const diff = await runGit(['diff', '--name-only', '--no-renames', '-z', `${baseRef}...HEAD`, '--'], { cwd: worktree });
  const committed = nulFields(diff.stdout);
  const uncommitted = await uncommittedFiles(worktree);
  return { all: sortedUnique([...committed, ...uncommitted]), committed: sortedUnique(committed), uncommitted: sortedUnique(uncommitted) };
}

/** Staged, unstaged and untracked paths (`git status --porcelain -z --no-renames --untracked-files=all`). */
export async function uncommittedFiles(worktree: string): Promise<string[]> {
  const status = await runGit(['status', '--porcelain', '-z', '--no-renames', '--untracked-files=all'], { cwd: worktree });
  // Each entry is "XY path"; with --no-renames there is never a second path.
  return nulFields(status.stdout).map(entry => entry.slice(3));
}

function nulFields(text: string): string[] {
  return text.split('\0').filter(field => field !== '');
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
