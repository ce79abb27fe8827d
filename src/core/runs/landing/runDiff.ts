import { GitError, runGit } from '../../git/git';
import { LandingError } from './landingError';
import type { LandingTarget } from './landingTarget';

/** One file the run changed: `A`dded, `M`odified, `D`eleted, `T`ype changed (renames count as a deletion and an addition). */
export interface RunDiffFile {
  readonly path: string;
  readonly status: 'A' | 'M' | 'D' | 'T';
}

export interface RunDiffRange {
  /** The commit the run started from (or, for an old record, where its branch left HEAD). */
  readonly base: string;
  /** The branch's tip. */
  readonly head: string;
  /** Whether `base` is the recorded start or a merge base ATO worked out. */
  readonly baseFrom: 'record' | 'mergeBase';
}

/**
 * The commits a run's diff spans: from the commit its worktree started at (recorded) to its branch's tip.
 * A record from before ATO kept the start uses the merge base of the branch and HEAD.
 */
export async function runDiffRange(repoRoot: string, target: LandingTarget): Promise<RunDiffRange> {
  const head = await resolveCommit(repoRoot, target.ref);
  if (head === undefined) throw new LandingError('branchMissing', `The branch ${target.branch} of run ${target.runId} no longer exists.`);
  if (target.baseSha !== undefined) {
    if ((await resolveCommit(repoRoot, target.baseSha)) === undefined) throw new LandingError('invalidRecord', `Run ${target.runId} started from ${target.baseSha}, which is not in this repository.`);
    return { base: target.baseSha, head, baseFrom: 'record' };
  }
  const mergeBase = await runGit(['merge-base', 'HEAD', head], { cwd: repoRoot, okExitCodes: [1] });
  if (mergeBase.exitCode !== 0) throw new LandingError('invalidRecord', `The branch ${target.branch} shares no history with HEAD.`);
  return { base: mergeBase.stdout.trim(), head, baseFrom: 'mergeBase' };
}

/** The files the run changed between base and head (`git diff --name-status --no-renames -z`). */
export async function runDiffFiles(repoRoot: string, range: RunDiffRange): Promise<RunDiffFile[]> {
  const { stdout } = await runGit(['diff', '--name-status', '--no-renames', '-z', range.base, range.head, '--'], { cwd: repoRoot });
  const fields = stdout.split('\0');
  const files: RunDiffFile[] = [];
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const status = fields[index]?.charAt(0);
    const path = fields[index + 1];
    if (path === undefined || path === '') continue;
    files.push({ path, status: status === 'A' || status === 'D' || status === 'T' ? status : 'M' });
  }
  return files;
}

/** What `ato diff` prints: `git diff --stat` and then the patch, base to head. */
export async function runDiffText(repoRoot: string, range: RunDiffRange): Promise<string> {
  const stat = await runGit(['diff', '--stat', '--no-color', range.base, range.head, '--'], { cwd: repoRoot });
  const patch = await runGit(['diff', '--no-color', '--no-ext-diff', '--no-textconv', range.base, range.head, '--'], { cwd: repoRoot });
  return `${stat.stdout}${stat.stdout === '' ? '' : '\n'}${patch.stdout}`;
}

/** A file's text at a commit (`git show <commit>:<path>`, read as UTF-8), or undefined when the commit has no such file. */
export async function fileAtCommit(repoRoot: string, commit: string, path: string): Promise<string | undefined> {
  if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new LandingError('invalidRecord', `${commit} is not a commit id`);
  const result = await runGit(['cat-file', '-e', `${commit}:${path}`], { cwd: repoRoot, okExitCodes: [1, 128] });
  if (result.exitCode !== 0) return undefined;
  const { stdout } = await runGit(['show', '--no-textconv', `${commit}:${path}`], { cwd: repoRoot });
  return stdout;
}

async function resolveCommit(repoRoot: string, revision: string): Promise<string | undefined> {
  try {
    const result = await runGit(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], { cwd: repoRoot, okExitCodes: [1] });
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  } catch (error) {
    if (GitError.is(error, 'unknownRevision')) return undefined;
    throw error;
  }
}
