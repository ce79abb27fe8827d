import { join } from 'node:path';
import { isValidQueueEntry, queueEntryId, type QueueEntry } from '../core/queue/queueEntry';
import { QueueIndex } from '../core/queue/queueIndex';
import { describeBlockReason } from '../core/queue/queueOrder';
import { readEnvironmentSettings } from '../core/settings/environmentSettings';
import { parseTaskFile } from '../core/tasks/parseTaskFile';
import type { CliContext } from './cliContext';

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
