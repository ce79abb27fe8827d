// One ATO window warming the worktree pool, for the warmer's tests: `node --import tsx worktreePoolWarmerProcess.ts <repo> <size> [crash]`.
// Prints the entries it added; with `crash` it kills itself (SIGKILL, no cleanup) once its first entry is
// written, before that entry is renamed to a slot.
import { WorktreePoolWarmer } from '../../src/core/git/worktreePoolWarmer';

async function main(): Promise<void> {
  const [repoRoot = '', size = '2', crash] = process.argv.slice(2);
  const warmer = new WorktreePoolWarmer({
    repoRoot,
    size: () => Number(size),
    checkpoint: () => {
      if (crash === 'crash') process.kill(process.pid, 'SIGKILL');
    },
  });
  process.stdout.write(`${String(await warmer.warm())}\n`);
}

void main();
