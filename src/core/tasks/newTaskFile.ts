import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { planningPartPath, type PlanningPart } from '../planning/planningLayout';
import type { PlanningWriter } from '../planning/planningWriter';
import { isSlugLike, taskIdProblem } from './taskIdRules';
import { renderTaskFile, slugify } from './taskFileWriter';
import { autoAgent } from './taskTypes';
import { matchAgent, matchPriority, matchTaskType, type EnumMatch } from './valueAliases';

/** What `ato new` is asked for: text as typed, checked here against the task-file schema (PRODUCT §3.1). */
export interface NewTaskRequest {
  readonly title: string;
  readonly type?: string;
  readonly priority?: string;
  readonly agent?: string;
  readonly id?: string;
  readonly prompt?: string;
}

export type NewTaskOutcome =
  | { readonly kind: 'created'; readonly id: string; readonly file: string }
  /** Nothing was written; `reason` says why and what to do. */
  | { readonly kind: 'refused'; readonly reason: string };

const queueFolders: readonly PlanningPart[] = ['pending', 'processed', 'complete'];

/**
 * Creates `pending/<id>.task.md`. Refuses, writing nothing, when a value is not one the schema knows (with the
 * nearest valid one), the id is not one git can name a branch after, or a task file of that id is already in
 * the queue (any folder): it never overwrites and never renames to dodge a clash, so the printed path is the id.
 */
export async function createTaskFile(writer: PlanningWriter, planningRoot: string, request: NewTaskRequest, now: Date): Promise<NewTaskOutcome> {
  const title = request.title.replace(/\s+/g, ' ').trim();
  if (title === '') return { kind: 'refused', reason: 'A task needs a title.' };
  const type = enumValue('type', request.type ?? 'feature', matchTaskType);
  if (type.kind === 'refused') return type;
  const priority = enumValue('priority', request.priority ?? 'medium', matchPriority);
  if (priority.kind === 'refused') return priority;
  const agent = agentValue(request.agent ?? autoAgent);
  if (agent.kind === 'refused') return agent;
  const id = request.id?.trim() ?? slugify(writer.redact(title));
  const idProblem = taskIdProblem(id);
  if (idProblem !== undefined) return { kind: 'refused', reason: `"${id}" cannot be a task id: ${idProblem}` };
  for (const part of queueFolders) {
    for (const name of [`${id}.task.md`, `${id}.md`]) {
      const existing = join(planningPartPath(planningRoot, part), name);
      if (await access(existing).then(() => true, () => false)) return { kind: 'refused', reason: `${existing} exists: a task "${id}" is already in the queue (not overwritten). Choose another title, or --id.` };
    }
  }
  const pending = planningPartPath(planningRoot, 'pending');
  const file = join(pending, `${id}.task.md`);
  const text = renderTaskFile(id, {
    title, type: type.value, priority: priority.value, agent: agent.value, created: now,
    prompt: request.prompt?.trim() === undefined || request.prompt.trim() === '' ? 'Describe what the agent must do, and how to know it is done.' : request.prompt,
    targetFiles: [], successCriteria: [], context: '',
  });
  try {
    await writer.create(file, text);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return { kind: 'refused', reason: `${file} exists (not overwritten).` };
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return { kind: 'refused', reason: `${pending} does not exist: create the planning folder first (ato init).` };
    throw error;
  }
  return { kind: 'created', id, file };
}

function enumValue<T extends string>(field: string, raw: string, match: (raw: string) => EnumMatch<T>): { kind: 'ok'; value: T } | { kind: 'refused'; reason: string } {
  const found = match(raw);
  if (found.kind !== 'unknown') return { kind: 'ok', value: found.value };
  return { kind: 'refused', reason: `Unknown ${field} "${raw}": did you mean "${found.nearest}"?` };
}

/** A built-in agent by any spelling, or a custom agent's id as written (slug-like). */
function agentValue(raw: string): { kind: 'ok'; value: string } | { kind: 'refused'; reason: string } {
  const found = matchAgent(raw);
  if (found.kind !== 'unknown') return { kind: 'ok', value: found.value };
  const text = raw.trim();
  if (isSlugLike(text)) return { kind: 'ok', value: text };
  return { kind: 'refused', reason: `Invalid agent "${raw}": use "auto", a built-in agent or a custom agent id (letters, digits, ".", "_", "-"); the nearest built-in is "${found.nearest}".` };
}
