import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { GitHubPort } from '../forges/github/githubPort';
import type { Logger } from '../logging/logger';
import { agentOutputOfLog } from '../runs/runLogFrame';
import { describeError } from '../logging/redactor';
import type { AtoLabel } from '../loop/texts/atoLabels';
import { atoLabels } from '../loop/texts/atoLabels';
import { formatMarker, readMarkers } from '../loop/texts/markers';
import { codeSpan, fenced, singleLine } from '../loop/texts/thirdPartyText';
import type { PlanningWriter } from '../planning/planningWriter';
import type { RunRecord } from '../runs/runRecord';
import type { RunStore } from '../runs/runStore';
import { parseTaskFile } from '../tasks/parseTaskFile';
import { raisedPriority, setTaskPriority } from '../tasks/taskPriorityEdit';
import type { EventSink } from './taskDispatcher';

/** The label of escalation issues, so ATO finds its own by listing (never the lagging search API). */
export const escalationLabel: AtoLabel = { name: 'ato:escalation', color: 'd93f0b', description: 'ATO task whose run failed after every retry: a person decides' };

/** What escalation needs of GitHub: the repository's issues by label, and creating one. */
export type EscalationIssuePort = Pick<GitHubPort, 'listIssuesByLabel' | 'createIssue' | 'ensureLabel'>;

export interface EscalationOptions {
  readonly workspaceRoot: string;
  readonly runs: Pick<RunStore, 'read' | 'write' | 'logFile'>;
  readonly planningWriter: PlanningWriter;
  readonly events: EventSink;
  readonly log: Logger;
  /**
   * The GitHub port for the escalation issue, when `ato.runs.escalationIssue` is on and the workspace has a
   * GitHub remote and token; undefined: no issue. Asked for only when a run escalates.
   */
  readonly issues?: () => Promise<EscalationIssuePort | undefined>;
}

/** The last lines of the run's log that go into the issue: enough to see the error, never the whole log. */
const logTailLines = 20;
const logTailChars = 4000;

/**
 * Escalation (PRODUCT §5) of a run whose task ran out of retries and agents: its priority goes up one step in
 * the task file (never to emergency), the run's needs-you item says so, and — when configured — one GitHub
 * issue carries the error context, marked `<!-- ato:escalation <task-id> <run-id> -->`.
 * Each step is idempotent, so escalating a run twice (a crash in between, a second window) changes nothing
 * more: the priority to set is written into the run record before the task file, and the issue is looked
 * for by its label and marker before one is created. A failed step is logged; the run still needs you.
 */
export async function escalateRun(failed: RunRecord, options: EscalationOptions): Promise<RunRecord> {
  const read = await options.runs.read(failed.runId);
  let record = read.ok ? read.record : failed;
  const taskFile = join(options.workspaceRoot, ...record.taskFile.split('/'));
  try {
    record = await raisePriority(record, taskFile, options);
  } catch (error) {
    options.log.warn('escalating %s: could not raise the priority of %s: %s', record.taskId, record.taskFile, describeError(error));
  }
  try {
    record = await openIssue(record, options);
  } catch (error) {
    // The mark stays: the next start-up (recoverRuns) tries the issue again, and finds it if it was opened.
    options.log.warn('escalating %s: could not open the GitHub issue: %s', record.taskId, describeError(error));
    return record;
  }
  return record.escalationDue === undefined ? record : await escalationDone(record, options);
}

/** Escalation is over (a task file that cannot be edited will not get better by trying again): the mark goes. */
async function escalationDone(record: RunRecord, options: EscalationOptions): Promise<RunRecord> {
  const done: RunRecord = { ...record };
  delete done.escalationDue;
  await options.runs.write(done);
  return done;
}

