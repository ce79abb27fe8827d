import { join } from 'node:path';
import { PlanningWriter } from '../core/planning/planningWriter';
import { readEnvironmentSettings } from '../core/settings/environmentSettings';
import { createTaskFile, type NewTaskRequest } from '../core/tasks/newTaskFile';
import type { CliContext } from './cliContext';

/** `ato new <title…> [--type t] [--priority p] [--agent a] [--id id] [--prompt text]`: prints the new file's path. */
export async function newTaskCommand(context: CliContext, request: NewTaskRequest): Promise<number> {
  const { settings } = readEnvironmentSettings(context.env);
  const outcome = await createTaskFile(new PlanningWriter(context.redactor), join(context.workspaceRoot, settings.planningPath), request, new Date());
  if (outcome.kind === 'refused') {
    context.err(`ato new: ${outcome.reason}\n`);
    return 1;
  }
  if (context.json) context.out(`${JSON.stringify({ id: outcome.id, file: outcome.file })}\n`);
  else context.out(`${outcome.file}\n`);
  return 0;
}
