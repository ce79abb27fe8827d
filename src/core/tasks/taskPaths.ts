import { resolveContained, type Containment, type RealPath } from '../util/pathContainment';
import { parseTaskFileWithLocations } from './parseTaskFile';
import type { Task, TaskDiagnostic, TextRange } from './task';
import { fileStartRange, quoted, taskDiagnostic } from './taskDiagnostics';
import { pathTextDiagnostic } from './taskPathText';

export interface TaskPathContext {
  /** The folder every target and `cwd` must stay inside: the workspace, or the agent's worktree. */
  readonly workspaceRoot: string;
  /** The task file's text, to point each diagnostic at the line that names the path (else the file's start). */
  readonly taskFileText?: string;
  /** `realpath`, shared across the task files of one batch (see `realPathCache`). */
  readonly realPath?: RealPath;
}

type PathRole = 'target' | 'cwd';

interface PathProblem {
  readonly path: string;
  readonly role: PathRole;
  /** The target's position in `task.targetFiles`, to find its line. */
  readonly position: number;
  readonly found: Exclude<Containment, { kind: 'inside' }>;
}

/**
 * Checks that each target file and the `cwd` of `task` resolve inside the root through the file system: no
 * symlink whose real path leads outside (a path that does not exist yet is fine when the part that exists
 * stays inside). The parser has already refused what the text alone shows (absolute paths, `..` past the
 * root). Each problem is an error at the line naming the path; the file is re-read for lines only then.
 */
export async function checkTaskPaths(task: Pick<Task, 'id' | 'targetFiles' | 'cwd'>, context: TaskPathContext): Promise<TaskDiagnostic[]> {
  const paths: { path: string; role: PathRole; position: number }[] = task.targetFiles.map((path, position) => ({ path, role: 'target', position }));
  if (task.cwd !== undefined) paths.push({ path: task.cwd, role: 'cwd', position: -1 });
  const problems: PathProblem[] = [];
  for (const { path, role, position } of paths) {
    const found = await resolveContained(context.workspaceRoot, path, context.realPath);
    if (found.kind !== 'inside') problems.push({ path, role, position, found });
  }
  if (problems.length === 0) return [];
  const rangeOf = rangeFinder(task, context.taskFileText);
  return problems.map(problem => pathDiagnostic(problem, rangeOf(problem)));
}

function pathDiagnostic({ path, role, found }: PathProblem, range: TextRange): TaskDiagnostic {
  const label = role === 'cwd' ? `"cwd" ${quoted(path)}` : `Target file ${quoted(path)}`;
  switch (found.kind) {
    case 'outside':
      return pathTextDiagnostic(role, path, range) ?? taskDiagnostic('error', `${role}-outside-workspace`, `${label} ${found.reason}.`, range);
    case 'symlink':
      return taskDiagnostic('error', 'symlink-outside-workspace', `${label} leads outside the workspace through a symlink (to ${found.realPath}).`, range);
    case 'unresolvable':
      return taskDiagnostic('error', 'path-unresolvable', `${label} cannot be resolved: ${found.reason}.`, range);
  }
}

function rangeFinder(task: Pick<Task, 'id' | 'targetFiles'>, text: string | undefined): (problem: PathProblem) => TextRange {
  if (text === undefined) return () => fileStartRange;
  const { locations } = parseTaskFileWithLocations(text, `${task.id}.task.md`);
  return ({ path, role, position }) => {
    if (role === 'cwd') return locations.keys.get('cwd')?.valueRange ?? fileStartRange;
    const located = locations.targetFiles[position]?.text === path ? locations.targetFiles[position] : locations.targetFiles.find(target => target.text === path);
    return located?.range ?? fileStartRange;
  };
}