async function raisePriority(failed: RunRecord, taskFile: string, options: EscalationOptions): Promise<RunRecord> {
  let record = failed;
  const text = await readFile(taskFile, 'utf8');
  if (record.escalation === undefined) {
    const task = parseTaskFile(text, basename(taskFile)).task;
    if (task === undefined) throw new Error('the task file has errors');
    const priorityTo = raisedPriority(task.priority);
    const note = priorityTo === task.priority ? `priority stays ${task.priority}` : `priority raised from ${task.priority} to ${priorityTo}`;
    record = {
      ...record,
      escalation: { priorityFrom: task.priority, priorityTo },
      ...(record.followUp === undefined ? {} : { followUp: { ...record.followUp, reason: `${record.followUp.reason}; ${note}` } }),
    };
    await options.runs.write(record);
    await options.events.append({ kind: 'run.escalated', runId: record.runId, taskId: record.taskId, priorityFrom: task.priority, priorityTo });
  }
  const target = record.escalation?.priorityTo;
  if (target === undefined) return record;
  const edit = setTaskPriority(text, basename(taskFile), target);
  if (edit.changed) await options.planningWriter.replace(taskFile, edit.text);
  return record;
}

async function openIssue(escalated: RunRecord, options: EscalationOptions): Promise<RunRecord> {
  if (escalated.escalation === undefined || escalated.escalation.issue !== undefined) return escalated;
  const port = await options.issues?.();
  if (port === undefined) return escalated;
  const marker = formatMarker({ kind: 'escalation', taskId: escalated.taskId, runId: escalated.runId });
  await port.ensureLabel(escalationLabel.name, escalationLabel.color, escalationLabel.description);
  const existing = (await port.listIssuesByLabel(escalationLabel.name, 'all')).find(issue =>
    readMarkers(issue.body).some(found => found.kind === 'escalation' && found.taskId === escalated.taskId && found.runId === escalated.runId));
  const issue = existing ?? await port.createIssue({
    title: singleLine(`ATO: task ${escalated.taskId} needs you — its run failed after every retry`, 256),
    body: escalationIssueBody(escalated, await logTail(options.runs.logFile(escalated.runId)), marker),
    labels: [atoLabels.ato.name, escalationLabel.name],
  });
  const record: RunRecord = { ...escalated, escalation: { ...escalated.escalation, issue: { number: issue.number, url: issue.url } } };
  await options.runs.write(record);
  await options.events.append({ kind: existing === undefined ? 'escalation.issueOpened' : 'escalation.issueFound', runId: record.runId, taskId: record.taskId, issue: issue.number });
  return record;
}

/**
 * The issue's body: what failed, where, and what ATO did, with the error and the end of the log fenced
 * (they are the agent's words: no marker, mention or link in them acts), then the marker line.
 */
export function escalationIssueBody(record: RunRecord, logTailText: string, marker: string): string {
  const escalation = record.escalation;
  const lines = [
    `ATO could not finish task ${codeSpan(record.taskId)} (${codeSpan(record.taskFile)}): its run failed and no retry or other agent is left.`,
    '',
    `- Run ${codeSpan(record.runId)} on ${codeSpan(record.agentId)}, attempt ${String(record.attempt)}, failure: ${codeSpan(record.failure?.class ?? 'unknown')}`,
    `- Decision: ${singleLine(record.followUp?.reason ?? 'a person decides', 500)}`,
    ...(escalation === undefined ? [] : [`- Priority: ${escalation.priorityFrom} → ${escalation.priorityTo}`]),
    '',
    'Error:',
    '',
    fenced(record.failure?.message ?? '(no message)'),
  ];
  if (logTailText !== '') lines.push('', `The end of the run's log (${codeSpan(`.ato/runs/${record.runId}.log`)}):`, '', fenced(logTailText));
  lines.push('', 'Fix what the error names, then requeue the task (`ato requeue <id>`, or Requeue in ATO\'s panel).', '', marker);
  return `${lines.join('\n')}\n`;
}

async function logTail(file: string): Promise<string> {
  try {
    const text = agentOutputOfLog(await readFile(file, 'utf8'));
    const tail = text.trimEnd().split('\n').slice(-logTailLines).join('\n');
    return tail.length <= logTailChars ? tail : tail.slice(-logTailChars);
  } catch {
    return '';
  }
}
