import type { AtoEvent } from './eventLog';

/**
 * Picks the events of one task from the event log, in order: those that name it (`taskId`, or `id` of a
 * `task.*` event such as task.created) and those of its runs (`runId` of a run an earlier event tied to
 * the task: a vendor window its run hit names only the run). Stateful, so a follower learns runs as they come.
 */
export class TaskEventFilter {
  private readonly runs = new Set<string>();

  constructor(readonly taskId: string) {}

  accepts(event: AtoEvent): boolean {
    const runId = stringField(event, 'runId');
    if (stringField(event, 'taskId') === this.taskId || (event.kind.startsWith('task.') && stringField(event, 'id') === this.taskId)) {
      if (runId !== undefined) this.runs.add(runId);
      return true;
    }
    return runId !== undefined && this.runs.has(runId);
  }
}

/** The events of `taskId` among `events` (oldest first, as read). */
export function eventsOfTask(events: readonly AtoEvent[], taskId: string): AtoEvent[] {
  const filter = new TaskEventFilter(taskId);
  return events.filter(event => filter.accepts(event));
}

/** Fields every line shows in its own column, or that say nothing to a reader. */
const columnFields = new Set(['v', 'time', 'kind', 'runId', 'taskId']);
/** Fields that are the event's own sentence, in the order one is chosen. */
const textFields = ['message', 'reason', 'why', 'summary', 'error'] as const;
const maxMessage = 500;

/**
 * What an event says, on one line: a move (`from → to`) and its sentence (message, reason, why…), or
 * else its other fields as `name=value`. Whitespace (newlines in a message) becomes one space.
 */
export function eventMessage(event: AtoEvent): string {
  const from = scalarField(event, 'from');
  const to = scalarField(event, 'to');
  const move = from !== undefined && to !== undefined ? `${from} → ${to}` : undefined;
  const textField = textFields.find(name => stringField(event, name) !== undefined && stringField(event, name) !== '');
  const text = textField === undefined ? undefined : stringField(event, textField);
  let message: string;
  if (move !== undefined || text !== undefined) {
    message = [move, text].filter(part => part !== undefined).join(': ');
  } else {
    message = Object.entries(event)
      .filter(([name]) => !columnFields.has(name))
      .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
  }
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > maxMessage ? `${line.slice(0, maxMessage - 1)}…` : line;
}

/** `2026-12-07 20:41:03Z  run.transition  run-1a2b  preparing → running: started` (UTC, to the second). */
export function eventLine(event: AtoEvent): string {
  const time = event.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return `${time}  ${event.kind}  ${stringField(event, 'runId') ?? '-'}  ${eventMessage(event)}`.trimEnd();
}

function stringField(event: AtoEvent, name: string): string | undefined {
  const value = (event as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function scalarField(event: AtoEvent, name: string): string | undefined {
  const value = (event as Record<string, unknown>)[name];
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** The text of a task's event view: a header, then one line per event (or why there is none). */
export function taskEventsText(taskId: string, events: readonly AtoEvent[], skipped: number): string {
  const header = `# Events of task ${taskId}: ${events.length === 1 ? '1 event' : `${String(events.length)} events`}, oldest first (time UTC · kind · run · message). Updates as ATO records more.`;
  const note = skipped > 0 ? [`# ${String(skipped)} line(s) of the log are not events (cut short by a crash, or edited) and were skipped.`] : [];
  const body = events.length === 0 ? ['No event of this task is recorded yet.'] : events.map(eventLine);
  return `${[header, ...note, '', ...body].join('\n')}\n`;
}
