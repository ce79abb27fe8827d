import { editDistance } from './editDistance';
import { cyclePath } from './dependencyCycles';
import { parseTaskFileWithLocations, type TaskFileLocations } from './parseTaskFile';
import type { Task, TaskDiagnostic, TextRange } from './task';
import { fileStartRange, quoted, taskDiagnostic } from './taskDiagnostics';

function locate(text: string | undefined, id: string): TaskFileLocations | undefined {
  return text === undefined ? undefined : parseTaskFileWithLocations(text, `${id}.task.md`).locations;
}

/** The `depends_on` item naming `dependency`, else the `depends_on` line, else the start of the file. */
function dependencyRange(locations: TaskFileLocations | undefined, dependency: string | undefined): TextRange {
  const item = locations?.dependsOn.find(located => located.id === dependency);
  if (item !== undefined) return item.range;
  const key = locations?.keys.get('depends_on');
  return key === undefined ? fileStartRange : { start: key.keyRange.start, end: key.valueRange.end };
}

/**
 * Turns cycles (from `findDependencyCycles`) into an error for each task file involved, at the
 * `depends_on` item that leads into the cycle, naming the whole loop (`a → b → a`). Keyed by task id;
 * `fileTexts` holds each task file's text by id (a task without text gets its diagnostic at 0:0).
 */
export function dependencyCycleDiagnostics(
  cycles: readonly (readonly string[])[],
  graph: ReadonlyMap<string, readonly string[]>,
  fileTexts: ReadonlyMap<string, string>,
): Map<string, TaskDiagnostic[]> {
  const result = new Map<string, TaskDiagnostic[]>();
  for (const cycle of cycles) {
    for (const id of cycle) {
      const path = cyclePath(graph, cycle, id);
      const loop = path.length > 1 ? path.join(' → ') : `${id} → ${id}`;
      const message = path.length === 2
        ? `Task "${id}" depends on itself; it can never be dispatched.`
        : `Dependency cycle: ${loop}. None of these tasks can be dispatched until one of them stops depending on the next.`;
      const diagnostic = taskDiagnostic('error', 'dependency-cycle', message, dependencyRange(locate(fileTexts.get(id), id), path[1] ?? id));
      result.set(id, [...(result.get(id) ?? []), diagnostic]);
    }
  }
  return result;
}

/**
 * A warning for each `depends_on` id that names no known task (the known ids should include completed
 * tasks). Suggests a known id one or two edits away. Points at the item in `taskFileText`.
 */
export function unknownDependencyDiagnostics(task: Task, knownIds: ReadonlySet<string>, taskFileText: string): TaskDiagnostic[] {
  const missing = task.dependsOn.filter(id => !knownIds.has(id));
  if (missing.length === 0) return [];
  const locations = locate(taskFileText, task.id);
  return missing.map(id => {
    const suggestion = closeId(id, knownIds);
    const hint = suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
    return taskDiagnostic('warning', 'unknown-dependency', `No known task has the id ${quoted(id)}.${hint}`, dependencyRange(locations, id));
  });
}

function closeId(id: string, knownIds: ReadonlySet<string>): string | undefined {
  if (id.length > 100) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of knownIds) {
    if (Math.abs(known.length - id.length) >= bestDistance) continue;
    const distance = known.toLowerCase() === id.toLowerCase() ? 0 : editDistance(id, known);
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && known < best)) {
      best = known;
      bestDistance = distance;
    }
  }
  return best;
}
