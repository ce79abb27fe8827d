import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from '../../git/git';
import { branchNameProblem } from '../../git/refName';
import { pathExists } from '../../util/pathExists';
import { conflictMarkerLines } from './followUpWork';

/**
 * Real git for a follow-up on a PR's head branch (issue 11): fetch the head and check it is still the one
 * the track saw, rebase onto the base in the run's worktree, and after the agent, find out whether the
 * rebase can be finished (no unmerged path, no conflict marker left) and finish it.
 */

/** ATO's own identity for the commits a rebase rewrites (the authors stay); hooks and signing off. */
const identity = ['-c', 'user.name=ATO', '-c', 'user.email=ato@localhost', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null'] as const;
/** Never an editor: a rebase that would open one (a reword, a message) takes the message as it is. */
const noEditor = { GIT_EDITOR: 'true', GIT_SEQUENCE_EDITOR: 'true' } as const;

/** A branch name from the forge: what git accepts and cannot be read as an option. */
export function checkedBranch(name: string): string {
  const problem = branchNameProblem(name);
  if (problem !== undefined || name.startsWith('-')) throw new Error(`"${name}" is not a branch ATO works on: ${problem ?? 'it starts with "-"'}`);
  return name;
}

/** Fetches `origin`'s branch into `refs/remotes/origin/<branch>` and answers the commit it is at (undefined: no such branch). */
export async function fetchBranch(repoRoot: string, branch: string): Promise<string | undefined> {
  const name = checkedBranch(branch);
  const listed = await runGit(['ls-remote', '--heads', 'origin', `refs/heads/${name}`], { cwd: repoRoot, timeoutMs: 120_000 });
  if (listed.stdout.trim() === '') return undefined;
  await runGit(['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${name}:refs/remotes/origin/${name}`], { cwd: repoRoot, timeoutMs: 120_000 });
  return (await runGit(['rev-parse', '--verify', `refs/remotes/origin/${name}^{commit}`], { cwd: repoRoot })).stdout.trim();
}

export type RebaseStart =
  | { readonly kind: 'clean' }
  | { readonly kind: 'conflicts'; readonly files: readonly string[] };

/** `git rebase <onto>` in the worktree: clean, or stopped on conflicts (the files). Any other failure throws. */
export async function startRebase(worktree: string, onto: string): Promise<RebaseStart> {
  const result = await runGit([...identity, 'rebase', '--no-autostash', onto], { cwd: worktree, okExitCodes: [1], env: noEditor, timeoutMs: 300_000 });
  if (result.exitCode === 0) return { kind: 'clean' };
  const files = await unmergedFiles(worktree);
  if (!(await rebaseInProgress(worktree)) || files.length === 0) throw new Error(`git rebase onto ${onto} failed: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')}`);
  return { kind: 'conflicts', files };
}

/** Whether a rebase is stopped in the worktree (git's own state directories). */
export async function rebaseInProgress(worktree: string): Promise<boolean> {
  for (const name of ['rebase-merge', 'rebase-apply']) {
    const path = (await runGit(['rev-parse', '--path-format=absolute', '--git-path', name], { cwd: worktree })).stdout.trim();
    if (await pathExists(path)) return true;
  }
  return false;
}

async function unmergedFiles(worktree: string): Promise<string[]> {
  const result = await runGit(['diff', '--name-only', '--diff-filter=U', '-z'], { cwd: worktree });
  return result.stdout.split('\0').filter(path => path !== '');
}

export type RebaseFinish =
  | { readonly kind: 'done' }
  | { readonly kind: 'unfinished'; readonly reason: string };

/**
 * After the agent: the conflicted files must hold no conflict marker; then ATO stages them and continues.
 * A rebase that stops again (another commit conflicts) or that the agent left half-done is unfinished: it
 * is aborted, so nothing half-rebased is pushed, and the reason says what was left.
 */
export async function finishRebase(worktree: string, conflicted: readonly string[]): Promise<RebaseFinish> {
  if (!(await rebaseInProgress(worktree))) {
    // The agent finished (or aborted) the rebase itself: what is left is checked by the caller (HEAD on the base).
    return { kind: 'done' };
  }
  const left: string[] = [];
  for (const path of new Set([...conflicted, ...(await unmergedFiles(worktree))])) {
    const text = await readFile(join(worktree, path), 'utf8').catch(() => '');
    const lines = conflictMarkerLines(text);
    if (lines.length > 0) left.push(`${path} (line ${lines.slice(0, 3).join(', ')})`);
  }
  if (left.length > 0) {
    await abortRebase(worktree);
    return { kind: 'unfinished', reason: `conflict markers are left in ${left.join(', ')}` };
  }
  await runGit(['add', '--all', '--', ...conflicted], { cwd: worktree });
  const resumed = await runGit([...identity, 'rebase', '--continue'], { cwd: worktree, okExitCodes: [1, 128], env: noEditor, timeoutMs: 300_000 });
  if (resumed.exitCode !== 0 || (await rebaseInProgress(worktree))) {
    const again = await unmergedFiles(worktree);
    await abortRebase(worktree);
    return { kind: 'unfinished', reason: again.length > 0 ? `the rebase stopped again on conflicts in ${again.join(', ')} (a later commit), so it is still in progress` : `the rebase could not continue: ${(resumed.stderr || resumed.stdout).trim().split('\n').slice(-2).join(' ')}` };
  }
  return { kind: 'done' };
}

async function abortRebase(worktree: string): Promise<void> {
  await runGit(['rebase', '--abort'], { cwd: worktree, okExitCodes: [1, 128] });
}

/** Whether `ancestor` is an ancestor of HEAD in the worktree. */
export async function headContains(worktree: string, ancestor: string): Promise<boolean> {
  const result = await runGit(['merge-base', '--is-ancestor', ancestor, 'HEAD'], { cwd: worktree, okExitCodes: [1] });
  return result.exitCode === 0;
}

/** Commits in `from..HEAD`. */
export async function commitsSince(worktree: string, from: string): Promise<number> {
  return Number((await runGit(['rev-list', '--count', `${from}..HEAD`], { cwd: worktree })).stdout.trim());
}

/** HEAD's commit. */
export async function headSha(worktree: string): Promise<string> {
  return (await runGit(['rev-parse', 'HEAD'], { cwd: worktree })).stdout.trim();
}

/** The diff of the PR (base...head), bounded: the analysis quotes it when it is cheap. */
export async function boundedDiff(repoRoot: string, base: string, head: string, maxChars: number): Promise<{ readonly text: string; readonly shortened: boolean } | undefined> {
  const result = await runGit(['diff', '--no-color', '--no-ext-diff', `${base}...${head}`], { cwd: repoRoot, okExitCodes: [128], timeoutMs: 60_000 }).catch(() => undefined);
  if (result?.exitCode !== 0) return undefined;
  return result.stdout.length > maxChars ? { text: result.stdout.slice(0, maxChars), shortened: true } : { text: result.stdout, shortened: false };
}
