import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** ATO's per-workspace folder for its own records (event log, run records, locks). Never committed. */
export const atoDirectoryName = '.ato';

export function atoDirectory(workspaceRoot: string): string {
  return join(workspaceRoot, atoDirectoryName);
}

/** Creates `.ato/` with a `.gitignore` of `*`, so nothing ATO records can be committed by accident. */
export async function ensureAtoDirectory(workspaceRoot: string): Promise<string> {
  const directory = atoDirectory(workspaceRoot);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  try {
    await writeFile(join(directory, '.gitignore'), '# Written by ATO: its records stay out of git.\n*\n', { flag: 'wx' });
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  }
  return directory;
}
