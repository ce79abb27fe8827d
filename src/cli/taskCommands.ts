import { join } from 'node:path';
import { configuredAgents } from '../core/agents/fleet/configuredAgents';
import { projectMcpServersAllowed } from '../core/agents/claudeCode/projectMcpServers';
import { createDispatchRuntime } from '../core/dispatch/dispatchRuntime';
import { recoverRuns } from '../core/dispatch/runRecovery';
import { isValidQueueEntry, queueEntryId, type QueueEntry } from '../core/queue/queueEntry';
import { QueueIndex } from '../core/queue/queueIndex';
import { describeBlockReason } from '../core/queue/queueOrder';
import { environmentSecretSource, redactingSecretSource } from '../core/secrets/secrets';
import { readEnvironmentSettings } from '../core/settings/environmentSettings';
import { parseTaskFile } from '../core/tasks/parseTaskFile';
import type { CliContext } from './cliContext';
import { openCliEventLog } from './cliEventLog';

export async function openQueue(context: CliContext): Promise<QueueIndex> {
  const { settings } = readEnvironmentSettings(context.env);
  const index = new QueueIndex({ planningRoot: join(context.workspaceRoot, settings.planningPath), parse: parseTaskFile, workspaceRoot: context.workspaceRoot });
  await index.coldIndex();
  return index;
}

/** `ato tasks`: every task file with its folder and validity; exit 1 when any file is invalid. */
export async function listTasks(context: CliContext): Promise<number> {
  const index = await openQueue(context);
  try {
    const snapshot = index.snapshot();
    const blocked = new Map(snapshot.pending.blocked.map(b => [b.entry.file, describeBlockReason(b.reason, b.entry.result.task.id)]));
    const entries = [...index.entries()].sort((a, b) => a.relativePath.localeCompare(b.relativePath));
    const rows = entries.map(entry => describe(entry, blocked.get(entry.file)));
    if (context.json) context.out(`${JSON.stringify({ counts: snapshot.counts, tasks: rows }, null, 2)}\n`);
    else {
      for (const row of rows) {
        const mark = row.valid ? (row.blocked === undefined ? '✓' : '…') : '✗';
        context.out(`${mark} ${row.folder.padEnd(9)} ${row.id.padEnd(32)} ${row.valid ? `${row.priority.padEnd(9)} ${row.agent.padEnd(12)} ${row.title}` : `${row.errors} error(s): ${row.diagnostics.find(d => d.severity === 'error')?.message ?? ''}`}${row.blocked === undefined ? '' : ` (blocked: ${row.blocked})`}\n`);
      }
      context.out(`${snapshot.counts.pending} pending, ${snapshot.counts.processed} dispatched, ${snapshot.counts.complete} complete, ${snapshot.invalid.length} invalid\n`);
    }
    return snapshot.invalid.length > 0 ? 1 : 0;
  } finally {
    index.dispose();
  }
}

function describe(entry: QueueEntry, blocked: string | undefined): {
  id: string; folder: string; file: string; valid: boolean; title: string; type: string; priority: string; agent: string; errors: number; blocked: string | undefined;
  diagnostics: { severity: string; message: string; line: number }[];
} {
  const task = entry.result.task;
  return {
    id: queueEntryId(entry),
    folder: entry.folder,
    file: entry.relativePath,
    valid: isValidQueueEntry(entry),
    title: task?.title ?? '',
    type: task?.type ?? '',
    priority: task?.priority ?? '',
    agent: task?.agent ?? '',
    errors: entry.result.diagnostics.filter(d => d.severity === 'error').length,
    blocked,
    diagnostics: entry.result.diagnostics.map(d => ({ severity: d.severity, message: d.message, line: d.range.start.line + 1 })),
  };
}

/** `ato dispatch <id>`: recover what a crash left, run the task to the end, report. Exit 0 on success. */
export async function dispatchTask(context: CliContext, taskId: string | undefined): Promise<number> {
  if (taskId === undefined) {
    context.err('ato dispatch: which task? (`ato tasks` lists them)\n');
    return 2;
  }
  const { settings, problems } = readEnvironmentSettings(context.env);
  for (const problem of problems) context.log.warn(problem.message);
  const secrets = redactingSecretSource(environmentSecretSource(context.env), context.redactor);
  const index = await openQueue(context);
  const events = await openCliEventLog(context, settings);
  const agents = configuredAgents(settings, await secrets.get('anthropic.apiKey'), { projectMcpServers: projectMcpServersAllowed(context.env) }, { apiKey: await secrets.get('jules.apiKey'), workspaceRoot: context.workspaceRoot, log: context.log });
  for (const problem of agents.problems) context.log.warn(problem);
  const runtime = createDispatchRuntime({
    workspaceRoot: context.workspaceRoot,
    index,
    agents: agents.agents,
    maxConcurrentRuns: settings['agents.maxConcurrentRuns'],
    defaultTimeoutMs: settings['agents.timeoutMinutes'] * 60_000,
    redactor: context.redactor,
    events,
    log: context.log,
  });
  try {
    await recoverRuns({ agent: agentId => runtime.registry.get(agentId), workspaceRoot: context.workspaceRoot, planningRoot: index.planningRoot, runs: runtime.runs, events, log: context.log, planningWriter: runtime.planningWriter });
    await index.coldIndex();
    const resume = index.byId(taskId).some(entry => entry.folder === 'processed') && !index.byId(taskId).some(entry => entry.folder === 'pending');
    const outcome = await runtime.dispatcher.dispatch(taskId, { resume });
    if (outcome.status !== 'started') {
      context.err(`ato dispatch: ${outcome.reason}\n`);
      return 1;
    }
    context.err(`dispatched ${taskId} to ${outcome.agentId} (run ${outcome.runId}); log: ${runtime.runs.logFile(outcome.runId)}\n`);
    const record = await runtime.dispatcher.whenDone(outcome.runId);
    if (context.json) context.out(`${JSON.stringify(record, null, 2)}\n`);
    else context.out(`${record?.state ?? 'unknown'}: ${record?.summary ?? record?.failure?.message ?? ''}\n`);
    return record?.state === 'succeeded' ? 0 : 1;
  } finally {
    await events.flush();
    await runtime.dispatcher.dispose();
    index.dispose();
  }
}
