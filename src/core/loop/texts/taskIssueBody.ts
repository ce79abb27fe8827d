import { composePrompt } from '../../tasks/composePrompt';
import type { Task } from '../../tasks/task';
import { formatMarker } from './markers';
import { codeSpan, defuseMarkers, singleLine } from './thirdPartyText';

/** GitHub refuses issue titles over 256 characters. */
const maxTitleLength = 256;

/** The issue title of a task: its title on one line. */
export function taskIssueTitle(task: Pick<Task, 'title'>): string {
  return singleLine(task.title, maxTitleLength);
}

/**
 * The body of a task's issue (stage 2a): the task as the agent's prompt (title, prompt, target files,
 * success criteria, context, as `composePrompt` lays them out), where it comes from, the one-pull-request
 * rule, and the task marker (`taskIssueText` adds the agent's) that links the issue back to the task. The task file's text is the
 * repository's, so any HTML comment in it is defused: only ATO's own marker line links.
 */
export function taskIssueBody(task: Task, path: string | undefined): string {
  const prompt = defuseMarkers(composePrompt(task)).trimEnd();
  return `${[
    prompt,
    '',
    '---',
    `ATO task ${codeSpan(task.id)} (${task.type}, priority ${task.priority})${path === undefined ? '' : ` from ${codeSpan(path)}`}.`,
    'Work in the one pull request opened for this issue; do not open other pull requests or create issues.',
    '',
    formatMarker({ kind: 'task', taskId: task.id }),
  ].join('\n')}\n`;
}
