import { access } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { planningLayout, queueFolders, type QueueFolder } from '../planning/planningLayout';
import type { QueueEntry } from '../queue/queueEntry';
import { checkPlace } from '../util/pathContainment';

export type TaskFileLocation =
  | { readonly kind: 'found'; readonly folder: QueueFolder; readonly file: string }
  | { readonly kind: 'missing' }
  /** Found nowhere ATO may look; `folder` leads outside the workspace and was not looked in. */
  | { readonly kind: 'outside'; readonly folder: QueueFolder; readonly realPath: string };

/**
 * Where a task file is now, by its path inside the queue folders (`x.md`, `web/x.md`), looked up on disk
 * (not in the index, which may lag). A queue folder that leads outside the workspace is not looked in.
 */
export async function findTaskFile(workspaceRoot: string, planningRoot: string, inner: string): Promise<TaskFileLocation> {
  let outside: TaskFileLocation | undefined;
  for (const folder of queueFolders) {
    const directory = join(planningRoot, ...planningLayout[folder].split('/'));
    const place = await checkPlace(workspaceRoot, directory);
    if (place.kind === 'outside') {
      outside ??= { kind: 'outside', folder, realPath: place.realPath };
      continue;
    }
    if (place.kind !== 'inside') continue;
    const file = join(directory, ...inner.split('/'));
    try {
      await access(file);
      return { kind: 'found', folder, file };
    } catch {
      // not in this folder
    }
  }
  return outside ?? { kind: 'missing' };
}

/**
 * The path inside its queue folder of a task file that a run record names (relative to the workspace,
 * `planning/issue_queue/processed/web/x.md` → `web/x.md`); its file name for a path outside the queue.
 */
export function queueInnerPath(workspaceRoot: string, planningRoot: string, taskFile: string): string {
  const fromPlanning = relative(planningRoot, join(workspaceRoot, ...taskFile.split('/'))).split(sep).join('/');
  for (const folder of queueFolders) {
    const prefix = `${planningLayout[folder]}/`;
    if (fromPlanning.startsWith(prefix)) return fromPlanning.slice(prefix.length);
  }
  return basename(taskFile);
}

/** A queue entry for a file whose content is not needed (for `moveTask`, which looks only at the path). */
export function entryAt(planningRoot: string, folder: QueueFolder, file: string): QueueEntry {
  const folderPath = join(planningRoot, ...planningLayout[folder].split('/'));
  const within = relative(folderPath, file).split(sep);
  const inner = within[0] === '..' || within.includes('') ? basename(file) : within.join('/');
  return {
    file: join(folderPath, ...inner.split('/')),
    relativePath: `${planningLayout[folder]}/${inner}`,
    folder,
    fileName: basename(file),
    mtimeMs: 0,
    size: 0,
    result: { task: undefined, diagnostics: [] },
  };
}
