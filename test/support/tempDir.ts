import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Registers mocha hooks that give each test a fresh, real directory under the OS temp folder and remove it
 * afterwards. Returns a getter for the current test's directory.
 */
export function useTempDir(prefix = 'ato-test-'): () => string {
  let directory: string | undefined;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
    directory = undefined;
  });
  return () => {
    if (directory === undefined) throw new Error('useTempDir: the directory exists only inside a test');
    return directory;
  };
}

/** True when the process can read any file regardless of its mode (root), so permission tests are moot. */
export function ignoresFilePermissions(): boolean {
  return process.platform === 'win32' || process.getuid?.() === 0;
}
