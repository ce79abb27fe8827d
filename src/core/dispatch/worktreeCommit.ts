import { runGit } from '../git/git';
import { uncommittedFiles } from '../git/changedFiles';

/**
 * Commits whatever the agent left uncommitted in its worktree, so the work is on the `ato/<id>` branch
 * even when the agent does not commit. ATO's identity is given on the command line: no git config needed.
 * Returns the new commit, or undefined when there was nothing to commit.
 */
export async function commitAgentChanges(worktree: string, message: string): Promise<string | undefined> {
  if ((await uncommittedFiles(worktree)).length === 0) return undefined;
  await runGit(['add', '--all'], { cwd: worktree });
  await runGit(['-c', 'user.name=ATO', '-c', 'user.email=ato@localhost', '-c', 'commit.gpgsign=false', 'commit', '--no-verify', '--quiet', '-m', message], { cwd: worktree });
  const head = await runGit(['rev-parse', 'HEAD'], { cwd: worktree });
  return head.stdout.trim();
}
