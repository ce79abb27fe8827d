import { runGit } from '../../git/git';
import { LandingError } from './landingError';
import type { LandingTarget } from './landingTarget';

export interface MergeOutcome {
  /** The branch of the workspace the run was merged into. */
  readonly into: string;
  /** HEAD after the merge. */
  readonly commit: string;
  /** The branch held nothing HEAD did not have already. */
  readonly alreadyMerged: boolean;
}

/**
 * Merges the run's branch into the workspace's current branch (`git merge --no-ff`, so one commit says which
 * run came in). Refused, with nothing changed, when HEAD is detached or is the run's branch, or when tracked
 * files have uncommitted changes. A merge that conflicts is aborted (`git merge --abort`), which puts the
 * working tree and index back as they were, and is reported with the conflicting files.
 */
export async function mergeRunBranch(repoRoot: string, target: LandingTarget, message: string): Promise<MergeOutcome> {
  const git = (args: readonly string[], okExitCodes: readonly number[] = []) => runGit(args, { cwd: repoRoot, okExitCodes, timeoutMs: 120_000 });
  const head = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], [1]);
  if (head.exitCode !== 0) throw new LandingError('wrongHead', 'HEAD is detached: check out the branch to merge the run into, then merge again.');
  const into = head.stdout.trim();
  if (into === target.branch) throw new LandingError('wrongHead', `${target.branch} is the branch checked out here: check out the branch to merge it into.`);
  const tip = await git(['rev-parse', '--verify', '--quiet', `${target.ref}^{commit}`], [1]);
  if (tip.exitCode !== 0) throw new LandingError('branchMissing', `The branch ${target.branch} of run ${target.runId} no longer exists.`);
  const dirty = await runGit(['status', '--porcelain', '-z', '--untracked-files=no'], { cwd: repoRoot });
  if (dirty.stdout !== '') {
    const files = dirty.stdout.split('\0').filter(entry => entry !== '').map(entry => entry.slice(3));
    throw new LandingError('dirty', `The working tree has uncommitted changes (${summarize(files)}): commit or stash them, then merge again.`);
  }
  const already = await git(['merge-base', '--is-ancestor', tip.stdout.trim(), 'HEAD'], [1]);
  if (already.exitCode === 0) return { into, commit: (await git(['rev-parse', 'HEAD'])).stdout.trim(), alreadyMerged: true };
  const merged = await git(['merge', '--no-ff', '--no-edit', '--no-verify', '-m', message, target.ref], [1]);
  if (merged.exitCode !== 0) {
    const conflicted = await git(['diff', '--name-only', '--diff-filter=U', '-z']);
    const files = conflicted.stdout.split('\0').filter(entry => entry !== '');
    await git(['merge', '--abort'], [128]);
    const why = files.length > 0 ? `it conflicts in ${summarize(files)}` : `git said: ${(merged.stderr.trim() || merged.stdout.trim()).split('\n').slice(0, 3).join(' ')}`;
    throw new LandingError('conflict', `${target.branch} does not merge cleanly into ${into}: ${why}. The merge was aborted; nothing changed. Merge it by hand (git merge ${target.branch}) or open a pull request.`);
  }
  return { into, commit: (await git(['rev-parse', 'HEAD'])).stdout.trim(), alreadyMerged: false };
}

function summarize(files: readonly string[]): string {
  return files.length <= 5 ? files.join(', ') : `${files.slice(0, 5).join(', ')} and ${String(files.length - 5)} more`;
}
