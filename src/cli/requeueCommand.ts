import { relative } from 'node:path';
import { requeueTask } from '../core/dispatch/requeueTask';
import { RunStore } from '../core/runs/runStore';
import { readEnvironmentSettings } from '../core/settings/environmentSettings';
import type { CliContext } from './cliContext';
import { openCliEventLog } from './cliEventLog';
import { openQueue } from './taskCommands';

/**
 * `ato requeue <id>`: a failed, cancelled or interrupted task goes from `processed/` back to `pending/`
 * (its run records keep their history). Exit 0 when it is in pending/ (already, or now), 1 when refused.
 */
export async function requeue(context: CliContext, taskId: string | undefined): Promise<number> {
  if (taskId === undefined) {
    process.stderr.write('ato requeue: which task? (`ato tasks` lists them)\n');
    return 2;
  }
  const { settings, problems } = readEnvironmentSettings(context.env);
  for (const problem of problems) context.log.warn(problem.message);
  const index = await openQueue(context);
  const events = await openCliEventLog(context, settings);
  try {
    const runs = new RunStore({ workspaceRoot: context.workspaceRoot, redactor: context.redactor });
    const outcome = await requeueTask(taskId, { workspaceRoot: context.workspaceRoot, planningRoot: index.planningRoot, index, runs, events });
    switch (outcome.status) {
      case 'requeued':
        context.out(`requeued ${taskId}: ${relative(context.workspaceRoot, outcome.file)} (\`ato dispatch ${taskId}\` runs it again)\n`);
        return 0;
      case 'alreadyPending':
        context.out(`${taskId} is already in pending/: ${relative(context.workspaceRoot, outcome.file)}\n`);
        return 0;
      case 'notFound':
      case 'duplicate':
      case 'complete':
      case 'active':
        process.stderr.write(context.redactor.redact(`ato requeue: ${outcome.reason}\n`));
        return 1;
    }
  } finally {
    await events.flush();
    index.dispose();
  }
}
