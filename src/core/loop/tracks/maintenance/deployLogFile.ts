import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { parseDeployLog, type DeployLog } from './deployLog';

/** How much of a deploy log is read: its end (the latest deployments); default 256 KiB. */
export const defaultDeployLogMaxBytes = 256 * 1024;

export interface DeployLogRead extends DeployLog {
  /** The file's size, and whether only its tail was read (the first, cut line then skipped). */
  readonly bytes: number;
  readonly truncated: boolean;
}

export class DeployLogError extends Error {
  override readonly name = 'DeployLogError';
}

/**
 * Reads the tail of the deploy log `setting` (`ato.maintenance.deployLog`, relative to `workspaceRoot`) and
 * parses it. Undefined when the setting is empty or the file does not exist (no deploy, nothing to report). A
 * path that leads outside the workspace (a symbolic link) is refused: the setting may come from the repository.
 */
export async function readDeployLog(workspaceRoot: string, setting: string, maxBytes = defaultDeployLogMaxBytes): Promise<DeployLogRead | undefined> {
  if (setting.trim() === '') return undefined;
  if (isAbsolute(setting) || setting.split(/[\\/]/).includes('..')) throw new DeployLogError(`ato.maintenance.deployLog must be a path inside the workspace: "${setting}"`);
  let file: string;
  try {
    file = await realpath(resolve(workspaceRoot, setting));
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  const root = await realpath(workspaceRoot);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    throw new DeployLogError(`ato.maintenance.deployLog "${setting}" leads outside the workspace; not read.`);
  }
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, size - length);
    let text = buffer.subarray(0, bytesRead).toString('utf8');
    const truncated = size > length;
    // The tail starts mid-line: that first piece is not a whole event.
    if (truncated) {
      const firstBreak = text.indexOf('\n');
      text = firstBreak < 0 ? '' : text.slice(firstBreak + 1);
    }
    return { ...parseDeployLog(text), bytes: size, truncated };
  } finally {
    await handle.close();
  }
}
