import { pathTextProblem } from '../util/pathContainment';
import type { TaskDiagnostic, TextRange } from './task';
import { quoted, taskDiagnostic } from './taskDiagnostics';

/**
 * The parser's check of a target or `cwd` by its text alone (the same everywhere: editor, queue index, CLI,
 * the loop's remote read): an absolute path, `~`, or `..` past the workspace is an error, so such a task is
 * never dispatched. Symlinks need the file system: `checkTaskPaths` and the dispatcher follow them.
 */
export function pathTextDiagnostic(role: 'target' | 'cwd', path: string, range: TextRange): TaskDiagnostic | undefined {
  const problem = pathTextProblem(path);
  if (problem === undefined) return undefined;
  const label = role === 'cwd' ? `"cwd" ${quoted(path)}` : `Target file ${quoted(path)}`;
  const climbs = problem.startsWith('climbs');
  const code = climbs ? `${role}-outside-workspace` : `invalid-${role}`;
  const example = role === 'cwd' ? 'packages/web' : 'src/login.ts';
  return taskDiagnostic('error', code, `${label} ${problem}: write it relative to the workspace root, inside it (e.g. "${example}").`, range);
}
