import { spawn } from 'node:child_process';
import { defaultGitTimeoutMs, gitEnvironment, GitError, runGit } from '../../../git/git';

/** One file of a committed tree, as `git ls-tree -r -l` lists it. */
export interface TreeFile {
  /** Path from the repository root, `/`-separated. */
  readonly path: string;
  /** `100644`, `100755`, `120000` (symlink), `160000` (submodule). */
  readonly mode: string;
  readonly type: 'blob' | 'commit';
  readonly sha: string;
  /** Bytes; 0 for submodules. */
  readonly size: number;
}

/**
 * The files under `path` in `commit` (recursively), read from the object database with one `git ls-tree`:
 * no checkout, so the working tree, the index and HEAD are never touched. A missing path has no files.
 */
export async function listTreeFiles(cwd: string, commit: string, path: string): Promise<TreeFile[]> {
  const { stdout } = await runGit(['ls-tree', '-r', '-z', '-l', '--full-tree', commit, '--', path], { cwd });
  const files: TreeFile[] = [];
  for (const record of stdout.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const fields = record.slice(0, tab).split(/ +/);
    const [mode = '', type = '', sha = '', size = ''] = fields;
    if (tab < 0 || (type !== 'blob' && type !== 'commit')) continue;
    files.push({ path: record.slice(tab + 1), mode, type, sha, size: type === 'blob' ? Number(size) : 0 });
  }
  return files;
}

/**
 * The contents of blobs, read by one `git cat-file --batch` process for all of them. A sha the
 * repository does not have is left out of the result.
 */
export async function readBlobs(cwd: string, shas: readonly string[], timeoutMs = defaultGitTimeoutMs): Promise<Map<string, Buffer>> {
  const unique = [...new Set(shas)];
  if (unique.length === 0) return new Map();
  const args = ['-c', 'core.quotepath=false', 'cat-file', '--batch'];
  const output = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: gitEnvironment(process.env), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const chunks: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    // A dead child closes stdin early; the exit code tells what happened.
    child.stdin.on('error', () => undefined);
    child.on('error', error => {
      clearTimeout(timer);
      reject(new GitError('notInstalled', `git cat-file: ${error.message}`, args, stderr, undefined));
    });
    child.on('close', code => {
      clearTimeout(timer);
      if (timedOut) reject(new GitError('timedOut', `git cat-file --batch did not finish within ${Math.round(timeoutMs / 1000)} s`, args, stderr, undefined));
      else if (code !== 0) reject(new GitError('failed', `git cat-file --batch failed: ${stderr.trim()}`, args, stderr, code ?? undefined));
      else resolve(Buffer.concat(chunks));
    });
    child.stdin.end(`${unique.join('\n')}\n`);
  });
  return parseBatchOutput(output);
}

/** `<sha> <type> <size>\n<content>\n` per object, or `<sha> missing\n`. */
function parseBatchOutput(output: Buffer): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  let position = 0;
  while (position < output.length) {
    const newline = output.indexOf(0x0a, position);
    if (newline < 0) break;
    const [sha = '', type = '', size = ''] = output.toString('latin1', position, newline).split(' ');
    position = newline + 1;
    if (type === 'missing' || size === '') continue;
    const length = Number(size);
    if (type === 'blob') blobs.set(sha, output.subarray(position, position + length));
    position += length + 1;
  }
  return blobs;
}
