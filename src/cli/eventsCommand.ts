import { atoDirectory } from '../core/events/atoDirectory';
import { readEvents, readRotatedEvents, type AtoEvent } from '../core/events/eventLog';
import { EventTail } from '../core/events/eventTail';
import { eventLine, TaskEventFilter } from '../core/events/taskEvents';
import { readEnvironmentSettings } from '../core/settings/environmentSettings';
import type { CliContext } from './cliContext';

export interface EventsOptions {
  readonly task?: string;
  readonly follow: boolean;
  /** How often --follow looks for new events. */
  readonly pollMs?: number;
  /** Ends --follow (the CLI: Ctrl-C or SIGTERM; tests: when they have seen enough). */
  readonly stop?: AbortSignal;
}

/**
 * `ato events [--task <id>] [--follow] [--json]`: the workspace's event log (`.ato/events*.ndjson`),
 * oldest first, one line per event (time, kind, run, message), or the events themselves as NDJSON with
 * --json; --task keeps that task's events and its runs'; --follow then prints new ones as they are
 * recorded until Ctrl-C. Reads only: no `.ato/` is created. Redacted, like all CLI output.
 */
export async function eventsCommand(context: CliContext, options: EventsOptions): Promise<number> {
  const { settings } = readEnvironmentSettings(context.env);
  const directory = atoDirectory(context.workspaceRoot);
  const filter = options.task === undefined ? undefined : new TaskEventFilter(options.task);
  const print = (events: readonly AtoEvent[]): void => {
    const shown = filter === undefined ? events : events.filter(event => filter.accepts(event));
    if (shown.length === 0) return;
    context.out(shown.map(event => `${context.json ? JSON.stringify(event) : eventLine(event)}\n`).join(''));
  };
  // The rotated files, then the live one through the tail that goes on following it: nothing between the
  // two reads is printed twice or missed.
  const tail = new EventTail(directory, settings['eventLog.maxFiles']);
  const rotated = options.follow ? await readRotatedEvents(directory, settings['eventLog.maxFiles']) : await readEvents(directory, settings['eventLog.maxFiles']);
  const live = options.follow ? await tail.read() : { events: [], skipped: 0 };
  const events = [...rotated.events, ...live.events];
  const skipped = rotated.skipped + live.skipped;
  print(events);
  if (skipped > 0) context.err(`ato events: ${String(skipped)} line(s) of the log are not events (cut short by a crash, or edited) and were skipped\n`);
  if (!options.follow) {
    if (events.length === 0) context.err(`ato events: no events recorded in ${directory} yet\n`);
    return 0;
  }
  const stop = options.stop ?? interruptSignal();
  while (!stop.aborted) {
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, options.pollMs ?? 500);
      stop.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });
    print((await tail.read()).events);
  }
  return 0;
}

/** Aborted by Ctrl-C or SIGTERM: --follow then ends with status 0. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const abort = (): void => { controller.abort(); };
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return controller.signal;
}
