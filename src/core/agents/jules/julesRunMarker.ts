import { formatMarker, readMarkers } from '../../loop/texts/markers';
import type { JulesSession } from './julesSchemas';

/**
 * The prompt Jules gets: ATO's composed prompt, then the task's marker (`<!-- ato:task=<id> -->`, the same
 * one a Copilot issue carries) on a line of its own. The marker is how a restart finds a session it created
 * but had not recorded.
 */
export function markedPrompt(prompt: string, taskId: string): string {
  return `${prompt.trimEnd()}\n\n${formatMarker({ kind: 'task', taskId })}\n`;
}

/** Whether the session was created by ATO for this task (its prompt carries the marker, outside code, on its own line). */
export function isSessionForTask(session: JulesSession, taskId: string): boolean {
  return readMarkers(session.prompt ?? '').some(marker => marker.kind === 'task' && marker.taskId === taskId);
}

/** The `{id}` of `sessions/{id}`; a run handle's ref is the full name. */
export function sessionIdOf(name: string): string {
  return name.replace(/^sessions\//, '');
}
