import type { AgentSummary } from '../../src/core/agents/fleet/agentSummary';
import type { QueueFolder } from '../../src/core/planning/planningLayout';
import type { QueueEntry } from '../../src/core/queue/queueEntry';
import { QueueEntries } from '../../src/core/queue/queueEntries';
import type { RunRecord, RunState } from '../../src/core/runs/runRecord';
import type { AtoState } from '../../src/core/state/atoState';
import { aRunRecord } from './runRecords';
import { simpleTaskParser, taskFileText } from './simpleTaskParser';
import { anAtoState, planningExamples } from './stateBuilders';

const planningRoot = '/work/repo/planning';

/** A queue entry as the index would hold it, parsed by the tests' stand-in parser. */
export function aQueueEntry(folder: QueueFolder, fileName: string, text: string, mtimeMs = Date.UTC(2026, 10, 21, 10)): QueueEntry {
  const relativePath = `issue_queue/${folder}/${fileName}`;
  return { file: `${planningRoot}/${relativePath}`, relativePath, folder, fileName, mtimeMs, size: text.length, result: simpleTaskParser(text, fileName) };
}

const runStates: readonly RunState[] = ['running', 'succeeded', 'failed', 'queued', 'needsYou', 'cancelled', 'preparing'];

/** A run in a given state, with the fields that state has. */
export function aRun(index: number, state: RunState, taskId = `task-${index}`): RunRecord {
  const startedAt = new Date(Date.UTC(2026, 10, 21, 10) + index * 1000).toISOString();
  const ended = state === 'succeeded' || state === 'failed' || state === 'cancelled';
  return aRunRecord({
    runId: `run-${String(index).padStart(5, '0')}`,
    taskId,
    agentId: index % 2 === 0 ? 'claude-code' : 'jules',
    state,
    startedAt,
    history: [{ state, at: startedAt, reason: state === 'needsYou' ? 'the agent asked which database to use' : 'test' }],
    ...(ended ? { endedAt: new Date(Date.parse(startedAt) + 90_000).toISOString() } : {}),
    usage: { costUsd: index * 0.01, turns: index % 30 },
    branch: `ato/task-${index}`,
    ...(state === 'failed' ? { failure: { class: 'fatal' as const, message: `exit code ${index % 7}` } } : {}),
  });
}

/**
 * A workspace with `taskCount` task files (mostly pending, some processed/complete, every 50th invalid)
 * and `runCount` runs in every state, newest first.
 */
export function aBusyState(taskCount: number, runCount: number): { readonly state: AtoState; readonly entries: QueueEntries } {
  const entries = new QueueEntries();
  for (let index = 0; index < taskCount; index++) {
    const folder: QueueFolder = index % 10 === 0 ? 'complete' : index % 10 === 1 ? 'processed' : 'pending';
    const invalid = index % 50 === 7;
    const text = invalid ? 'INVALID\n' : taskFileText({ title: `Task number ${index}`, priority: index % 3 === 0 ? 'high' : 'medium', ...(index % 97 === 5 ? { dependsOn: ['never-done'] } : {}) });
    entries.set(aQueueEntry(folder, `task-${index}.task.md`, text, Date.UTC(2026, 10, 1) + index * 60_000));
  }
  entries.commit();
  const queue = entries.snapshot();
  const runs: RunRecord[] = [];
  for (let index = runCount - 1; index >= 0; index--) runs.push(aRun(index, runStates[index % runStates.length] ?? 'running'));
  return { state: anAtoState({ planning: { ...planningExamples.ready, path: planningRoot, queue: queue.counts }, queue, runs }), entries };
}

/** An agent as the store holds it: healthy, idle, no caps, no window. */
export function anAgentSummary(overrides: Partial<AgentSummary> = {}): AgentSummary {
  return {
    id: 'claude-code', kind: 'claude-code', health: { state: 'ok', detail: 'claude 2.1.330' }, inFlight: 0, concurrentCap: 2, runsToday: 0,
    dailyCap: undefined, spendTodayUsd: 0, budgetUsd: undefined, window: undefined, lastError: undefined, settingId: 'ato.agents.claudeCode',
    ...overrides,
  };
}
