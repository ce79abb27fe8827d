import { access } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { planningLayout, queueFolders, type QueueFolder } from '../planning/planningLayout';
import type { QueueEntry } from '../queue/queueEntry';

/** Where a task file is now, by its file name, looked up on disk (not in the index, which may lag). */
export async function findTaskFile(planningRoot: string, fileName: string): Promise<{ folder: QueueFolder; file: string } | undefined> {
  for (const folder of queueFolders) {
    const file = join(planningRoot, planningLayout[folder], fileName);
    try {
      await access(file);
      return { folder, file };
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** A queue entry for a file whose content is not needed (for `moveTask`, which looks only at the path). */
export function entryAt(planningRoot: string, folder: QueueFolder, file: string): QueueEntry {
  const fileName = basename(file);
  return {
    file: join(planningRoot, planningLayout[folder], fileName),
    relativePath: `${planningLayout[folder]}/${fileName}`,
    folder,
    fileName,
    mtimeMs: 0,
    size: 0,
    result: { task: undefined, diagnostics: [] },
  };
}
