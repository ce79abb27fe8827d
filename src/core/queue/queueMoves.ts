import { lstat, mkdir, rename } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { planningLayout, type QueueFolder } from '../planning/planningLayout';
import { checkFuturePlace } from '../util/pathContainment';
import { pathInQueueFolder, type QueueEntry } from './queueEntry';
import { codeOf } from './queueFiles';

export type QueueMoveErrorKind =
  /** A file with that name is already in the destination folder; nothing was moved or overwritten. */
  | 'destinationExists'
  /** The task file is in neither the source nor the destination folder. */
  | 'sourceMissing'
  /** The entry does not describe a file in a queue folder. */
  | 'notInQueue'
  /** The source or destination folder leads outside the workspace (a symlink): nothing is moved in or out. */
  | 'outsideWorkspace';

export class QueueMoveError extends Error {
  override readonly name = 'QueueMoveError';

  constructor(readonly kind: QueueMoveErrorKind, readonly file: string, message: string) {
    super(message);
  }

  static is(error: unknown, kind?: QueueMoveErrorKind): error is QueueMoveError {
    return error instanceof QueueMoveError && (kind === undefined || error.kind === kind);
  }
}

export interface QueueMove {
  readonly from: string;
  /** Absolute path of the file in its new folder. */
  readonly to: string;
  readonly folder: QueueFolder;
  /** True when the file was already in `folder` (a retry after a crash, or a move to where it is): nothing was done. */
  readonly alreadyMoved: boolean;
}

export interface MoveTaskOptions {
  /** Both folders must really be inside it (symlinks followed): a queue folder that leads out is never used. */
  readonly workspaceRoot: string;
}

/**
 * Moves a task file to another queue folder with one `rename` inside the planning folder (same file
 * system, so atomic: at every moment the file is in exactly one folder). A file in a sub-folder keeps it
 * (`pending/web/x.md` → `processed/web/x.md`). Never overwrites: when the destination name is taken it
 * throws `QueueMoveError` `destinationExists`. Idempotent: when the file is already in the destination and
 * gone from the source — a retry after a crash between the rename and the caller's bookkeeping — it
 * succeeds with `alreadyMoved`. Refuses (`outsideWorkspace`) when either folder leads out of the workspace.
 *
 * The destination check and the rename are two steps (node has no rename-without-replace), so a file
 * created under the same name in between would be replaced; the loop's lease makes ATO the only mover.
 */
export async function moveTask(entry: QueueEntry, to: QueueFolder, options: MoveTaskOptions): Promise<QueueMove> {
  const from = resolve(entry.file);
  const source = planningLayout[entry.folder];
  const inner = pathInQueueFolder(entry);
  const parts = inner.split('/');
  const suffix = sep + join(source, ...parts);
  if (entry.relativePath !== `${source}/${inner}` || parts.some(part => part === '' || part === '.' || part === '..') || parts.at(-1) !== entry.fileName || !from.endsWith(suffix)) {
    throw new QueueMoveError('notInQueue', entry.file, `${entry.file} is not a task file in ${source}.`);
  }
  const planningRoot = from.slice(0, from.length - suffix.length);
  const destination = join(planningRoot, planningLayout[to], ...parts);
  const result = (alreadyMoved: boolean): QueueMove => ({ from, to: destination, folder: to, alreadyMoved });
  for (const folder of [dirname(from), dirname(destination)]) {
    const found = await checkFuturePlace(options.workspaceRoot, folder);
    if (found.kind !== 'inside') {
      const where = found.kind === 'outside' ? `leads outside the workspace (to ${found.realPath})` : `cannot be resolved (${found.reason})`;
      throw new QueueMoveError('outsideWorkspace', entry.file, `Cannot move ${entry.relativePath} to ${planningLayout[to]}/: ${folder} ${where}.`);
    }
  }

  if (destination === from) {
    if (await exists(from)) return result(true);
    throw missing(entry, to);
  }
  if (await exists(destination)) {
    if (!(await exists(from))) return result(true);
    throw new QueueMoveError('destinationExists', entry.file,
      `Cannot move ${entry.relativePath} to ${planningLayout[to]}/: a file named ${inner} is already there.`);
  }
  await mkdir(dirname(destination), { recursive: true });
  try {
    await rename(from, destination);
  } catch (error) {
    if (codeOf(error) !== 'ENOENT') throw error;
    // Someone else moved it first (or it was deleted): the outcome decides which.
    if (await exists(destination)) return result(true);
    throw missing(entry, to);
  }
  return result(false);
}

/**
 * Tasks in `processed/` were dispatched and not finished. At start-up they are in flight: the dispatcher
 * decides whether to resume, retry or give them back. Oldest first (modification time, then path);
 * invalid files are included, with their diagnostics, so nothing in flight goes unreported.
 */
export function recoverInFlight(index: { entries(folder?: QueueFolder): Iterable<QueueEntry> }): QueueEntry[] {
  return [...index.entries('processed')].sort((a, b) => a.mtimeMs - b.mtimeMs || (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
}

function missing(entry: QueueEntry, to: QueueFolder): QueueMoveError {
  return new QueueMoveError('sourceMissing', entry.file,
    `Cannot move ${entry.relativePath} to ${planningLayout[to]}/: the file is in neither folder.`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return false;
    throw error;
  }
}
