import type { QueueFolder } from '../planning/planningLayout';
import type { Task, TaskDiagnostic, TaskParseResult } from '../tasks/task';

/**
 * One task file in `issue_queue/{pending,processed,complete}` as the queue index last read it. Entries are
 * immutable values: a changed file gets a new entry, so snapshots and listeners may keep references.
 */
export interface QueueEntry {
  /** Absolute path. */
  readonly file: string;
  /** Relative to the planning folder, with `/` separators, e.g. `issue_queue/pending/add-login.task.md`. */
  readonly relativePath: string;
  readonly folder: QueueFolder;
  readonly fileName: string;
  readonly mtimeMs: number;
  readonly size: number;
  readonly result: TaskParseResult;
}

/** An entry whose file parsed into a task (no error-severity diagnostic). */
export interface ValidQueueEntry extends QueueEntry {
  readonly result: TaskParseResult & { readonly task: Task };
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
