import { findFrontmatter } from './frontmatterBlock';
import { LineIndex } from './lineIndex';
import { parseTaskFileWithLocations } from './parseTaskFile';
import type { TextPosition } from './task';
import { taskPriorities, type TaskPriority } from './taskTypes';

/**
 * One step up for a task whose retries ran out: low → medium → high → critical. Escalation never makes a
 * task an emergency (that is a person's call), and leaves critical and emergency as they are.
 */
export function raisedPriority(priority: TaskPriority): TaskPriority {
  if (priority === 'critical' || priority === 'emergency') return priority;
  return taskPriorities[taskPriorities.indexOf(priority) + 1] ?? priority;
}

export type PriorityEdit =
  | { readonly changed: true; readonly text: string }
  | { readonly changed: false; readonly reason: string };

/**
 * The task file's text with `priority: <priority>` (pure). The value of an existing `priority:` is replaced
 * in place (its comment and everything else untouched); otherwise a line is added at the end of the
 * frontmatter, or a frontmatter is added to a plain Markdown task. Setting rather than raising makes a
 * repeated edit harmless. A file that does not parse into a task is left alone.
 */
export function setTaskPriority(text: string, fileName: string, priority: TaskPriority): PriorityEdit {
  const parsed = parseTaskFileWithLocations(text, fileName);
  if (parsed.task === undefined) return { changed: false, reason: 'the task file has errors' };
  if (parsed.task.priority === priority) return { changed: false, reason: `the priority is ${priority} already` };
  const lines = new LineIndex(text);
  const offset = (position: TextPosition): number => lines.lineStart(position.line) + position.character;
  const value = parsed.locations.keys.get('priority')?.valueRange;
  if (value !== undefined) {
    const start = offset(value.start);
    const end = offset(value.end);
    return { changed: true, text: `${text.slice(0, start)}${priority}${text.slice(end)}` };
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const block = findFrontmatter(lines);
  if (block.kind !== 'closed') return { changed: true, text: `---${eol}priority: ${priority}${eol}---${eol}${text}` };
  const at = lines.lineStart(block.closeLine);
  return { changed: true, text: `${text.slice(0, at)}priority: ${priority}${eol}${text.slice(at)}` };
}
