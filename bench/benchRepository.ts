import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A git repository at `root` with an empty planning queue and one commit, for the dispatch benches. */
export async function initBenchRepository(root: string): Promise<(...args: string[]) => void> {
  const git = (...args: string[]): void => { execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: root, stdio: 'ignore' }); };
  for (const folder of ['pending', 'processed', 'complete']) await mkdir(join(root, 'planning', 'issue_queue', folder), { recursive: true });
  await writeFile(join(root, 'README.md'), '# bench\n');
  git('init', '--quiet', '--initial-branch=main');
  git('add', '--all');
  git('commit', '--quiet', '-m', 'initial');
  return git;
}
