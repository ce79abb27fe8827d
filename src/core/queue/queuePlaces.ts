import { lstatSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isTaskFileName, planningLayout, queueFolders, type QueueFolder } from '../planning/planningLayout';
import { checkPlace, type PlaceCheck, type RealPath } from '../util/pathContainment';
import { codeOf, listQueueFolder, queueFileProblems, queueFolderProblems } from './queueFiles';

/** A folder in the queue that is not read, with the reason, to be reported as a problem entry. */
export interface UnreadFolder {
  /** Absolute. */
  readonly file: string;
  /** Relative to the planning folder, `/`-separated. */
  readonly relativePath: string;
  readonly folder: QueueFolder;
  readonly code: string;
  readonly message: string;
}

/** One queue folder, listed. */
export interface FolderScan {
  readonly folder: QueueFolder;
  /** Task files to read, `/`-separated inside the folder. */
  readonly files: readonly string[];
  /** The folder itself when it leads outside the workspace (then `files` is empty), or sub-folders not read. */
  readonly problems: readonly UnreadFolder[];
}

/**
 * Where the queue's folders are and whether ATO may read them: each queue folder must really be inside
 * the containment root (the workspace) once symlinks are followed — a symlinked `pending/` that leads
 * outside is never read as a queue, and nothing is moved in or out of it. Remembers what each folder was
 * at the last scan, so a watcher batch can tell when a folder itself changed.
 */
export class QueuePlaces {
  private readonly paths: Readonly<Record<QueueFolder, string>>;
  private readonly states = new Map<QueueFolder, string>();

  constructor(readonly planningRoot: string, private readonly containmentRoot: string) {
    const paths = {} as Record<QueueFolder, string>;
    for (const folder of queueFolders) paths[folder] = join(planningRoot, ...planningLayout[folder].split('/'));
    this.paths = paths;
  }

  folderPath(folder: QueueFolder): string {
    return this.paths[folder];
  }

  /** True for a queue folder or a folder on the way to one (`issue_queue/`, the planning folder). */
  isStructure(path: string): boolean {
    return queueFolders.some(folder => {
      const folderPath = this.paths[folder];
      return path === folderPath || (folderPath.startsWith(`${path}${sep}`) && (path === this.planningRoot || path.startsWith(`${this.planningRoot}${sep}`)));
    });
  }

  /**
   * What a watcher must look at: the way down to the queue folders, the queue folders, their sub-folders
   * (none hidden) and the task files in them. `isFile` undefined means "not known yet".
   */
  watches(path: string, isFile: boolean | undefined): boolean {
    if (path === this.planningRoot || this.isStructure(path)) return true;
    const folder = queueFolders.find(candidate => path.startsWith(`${this.paths[candidate]}${sep}`));
    if (folder === undefined) return false;
    const parts = relative(this.paths[folder], path).split(sep);
    if (parts.some(part => part === '' || part.startsWith('.'))) return false;
    return isFile !== true || isTaskFileName(parts.at(-1) ?? '');
  }

  /** True for a queue folder or a folder below one. */
  isInQueue(path: string): boolean {
    return queueFolders.some(folder => path === this.paths[folder] || path.startsWith(`${this.paths[folder]}${sep}`));
  }

  /** For a task file in a queue folder (or a sub-folder of one, none hidden): its path inside the folder, `/`-separated. */
  taskFileInner(path: string): string | undefined {
    for (const folder of queueFolders) {
      const folderPath = this.paths[folder];
      if (!path.startsWith(`${folderPath}${sep}`)) continue;
      const parts = relative(folderPath, path).split(sep);
      const name = parts.at(-1) ?? '';
      if (parts.some(part => part === '' || part.startsWith('.')) || !isTaskFileName(name)) return undefined;
      return parts.join('/');
    }
    return undefined;
  }

  /** Lists a queue folder and its sub-folders, when the folder really is inside the workspace. */
  async scan(folder: QueueFolder, real: RealPath): Promise<FolderScan> {
    const folderPath = this.paths[folder];
    const place = await checkPlace(this.containmentRoot, folderPath, real);
    this.states.set(folder, stateOf(place));
    const relativeFolder = planningLayout[folder];
    const unread = (code: string, message: string): FolderScan => ({ folder, files: [], problems: [{ file: folderPath, relativePath: relativeFolder, folder, code, message }] });
    switch (place.kind) {
      case 'missing':
        return { folder, files: [], problems: [] };
      case 'outside':
        return unread(queueFileProblems.symlinkOutside, `The queue folder ${relativeFolder}/ leads outside the workspace (to ${place.realPath}); ATO does not read the task files in it or move anything in or out of it. Make it a real folder inside the workspace.`);
      case 'unresolvable':
        return unread(queueFolderProblems.unreadableFolder, `ATO cannot resolve the queue folder ${relativeFolder}/: ${place.reason}`);
      case 'inside':
        break;
    }
    try {
      const listing = await listQueueFolder(folderPath);
      return {
        folder,
        files: listing.files,
        problems: listing.skipped.map(skipped => ({ file: join(folderPath, ...skipped.path.split('/')), relativePath: `${relativeFolder}/${skipped.path}`, folder, code: skipped.code, message: skipped.message })),
      };
    } catch (error) {
      if (codeOf(error) === 'EMFILE' || codeOf(error) === 'ENFILE') throw error;
      return unread(queueFolderProblems.unreadableFolder, `ATO cannot read the queue folder ${relativeFolder}/: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** True when a queue folder appeared, went, or leads somewhere else since the last scan. */
  async foldersChanged(real: RealPath): Promise<boolean> {
    for (const folder of queueFolders) {
      const now = stateOf(await checkPlace(this.containmentRoot, this.paths[folder], real));
      if (this.states.get(folder) !== now) return true;
    }
    return false;
  }

  /** True when one of `files` lies under a sub-folder that is a symlink (a full scan reports it instead). */
  behindLinkedFolder(files: readonly string[]): boolean {
    for (const file of files) {
      for (const folder of queueFolders) {
        const folderPath = this.paths[folder];
        if (!file.startsWith(`${folderPath}${sep}`)) continue;
        const parts = relative(folderPath, file).split(sep).slice(0, -1);
        let directory = folderPath;
        for (const part of parts) {
          directory = join(directory, part);
          if (isSymlink(directory)) return true;
        }
      }
    }
    return false;
  }
}

function stateOf(place: PlaceCheck): string {
  switch (place.kind) {
    case 'inside':
    case 'missing':
      return place.kind;
    case 'outside':
      return `outside:${place.realPath}`;
    case 'unresolvable':
      return `unresolvable:${place.reason}`;
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
