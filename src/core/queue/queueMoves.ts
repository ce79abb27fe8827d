import { lstat, mkdir, rename } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { planningLayout, type QueueFolder } from '../planning/planningLayout';
import type { QueueEntry } from './queueEntry';
import { codeOf } from './queueFiles';

export type QueueMoveErrorKind =
  /** A file with that name is already in the destination folder; nothing was moved or overwritten. */
  | 'destinationExists'
  /** The task file is in neither the source nor the destination folder. */
  | 'sourceMissing'
  /** The entry does not describe a file in a queue folder. */
  | 'notInQueue';

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

/**
 * Moves a task file to another queue folder with one `rename` inside the planning folder (same file
 * system, so atomic: at every moment the file is in exactly one folder). Never overwrites: when the
 * destination name is taken it throws `QueueMoveError` `destinationExists`. Idempotent: when the file is
 * already in the destination and gone from the source — a retry after a crash between the rename and the
 * caller's bookkeeping — it succeeds with `alreadyMoved`.
 *
 * The destination check and the rename are two steps (node has no rename-without-replace), so a file
 * created under the same name in between would be replaced; the loop's lease makes ATO the only mover.
 */
export async function moveTask(entry: QueueEntry, to: QueueFolder): Promise<QueueMove> {
  const from = resolve(entry.file);
  const source = planningLayout[entry.folder];
  const suffix = sep + join(source, entry.fileName);
  if (entry.relativePath !== `${source}/${entry.fileName}` || !from.endsWith(suffix)) {
    throw new QueueMoveError('notInQueue', entry.file, `${entry.file} is not a task file in ${source}.`);
  }
  const planningRoot = from.slice(0, from.length - suffix.length);
  const destination = join(planningRoot, planningLayout[to], entry.fileName);
  const result = (alreadyMoved: boolean): QueueMove => ({ from, to: destination, folder: to, alreadyMoved });

  if (destination === from) {
    if (await exists(from)) return result(true);
    throw missing(entry, to);
  }
  if (await exists(destination)) {
    if (!(await exists(from))) return result(true);
    throw new QueueMoveError('destinationExists', entry.file,
      `Cannot move ${entry.relativePath} to ${planningLayout[to]}/: a file named ${entry.fileName} is already there.`);
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
