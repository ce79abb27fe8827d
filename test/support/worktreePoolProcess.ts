// One ATO process for the worktree pool's crash tests: `node --import tsx worktreePoolProcess.ts <repo> <step> <task-id>`.
// step `claimed`: creates the task's worktree from the pool and kills itself (SIGKILL, no cleanup) right after
// the pool entry was renamed to the task's path, before git heard of it; step `released`: creates the
// worktree, then retires it to the pool and kills itself right after the rename into the pool.
import { createWorktree, retireWorktree } from '../../src/core/git/worktrees';
import type { WorktreePoolOptions } from '../../src/core/git/worktreePool';

async function main(): Promise<void> {
  const [repoRoot = '', crashAt = '', taskId = ''] = process.argv.slice(2);
  const pool: WorktreePoolOptions = {
    size: 2,
    checkpoint: step => {
      if (step === crashAt) process.kill(process.pid, 'SIGKILL');
    },
  };
  const created = await createWorktree({ repoRoot, taskId, pool });
  if (crashAt === 'released') await retireWorktree({ repoRoot, path: created.path, pool });
  process.stdout.write('no crash\n');
}

void main();
