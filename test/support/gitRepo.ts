import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Runs the real git CLI synchronously for test set-up, with a fixed identity and no user config. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' },
  }).trim();
}

/** `git init` with branch `main` and one commit holding `files` (default a README). Returns the root. */
export function initRepo(root: string, files: Readonly<Record<string, string>> = { 'README.md': '# test\n' }): string {
  git(root, 'init', '--quiet', '--initial-branch=main');
  commitFiles(root, files, 'initial commit');
  return root;
}

/** Writes the files (creating folders) and commits them. Returns the new commit's sha. */
export function commitFiles(cwd: string, files: Readonly<Record<string, string>>, message: string): string {
  writeFiles(cwd, files);
  git(cwd, 'add', '--all');
  git(cwd, 'commit', '--quiet', '--allow-empty', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD');
}

export function writeFiles(cwd: string, files: Readonly<Record<string, string>>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, path)), { recursive: true });
    writeFileSync(join(cwd, path), content);
  }
}
