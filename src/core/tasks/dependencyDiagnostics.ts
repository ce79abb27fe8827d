import { editDistance } from './editDistance';
import { cyclePath, describeCycleWalk, summarizeCycle } from './dependencyCycles';
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
 * `depends_on` item that leads into the cycle. A small cycle is spelled out in each file, from that file's
 * task (`a → b → a`); a big one is described once, at its first task, with its size and first steps, and
 * every other file refers to it — so each message is bounded, however many tasks the cycle holds. Keyed by
 * task id; `fileTexts` holds each task file's text by id (a task without text gets its diagnostic at 0:0).
 */
export function dependencyCycleDiagnostics(
  cycles: readonly (readonly string[])[],
  graph: ReadonlyMap<string, readonly string[]>,
  fileTexts: ReadonlyMap<string, string>,
): Map<string, TaskDiagnostic[]> {
  const result = new Map<string, TaskDiagnostic[]>();
  const add = (id: string, message: string, dependency: string): void => {
    const diagnostic = taskDiagnostic('error', 'dependency-cycle', message, dependencyRange(locate(fileTexts.get(id), id), dependency));
    result.set(id, [...(result.get(id) ?? []), diagnostic]);
  };
  for (const cycle of cycles) {
    const summary = summarizeCycle(graph, cycle);
    if (summary.complete) {
      for (const id of cycle) {
        const path = cyclePath(graph, cycle, id);
        add(id, path.length === 2
          ? `Task ${quoted(id)} depends on itself; it can never be dispatched.`
          : `Dependency cycle: ${describeCycleWalk({ ...summary, walk: path })}. None of these tasks can be dispatched until one of them stops depending on the next.`, path[1] ?? id);
      }
      continue;
    }
    const members = new Set(cycle);
    for (const id of cycle) {
      // The dependency that leads into the cycle: the first (by id) that is in it.
      const next = [...(graph.get(id) ?? [])].sort().find(dependency => members.has(dependency)) ?? id;
      add(id, id === summary.first
        ? `Dependency cycle of ${String(summary.size)} tasks: ${describeCycleWalk(summary)}. None of them can be dispatched until one stops depending on the next.`
        : `Task ${quoted(id)} depends on ${quoted(next)} in the dependency cycle of ${String(summary.size)} tasks described at ${quoted(summary.first)}; it cannot be dispatched until the cycle is broken.`, next);
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
