import { planningLayout, type QueueFolder } from '../planning/planningLayout';
import type { Task, TaskDiagnostic, TaskParseResult } from '../tasks/task';

/**
 * One task file in `issue_queue/{pending,processed,complete}` as the queue index last read it. Entries are
 * immutable values: a changed file gets a new entry, so snapshots and listeners may keep references.
 */
export interface QueueEntry {
  /** Absolute path. */
  readonly file: string;
  /**
   * Relative to the planning folder, with `/` separators, e.g. `issue_queue/pending/add-login.task.md`, or
   * `issue_queue/pending/web/add-login.task.md` for a task file in a sub-folder (its folder is its state).
   */
  readonly relativePath: string;
  readonly folder: QueueFolder;
  /** The file's own name, without any sub-folder. A folder reported as a problem ends with `/`. */
  readonly fileName: string;
  readonly mtimeMs: number;
  readonly size: number;
  readonly result: TaskParseResult;
}

/** An entry whose file parsed into a task (no error-severity diagnostic). */
export interface ValidQueueEntry extends QueueEntry {
  readonly result: TaskParseResult & { readonly task: Task };
}

/**
 * Where the file is inside its queue folder, `/`-separated: `x.task.md`, or `web/x.task.md` in a sub-folder.
 * A move keeps it (`pending/web/x.md` → `processed/web/x.md`), and a move is recognised by it.
 */
export function pathInQueueFolder(entry: Pick<QueueEntry, 'relativePath' | 'folder'>): string {
  const prefix = `${planningLayout[entry.folder]}/`;
  return entry.relativePath.startsWith(prefix) ? entry.relativePath.slice(prefix.length) : entry.relativePath;
}

/** The id a task file's name gives it: the name without `.task.md`, or without `.md` (PRODUCT §3.1). */
export function taskIdFromFileName(fileName: string): string {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.task.md')) return fileName.slice(0, -'.task.md'.length);
  if (lower.endsWith('.md')) return fileName.slice(0, -'.md'.length);
  return fileName;
}

/** The task's id: its frontmatter `id` when it parsed, else the one its file name gives. */
export function queueEntryId(entry: QueueEntry): string {
  return entry.result.task?.id ?? taskIdFromFileName(entry.fileName);
}

export function isValidQueueEntry(entry: QueueEntry): entry is ValidQueueEntry {
  return entry.result.task !== undefined;
}

/**
 * A problem with the file itself rather than its content (too large, unreadable, a symlink out of the
 * workspace): a result with no task and one error diagnostic at the start of the file.
 */
export function fileProblem(code: string, message: string): TaskParseResult {
  const diagnostic: TaskDiagnostic = {
    severity: 'error',
    code,
    message,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
  return { task: undefined, diagnostics: [diagnostic] };
}

/**
 * A folder in the queue that ATO does not read (a queue folder that leads outside the workspace, a symlinked
 * sub-folder), reported the way an invalid task file is: it shows wherever invalid files do, is never
 * dispatched, and nothing in it is moved. `relativePath` is the folder's, `fileName` its name with a `/`.
 */
export function folderProblemEntry(place: { readonly file: string; readonly relativePath: string; readonly folder: QueueFolder }, code: string, message: string): QueueEntry {
  const name = place.relativePath.slice(place.relativePath.lastIndexOf('/') + 1);
  return { file: place.file, relativePath: place.relativePath, folder: place.folder, fileName: `${name}/`, mtimeMs: 0, size: 0, result: fileProblem(code, message) };
}

/** True for an entry that stands for a folder ATO does not read (see {@link folderProblemEntry}). */
export function isFolderProblem(entry: Pick<QueueEntry, 'fileName'>): boolean {
  return entry.fileName.endsWith('/');
}
