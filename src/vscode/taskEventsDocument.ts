import { join } from 'node:path';
import * as vscode from 'vscode';
import { atoDirectory } from '../core/events/atoDirectory';
import { eventLogFileName, readEvents } from '../core/events/eventLog';
import { eventsOfTask, taskEventsText } from '../core/events/taskEvents';
import type { FolderRouter } from './folderRegistry';
import type { FolderServices } from './folderServices';

/** Read-only documents of one task's events: `ato-events:/<task id>.events.log`. */
export const taskEventsScheme = 'ato-events';

const suffix = '.events.log';

/** The `.log` ending lets VS Code colour times and kinds as a log; the query names the workspace folder (multi-root). */
export function taskEventsUri(taskId: string, folderKey?: string): vscode.Uri {
  return vscode.Uri.from({ scheme: taskEventsScheme, path: `/${taskId}${suffix}`, ...(folderKey === undefined ? {} : { query: new URLSearchParams({ folder: folderKey }).toString() }) });
}

function folderKeyOfEventsUri(uri: vscode.Uri): string | undefined {
  return new URLSearchParams(uri.query).get('folder') ?? undefined;
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

  constructor(private readonly router: FolderRouter) {
    // Every folder's event log (multi-root): a change in any re-renders the open views, which then read their own folder's.
    const watcher = vscode.workspace.createFileSystemWatcher('**/.ato/events*.ndjson');
    const soon = (): void => { this.refreshSoon(); };
    this.disposables.push(watcher, watcher.onDidChange(soon), watcher.onDidCreate(soon), watcher.onDidDelete(soon));
    this.poll = setInterval(() => { if (this.openUris().length > 0) this.refreshSoon(); }, pollMs);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const taskId = taskIdOfEventsUri(uri);
    const folder = this.folderOf(uri);
    const root = folder?.services.workspace.workspaceRoot;
    if (taskId === undefined) return 'Not a task\'s events.\n';
    if (folder === undefined || root === undefined) return 'ATO keeps an event log only for a folder: open one first.\n';
    const { events, skipped } = await readEvents(atoDirectory(root), folder.services.workspace.settings['eventLog.maxFiles']);
    return folder.services.redactor.redact(taskEventsText(taskId, eventsOfTask(events, taskId), skipped));
  }

  /** The folder the view names, else the first (a view opened before the window had several). */
  private folderOf(uri: vscode.Uri): FolderServices | undefined {
    const key = folderKeyOfEventsUri(uri);
    return this.router.folders.find(folder => folder.key === key) ?? this.router.folders[0];
  }

  private openUris(): vscode.Uri[] {
    return vscode.workspace.textDocuments.filter(document => document.uri.scheme === taskEventsScheme).map(document => document.uri);
  }

  private refreshSoon(): void {
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      void this.refreshIfChanged().catch((error: unknown) => { this.router.shared.log.warn('the task events view could not follow the log: %s', error); });
    }, settleMs);
  }

  /** Re-renders the open views when the live file is not what it was (size, time or file). */
  private async refreshIfChanged(): Promise<void> {
    const parts: string[] = [];
    for (const folder of this.router.folders) {
      const root = folder.services.workspace.workspaceRoot;
      try {
        const stats = await vscode.workspace.fs.stat(vscode.Uri.file(join(atoDirectory(root), eventLogFileName)));
        parts.push(`${String(stats.size)}:${String(stats.mtime)}:${String(stats.ctime)}`);
      } catch {
        parts.push('none');
      }
    }
    const signature = parts.join('|');
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

export function registerTaskEventsDocuments(router: FolderRouter): vscode.Disposable {
  const provider = new TaskEventsDocuments(router);
  return vscode.Disposable.from(provider, vscode.workspace.registerTextDocumentContentProvider(taskEventsScheme, provider));
}
