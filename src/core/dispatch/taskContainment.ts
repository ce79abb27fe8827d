import { stat } from 'node:fs/promises';
import type { Task } from '../tasks/task';
import { checkTaskPaths } from '../tasks/taskPaths';
import { resolveContained } from '../util/pathContainment';

export type TaskPathErrorKind =
  /** A target or the `cwd` leads outside the folder it must stay in (the workspace, the worktree). */
  | 'outside'
  /** The `cwd` does not exist (or is not a folder) where the agent would run. */
  | 'missingCwd';

/** A task that must not run as written: no other agent or retry can help, a person fixes the file. */
export class TaskPathError extends Error {
  override readonly name = 'TaskPathError';

  constructor(readonly kind: TaskPathErrorKind, message: string) {
    super(message);
  }

  static is(error: unknown, kind?: TaskPathErrorKind): error is TaskPathError {
    return error instanceof TaskPathError && (kind === undefined || error.kind === kind);
  }
}

type TaskPaths = Pick<Task, 'id' | 'targetFiles' | 'cwd'>;

/**
 * Before anything moves: the task's targets and `cwd`, followed through the workspace's file system, stay
 * inside it (a symlink made since the queue index read the file counts), and the `cwd` is a folder there.
 * Throws `TaskPathError`; the task then stays where it is.
 */
export async function checkTaskInWorkspace(task: TaskPaths, workspaceRoot: string): Promise<void> {
  await assertPathsInside(task, workspaceRoot, 'the workspace');
  await cwdFolder(task, workspaceRoot, 'in the workspace');
}

/**
 * After the worktree exists (a committed symlink exists there too): the agent's working directory, the
 * `cwd` resolved inside the worktree with `realpath`, which must be an existing folder inside it; the
 * targets must stay inside it as well. Returns the real path to run the agent in; throws `TaskPathError`.
 */
export async function resolveAgentWorkdir(task: TaskPaths, worktree: string): Promise<string> {
  await assertPathsInside(task, worktree, `its worktree (${worktree})`);
  return cwdFolder(task, worktree, `in the commit the agent works on (${worktree}): commit it, or fix the task's "cwd"`);
}

async function assertPathsInside(task: TaskPaths, root: string, where: string): Promise<void> {
  const problems = await checkTaskPaths(task, { workspaceRoot: root });
  if (problems.length > 0) {
    throw new TaskPathError('outside', `Task "${task.id}" cannot run: ${problems.map(problem => problem.message.replace(/the workspace/g, where)).join(' ')}`);
  }
}

/** The real path of the task's `cwd` (default: the root itself), which must be a folder inside `root`. */
async function cwdFolder(task: TaskPaths, root: string, where: string): Promise<string> {
  const cwd = task.cwd ?? '.';
  const found = await resolveContained(root, cwd);
  if (found.kind !== 'inside') throw new TaskPathError('outside', `Task "${task.id}" cannot run: its "cwd" ${JSON.stringify(cwd)} is outside ${root}.`);
  if (!found.exists || !(await isFolder(found.realPath))) {
    throw new TaskPathError('missingCwd', `Task "${task.id}" cannot run: its "cwd" ${JSON.stringify(cwd)} is not a folder ${where}.`);
  }
  return found.realPath;
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
