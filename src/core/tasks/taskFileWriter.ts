import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlanningWriter } from '../planning/planningWriter';
import type { TaskPriority, TaskType } from './taskTypes';

/** What a person (or "Delegate to AI") asks for; becomes a task file in `pending/`. */
export interface TaskDraft {
  readonly title: string;
  readonly prompt: string;
  readonly type: TaskType;
  readonly priority: TaskPriority;
  readonly agent: string;
  /** Workspace-relative paths. */
  readonly targetFiles: readonly string[];
  readonly successCriteria: readonly string[];
  readonly context: string;
  readonly created: Date;
}

/** `Add a login form!` → `add-login-form`; never empty, at most 60 characters. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? 'task' : slug;
}

/** The task file for a draft, in the format of PRODUCT §3.1. Pure. */
export function renderTaskFile(id: string, draft: TaskDraft): string {
  const lines = [
    '---',
    `id: ${id}`,
    `type: ${draft.type}`,
    `priority: ${draft.priority}`,
    `agent: ${draft.agent}`,
    `created: ${draft.created.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    '---',
    `# ${singleLine(draft.title)}`,
    '',
  ];
  if (draft.targetFiles.length > 0) lines.push('**Target Files:**', ...draft.targetFiles.map(file => `- ${file}`), '');
  lines.push('**Prompt:**', draft.prompt.trim(), '');
  if (draft.successCriteria.length > 0) lines.push('**Success Criteria:**', ...draft.successCriteria.map(c => `- [ ] ${singleLine(c)}`), '');
  if (draft.context.trim() !== '') lines.push('**Context:**', draft.context.trim(), '');
  return lines.join('\n');
}

/**
 * Writes a new task file into `folder` under a unique id derived from the title, through the redactor
 * (a delegated selection can quote a secret). Never overwrites: the file is created with `wx`, and a taken
 * name gets `-2`, `-3`, … Returns the id and path.
 */
export async function writeNewTaskFile(writer: PlanningWriter, folder: string, draft: TaskDraft, takenIds: ReadonlySet<string> = new Set()): Promise<{ id: string; file: string }> {
  await mkdir(folder, { recursive: true });
  // The id (and the file's name) come from the title as written, so without what it quoted.
  const base = slugify(writer.redact(draft.title));
  for (let n = 1; n < 1000; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (takenIds.has(id)) continue;
    const file = join(folder, `${id}.task.md`);
    try {
      await writer.create(file, renderTaskFile(id, draft));
      return { id, file };
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
  }
  throw new Error(`Could not find a free file name for "${base}" in ${folder}`);
}

function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
