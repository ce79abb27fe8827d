import { newRunRecord, type RunRecord } from '../../src/core/runs/runRecord';

/** A valid queued run record at 2026-11-21T10:00:00Z, with overrides. */
export function aRunRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  const base = newRunRecord(
    { runId: 'run-1', taskId: 'add-login', taskFile: 'planning/issue_queue/processed/add-login.task.md', taskType: 'feature', agentId: 'claude-code', reason: 'dispatch' },
    () => new Date('2026-11-21T10:00:00.000Z'),
  );
  return { ...base, ...overrides };
}
