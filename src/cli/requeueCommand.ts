import { relative } from 'node:path';
import { requeueTask } from '../core/dispatch/requeueTask';
import type { LoopController } from '../core/loop/engine/loopModel';
import { RunStore } from '../core/runs/runStore';
import { readEnvironmentSettings } from '../core/settings/environmentSettings';
import type { CliContext } from './cliContext';
import { openCliEventLog } from './cliEventLog';
import { openLoop, withLock } from './loopCommands';
import { openQueue } from './taskCommands';

/**
 * `ato requeue <id>`: a failed, cancelled or interrupted task goes from `processed/` back to `pending/`.
 * In a workspace whose loop is in GitHub mode, on the planning branch through the loop's guarded action
 * (behind the workspace's lock and the remote lease; the task's old issue is closed); otherwise in the
 * working tree (its run records keep their history). Exit 0 when it is in pending/ (already, or now), 1
 * when refused, 3 when another process holds the loop's lock.
 */
export async function requeue(context: CliContext, taskId: string | undefined): Promise<number> {
  if (taskId === undefined) {
    process.stderr.write('ato requeue: which task? (`ato tasks` lists them)\n');
    return 2;
  }
  const { loop, close } = await openLoop(context);
  if (loop.kind === 'ready') {
    try {
      return await withLock(context, 'ato requeue', () => requeueRemote(context, loop.engine, taskId));
    } finally {
      await loop.engine.close();
      await close();
    }
  }
  await close();
  return requeueLocal(context, taskId);
}

async function requeueRemote(context: CliContext, engine: LoopController, taskId: string): Promise<number> {
  const outcome = await engine.requeueTask(taskId);
  const message = context.redactor.redact(outcome.message);
  if (context.json) context.out(`${JSON.stringify({ taskId, result: outcome.result, message }, null, 2)}\n`);
  else if (outcome.result === 'failed') context.err(`ato requeue: ${message}\n`);
  else context.out(`${message}\n`);
  return outcome.result === 'failed' ? 1 : 0;
}

async function requeueLocal(context: CliContext, taskId: string): Promise<number> {
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
