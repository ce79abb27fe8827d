import type { Task, TaskParseResult } from '../../src/core/tasks/task';
import { taskPriorities, type TaskPriority } from '../../src/core/tasks/taskTypes';
import { taskIdFromFileName } from '../../src/core/queue/queueEntry';

/**
 * A small stand-in for the real task-file parser, for queue tests and the queue benchmark: reads `id`,
 * `priority`, `created` and `depends_on: [a, b]` from the frontmatter and the first `# ` title; a file
 * that contains `INVALID` gets an error diagnostic and no task.
 */
export function simpleTaskParser(text: string, fileName: string): TaskParseResult {
  const invalidAt = text.indexOf('INVALID');
  if (invalidAt >= 0) {
    const line = text.slice(0, invalidAt).split('\n').length - 1;
    const character = invalidAt - (text.lastIndexOf('\n', invalidAt - 1) + 1);
    return {
      task: undefined,
      diagnostics: [{ severity: 'error', code: 'test-invalid', message: 'The file says INVALID', range: { start: { line, character }, end: { line, character: character + 7 } } }],
    };
  }
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
  const field = (name: string): string | undefined => new RegExp(`^${name}:[ \\t]*(.*?)[ \\t]*$`, 'm').exec(front)?.[1];
  const priority = field('priority');
  const dependsOn = field('depends_on')?.replace(/^\[|\]$/g, '').split(',').map(id => id.trim()).filter(id => id !== '') ?? [];
  const task: Task = {
    id: field('id') ?? taskIdFromFileName(fileName),
    title: /^# (.+)$/m.exec(text)?.[1] ?? '',
    type: 'feature',
    priority: taskPriorities.includes(priority as TaskPriority) ? priority as TaskPriority : 'medium',
    agent: 'auto',
    created: field('created'),
    dependsOn,
    cwd: undefined,
    timeoutMs: undefined,
    targetFiles: [],
    prompt: '',
    successCriteria: [],
    context: '',
    body: text,
  };
  return { task, diagnostics: [] };
}

export interface TaskFileFields {
  readonly id?: string;
  readonly title?: string;
  readonly priority?: TaskPriority;
  readonly created?: string;
  readonly dependsOn?: readonly string[];
  readonly body?: string;
}

/** The text of a task file that `simpleTaskParser` reads back into those fields. */
export function taskFileText(fields: TaskFileFields = {}): string {
  const lines = ['---'];
  if (fields.id !== undefined) lines.push(`id: ${fields.id}`);
  if (fields.priority !== undefined) lines.push(`priority: ${fields.priority}`);
  if (fields.created !== undefined) lines.push(`created: ${fields.created}`);
  if (fields.dependsOn !== undefined) lines.push(`depends_on: [${fields.dependsOn.join(', ')}]`);
  lines.push('---', `# ${fields.title ?? 'A task'}`, '', fields.body ?? 'Do the thing.', '');
  return lines.join('\n');
}
