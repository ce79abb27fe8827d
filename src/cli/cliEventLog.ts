import { ensureAtoDirectory } from '../core/events/atoDirectory';
import { EventLog } from '../core/events/eventLog';
import type { AtoSettings } from '../core/settings/settings';
import type { CliContext } from './cliContext';

/** The workspace's event log (`.ato/events.ndjson`), sized by the settings, for a CLI command that acts. */
export async function openCliEventLog(context: CliContext, settings: AtoSettings): Promise<EventLog> {
  return new EventLog({ directory: await ensureAtoDirectory(context.workspaceRoot), maxFileBytes: settings['eventLog.maxFileSizeMB'] * 1024 * 1024, maxFiles: settings['eventLog.maxFiles'], redactor: context.redactor });
}
