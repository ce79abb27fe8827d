import type { AtoState } from '../state/atoState';
import { commandIds } from './commandIds';

/** A CodeLens above a task file's front matter: a title and the command it runs with the task's id. */
export interface TaskFileLens {
  readonly title: string;
  readonly command: string;
  readonly taskId: string;
  /** The zero-based line it sits on: the file's first line, where the front matter starts. */
  readonly line: number;
}

/**
 * "Dispatch now · Preview agent" (PRODUCT §6) for a task file the queue index knows as a valid task in
 * `pending/` (waiting on a dependency included: the dispatch then says why it waits), in a trusted workspace
 * only. An invalid file, a file in processed/ or complete/, or any other file gets none.
 */
export function taskFileLenses(state: Pick<AtoState, 'trusted' | 'queue'>, file: string): readonly TaskFileLens[] {
  if (!state.trusted || state.queue === undefined) return [];
  const { pending } = state.queue;
  const entry = pending.ready.find(candidate => candidate.file === file) ?? pending.blocked.find(blocked => blocked.entry.file === file)?.entry;
  if (entry === undefined) return [];
  const taskId = entry.result.task.id;
  return [
    { title: 'Dispatch now', command: commandIds.dispatchTask, taskId, line: 0 },
    { title: 'Preview agent', command: commandIds.previewDispatch, taskId, line: 0 },
  ];
}
