import { join } from 'node:path';
import * as vscode from 'vscode';
import { atoDirectory } from '../core/events/atoDirectory';
import { eventLogFileName, readEvents } from '../core/events/eventLog';
import { eventsOfTask, taskEventsText } from '../core/events/taskEvents';
import type { AtoServices } from './atoServices';

/** Read-only documents of one task's events: `ato-events:/<task id>.events.log`. */
export const taskEventsScheme = 'ato-events';

const suffix = '.events.log';

/** The `.log` ending lets VS Code colour times and kinds as a log. */
export function taskEventsUri(taskId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: taskEventsScheme, path: `/${taskId}${suffix}` });
}

export function taskIdOfEventsUri(uri: vscode.Uri): string | undefined {
  return uri.scheme === taskEventsScheme && uri.path.endsWith(suffix) ? uri.path.slice(1, -suffix.length) : undefined;
}

/** How often an open view looks at the log, besides the file watcher (which may be excluded or slow). */
const pollMs = 1500;
/** Bursts of appends become one refresh. */
const settleMs = 200;

/**
 * PRODUCT §8 "a filter by task": the event log (`.ato/events*.ndjson`) of one task and its runs, as a
 * virtual, read-only document, one line per event (time, kind, run, message), redacted. It follows the log
 * while open: a change of the live file (watched, and looked at every 1.5 s while a view is open)
 * re-renders every open view.
 */
class TaskEventsDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: { dispose(): unknown }[] = [this.changed];
  private signature = '';
  private pending: NodeJS.Timeout | undefined;
  private readonly poll: NodeJS.Timeout;

  constructor(private readonly services: AtoServices) {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder !== undefined) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.ato/events*.ndjson'));
      const soon = (): void => { this.refreshSoon(); };
      this.disposables.push(watcher, watcher.onDidChange(soon), watcher.onDidCreate(soon), watcher.onDidDelete(soon));
    }
    this.poll = setInterval(() => { if (this.openUris().length > 0) this.refreshSoon(); }, pollMs);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const taskId = taskIdOfEventsUri(uri);
    const root = this.services.workspace.workspaceRoot;
    if (taskId === undefined) return 'Not a task\'s events.\n';
    if (root === undefined) return 'ATO keeps an event log only for a folder: open one first.\n';
    const { events, skipped } = await readEvents(atoDirectory(root), this.services.workspace.settings['eventLog.maxFiles']);
    return this.services.redactor.redact(taskEventsText(taskId, eventsOfTask(events, taskId), skipped));
  }

  private openUris(): vscode.Uri[] {
    return vscode.workspace.textDocuments.filter(document => document.uri.scheme === taskEventsScheme).map(document => document.uri);
  }

  private refreshSoon(): void {
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      void this.refreshIfChanged().catch((error: unknown) => { this.services.log.warn('the task events view could not follow the log: %s', error); });
    }, settleMs);
  }

  /** Re-renders the open views when the live file is not what it was (size, time or file). */
  private async refreshIfChanged(): Promise<void> {
    const root = this.services.workspace.workspaceRoot;
    if (root === undefined) return;
    let signature = 'none';
    try {
      const stats = await vscode.workspace.fs.stat(vscode.Uri.file(join(atoDirectory(root), eventLogFileName)));
      signature = `${String(stats.size)}:${String(stats.mtime)}:${String(stats.ctime)}`;
    } catch {
      // No log yet.
    }
    if (signature === this.signature) return;
    this.signature = signature;
    for (const uri of this.openUris()) this.changed.fire(uri);
  }

  dispose(): void {
    clearInterval(this.poll);
    if (this.pending !== undefined) clearTimeout(this.pending);
    for (const disposable of this.disposables) disposable.dispose();
  }
}

export function registerTaskEventsDocuments(services: AtoServices): vscode.Disposable {
  const provider = new TaskEventsDocuments(services);
  return vscode.Disposable.from(provider, vscode.workspace.registerTextDocumentContentProvider(taskEventsScheme, provider));
}
