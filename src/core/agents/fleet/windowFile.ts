import { join } from 'node:path';
import { EventLog, readEvents } from '../../events/eventLog';
import type { Redactor } from '../../logging/redactor';
import { windowClosureSchema, type WindowClosure } from './vendorWindows';

/** `.ato/fleet/`: the vendors' windows, one closure per line. */
export const windowDirectoryName = 'fleet';
const maxFiles = 2;
const maxFileBytes = 256 * 1024;

export interface WindowStore {
  append(closure: WindowClosure): Promise<void>;
  read(): Promise<WindowClosure[]>;
}

/**
 * The append-only window file `.ato/fleet/events.ndjson`, written the way the event log is (whole lines,
 * O_APPEND, a torn line skipped on read, rotated past 256 KiB), so a crash loses at most the closure being
 * written and a restart still knows which vendor said "not before …".
 */
export function windowFile(atoDirectory: string, redactor: Redactor): WindowStore {
  const directory = join(atoDirectory, windowDirectoryName);
  const log = new EventLog({ directory, maxFileBytes, maxFiles, redactor });
  return {
    append: closure => log.append({ kind: 'fleet.window', ...closure }),
    read: async () => (await readEvents(directory, maxFiles)).events.flatMap(event => {
      const parsed = windowClosureSchema.safeParse(event);
      return event.kind === 'fleet.window' && parsed.success ? [parsed.data] : [];
    }),
  };
}
