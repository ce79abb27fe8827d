import { lstat } from 'node:fs/promises';

/** Whether something (a file, a folder, a symlink itself) is at `path`; any error reading it counts as no. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
