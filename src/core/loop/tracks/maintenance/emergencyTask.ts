import type { QueueEntry } from '../../../queue/queueEntry';
import { taskIdFromFileName } from '../../../queue/queueEntry';
import { renderTaskFile } from '../../../tasks/taskFileWriter';
import { autoAgent } from '../../../tasks/taskTypes';
import type { EmergencyFinding } from './emergencyFindings';

/**
 * An emergency's task file (issue 11): priority `emergency`, its context, and the finding's key twice — in the
 * file's name (`emergency-<key>.task.md`, so a queue listing alone shows it) and in a marker line
 * `<!-- ato:emergency=<key> -->` (texts/markers.ts style: ATO's exact syntax on a line of its own), so a task
 * renamed by hand still counts. Third-party text in the context is fenced, which defuses any `<!--` in it: only
 * ATO writes a marker line.
 */

const keyPattern = /^(?:main-red-[0-9a-f]{7,64}|run-[1-9]\d{0,15}|deploy-[1-9]\d{0,15}|log-[0-9a-f]{16})$/;
const markerPattern = /^<!-- ato:emergency=(\S+)(?: subject=([0-9a-f]{16}))? -->$/;
const idPrefix = 'emergency-';

export function isEmergencyKey(key: string): boolean {
  return keyPattern.test(key);
}

export function emergencyMarker(key: string, subject: string): string {
  if (!isEmergencyKey(key)) throw new Error(`"${key}" is not an emergency key`);
  if (!/^[0-9a-f]{16}$/.test(subject)) throw new Error(`"${subject}" is not an emergency subject`);
  return `<!-- ato:emergency=${key} subject=${subject} -->`;
}

/** The task id (and so the branch `ato/<id>` a local agent works on) for a key. */
export function emergencyTaskId(key: string): string {
  if (!isEmergencyKey(key)) throw new Error(`"${key}" is not an emergency key`);
  return `${idPrefix}${key}`;
}

export function emergencyTaskFileName(key: string): string {
  return `${emergencyTaskId(key)}.task.md`;
}

function keyOfId(id: string): string | undefined {
  if (!id.startsWith(idPrefix)) return undefined;
  const key = id.slice(idPrefix.length);
  return isEmergencyKey(key) ? key : undefined;
}

export interface EmergencyMarker {
  readonly key: string;
  readonly subject?: string;
}

/** The keys a text's marker lines name (outside fenced code: fenced text is someone else's). */
export function emergencyKeysInText(text: string): string[] {
  return emergencyMarkersInText(text).map(marker => marker.key);
}

export function emergencyMarkersInText(text: string): EmergencyMarker[] {
  const keys: EmergencyMarker[] = [];
  let fence: string | undefined;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(raw)?.[1];
    if (fence === undefined && opener !== undefined) {
      fence = opener;
      continue;
    }
    if (fence !== undefined) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(raw)?.[1];
      if (close?.startsWith(fence.charAt(0)) === true && close.length >= fence.length) fence = undefined;
      continue;
    }
    const match = markerPattern.exec(raw.trim());
    const key = match?.[1];
    const subject = match?.[2];
    if (key !== undefined && isEmergencyKey(key)) keys.push(subject === undefined ? { key } : { key, subject });
  }
  return keys;
}

export interface QueuedEmergencies {
  /** Every key with a task in any folder (pending, processed, complete): a key here never gets a second task. */
  readonly keys: ReadonlySet<string>;
  /** Subjects with a task not complete yet (pending, processed): a new failure of one is the same emergency. */
  readonly openSubjects: ReadonlySet<string>;
}

/** What the queue holds of emergencies: keys by file name, by the task's id and by marker; subjects by marker. */
export function emergenciesInQueue(entries: readonly Pick<QueueEntry, 'fileName' | 'folder' | 'result'>[]): QueuedEmergencies {
  const keys = new Set<string>();
  const openSubjects = new Set<string>();
  for (const entry of entries) {
    const byName = keyOfId(taskIdFromFileName(entry.fileName));
    if (byName !== undefined) keys.add(byName);
    const task = entry.result.task;
    if (task === undefined) continue;
    const byId = keyOfId(task.id);
    if (byId !== undefined) keys.add(byId);
    for (const marker of emergencyMarkersInText(task.body)) {
      keys.add(marker.key);
      if (marker.subject !== undefined && entry.folder !== 'complete') openSubjects.add(marker.subject);
    }
  }
  return { keys, openSubjects };
}

const prompts: Readonly<Record<EmergencyFinding['source'], string>> = {
  redMain: 'The default branch is red. Find why the failing checks fail on this commit (the context has the checks and, when ATO could read it, an excerpt of the failed job\'s log), fix the cause in the code or the build, and make CI green again. Do not disable or skip the failing checks.',
  workflowRun: 'A workflow on the default branch failed and has not succeeded since. Find why (the context has the run and, when ATO could read it, an excerpt of its log), fix the cause, and make the workflow pass again. Do not disable the workflow.',
  deployment: 'A deployment failed and the environment has not been deployed successfully since. Find the cause from the deployment\'s status and the commit it deployed, fix it in the repository (code, configuration or deployment scripts), and say how to redeploy.',
  deployLog: 'The deploy log reports a failed deployment and no success since. Find the cause from the log lines in the context, fix it in the repository (code, configuration or deployment scripts), and say how to redeploy.',
};

const criteria: Readonly<Record<EmergencyFinding['source'], readonly string[]>> = {
  redMain: ['CI is green on the default branch', 'No check was disabled or skipped to get there'],
  workflowRun: ['The workflow passes on the default branch'],
  deployment: ['The cause is fixed in the repository', 'The next deployment to the environment succeeds'],
  deployLog: ['The cause is fixed in the repository', 'The next deployment to the environment succeeds'],
};

/** The task file for a finding, in PRODUCT §3.1's format (`renderTaskFile`), with the key's marker. Pure. */
export function renderEmergencyTask(finding: EmergencyFinding, created: Date): { readonly id: string; readonly fileName: string; readonly text: string } {
  const id = emergencyTaskId(finding.key);
  const text = renderTaskFile(id, {
    title: `Emergency: ${finding.title}`,
    type: finding.taskType,
    priority: 'emergency',
    agent: autoAgent,
    targetFiles: [],
    successCriteria: criteria[finding.source],
    prompt: prompts[finding.source],
    context: `${finding.context.trim()}\n\n${emergencyMarker(finding.key, finding.subject)}`,
    created,
  });
  return { id, fileName: emergencyTaskFileName(finding.key), text };
}
