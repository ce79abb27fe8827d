import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ensureAtoDirectory } from '../core/events/atoDirectory';
import { EventLog, type EventInput } from '../core/events/eventLog';
import type { Logger } from '../core/logging/logger';
import type { Redactor } from '../core/logging/redactor';
import { inspectPlanningFolder } from '../core/planning/planningFolder';
import { placeSettingProblem, settingKeyPosition, type PlacedSettingProblem } from '../core/settings/settingProblemPlace';
import type { SettingsReadResult } from '../core/settings/settings';
import type { AtoState } from '../core/state/atoState';
import type { Store } from '../core/state/store';
import { contextKeys } from '../core/views/commandIds';
import type { VscodeSecrets } from './secretStore';
import { readVscodeSettings, vscodeSettingSource } from './settingsAdapter';

const refreshDebounceMs = 150;

/** Which folder a monitor watches, and how it is named in the window. */
export interface MonitoredFolder {
  readonly folder: vscode.WorkspaceFolder;
  /** The name the panel and status bar show (the workspace's name when the window has one folder). */
  readonly displayName: () => string;
  /** Whether this folder sets the window's context keys (the welcome views): the only folder does. */
  readonly ownsContextKeys: () => boolean;
  /** Whether the window has several folders: a folder's own invalid setting then names the folder. */
  readonly multiRoot: () => boolean;
}

/**
 * Keeps one workspace folder's store in step with it: settings (resource-scoped, read for this folder),
 * trust, the planning folder and which keys are set. It is the only writer of those parts of the state;
 * views just render the store.
 */
export class WorkspaceMonitor implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private planningWatcher: vscode.FileSystemWatcher | undefined;
  private settingsResult: SettingsReadResult | undefined;
  private eventLog: EventLog | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private reportedProblems = '';
  /** This folder's invalid settings in the Problems view, on its own `.vscode/settings.json`. */
  private readonly settingsDiagnostics = vscode.languages.createDiagnosticCollection('ato-settings');

  constructor(
    private readonly target: MonitoredFolder,
    private readonly store: Store<AtoState>,
    private readonly secrets: VscodeSecrets,
    private readonly redactor: Redactor,
    private readonly log: Logger,
  ) {}

  /** Read on first use, not in the constructor: reading the configuration costs milliseconds at activation. */
  private get currentSettings(): SettingsReadResult {
    this.settingsResult ??= readVscodeSettings(this.target.folder.uri);
    return this.settingsResult;
  }

  /** This folder's key in the window (its URI): the folder argument of a command meant for it. */
  get folderKey(): string {
    return this.target.folder.uri.toString();
  }

  /** This folder on disk. */
  get workspaceRoot(): string {
    return this.target.folder.uri.fsPath;
  }

  get settings(): SettingsReadResult['settings'] {
    return this.currentSettings.settings;
  }

  get planningRoot(): string {
    return join(this.workspaceRoot, this.settings.planningPath);
  }

  /** Starts watching. Called after activation returns, so activation stays fast. */
  start(): void {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration(event => {
        if (!event.affectsConfiguration('ato', this.target.folder.uri)) return;
        this.settingsResult = readVscodeSettings(this.target.folder.uri);
        this.watchPlanningFolder();
        this.scheduleRefresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.store.update(state => ({ ...state, trusted: true }));
        this.scheduleRefresh();
      }),
      this.secrets.onDidChange(() => {
        this.scheduleRefresh();
      }),
    );
    this.watchPlanningFolder();
    void this.refresh();
  }

  scheduleRefresh(): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, refreshDebounceMs);
  }

  /** Re-reads everything the store mirrors. Never throws: failures are logged and shown as state. */
  async refresh(): Promise<void> {
    try {
      const [planning, github, gitlab, jules, anthropic] = await Promise.all([
        inspectPlanningFolder(this.planningRoot),
        this.secrets.githubAuthState(),
        this.secrets.has('gitlab.token'),
        this.secrets.has('jules.apiKey'),
        this.secrets.has('anthropic.apiKey'),
      ]);
      const placed = this.placedSettingsProblems();
      const problems = placed.map(({ setting, message }) => ({ setting, message }));
      this.reportSettingsProblems(placed);
      await this.showSettingsDiagnostics(placed);
      // Watching a folder that did not exist yet is unreliable on some file watchers: start afresh once it appears.
      const previous = this.store.state.planning.kind;
      if ((previous === 'missing' || previous === 'unknown') && planning.kind !== 'missing' && planning.kind !== 'noWorkspace') this.watchPlanningFolder();
      this.store.update(state => ({
        ...state,
        workspaceName: this.target.displayName(),
        trusted: vscode.workspace.isTrusted,
        planning,
        auth: { github, gitlab, jules, anthropic },
        settingsProblems: problems,
      }));
      if (this.target.ownsContextKeys()) {
        void vscode.commands.executeCommand('setContext', contextKeys.planningFolder, planning.kind);
        void vscode.commands.executeCommand('setContext', contextKeys.githubSignedIn, github.kind === 'session' || github.kind === 'token');
      }
    } catch (error) {
      this.log.error('refreshing the workspace state failed: %s', error);
    }
  }

  /**
   * Records an event in `.ato/events.ndjson`. In Restricted Mode, or without a folder, nothing is written
   * to the workspace: the event goes to the log only.
   */
  async record(event: EventInput): Promise<void> {
    const log = await this.events();
    if (log === undefined) {
      this.log.debug('event (not persisted): %s', JSON.stringify(this.redactor.redactValue(event)));
      return;
    }
    try {
      await log.append(event);
    } catch (error) {
      this.log.error('could not write the event log: %s', error);
    }
  }

  /** The event log, created on first use; undefined when ATO may not write to the workspace. */
  async events(): Promise<EventLog | undefined> {
    const root = this.workspaceRoot;
    if (!vscode.workspace.isTrusted) return undefined;
    if (this.eventLog === undefined) {
      const directory = await ensureAtoDirectory(root);
      this.eventLog = new EventLog({
        directory,
        maxFileBytes: Math.round(this.settings['eventLog.maxFileSizeMB'] * 1024 * 1024),
        maxFiles: this.settings['eventLog.maxFiles'],
        redactor: this.redactor,
      });
    }
    return this.eventLog;
  }

  /** This folder's setting problems, each naming the folder when its value is the folder's own (multi-root). */
  private placedSettingsProblems(): PlacedSettingProblem[] {
    const { folder } = this.target;
    return this.currentSettings.problems.map(problem => placeSettingProblem(problem, vscodeSettingSource(problem.setting, folder.uri), folder.name, this.target.multiRoot()));
  }

  /** A folder's own invalid setting is a Problems entry on its `.vscode/settings.json`, at the setting's key; fixed, it goes. */
  private async showSettingsDiagnostics(problems: readonly PlacedSettingProblem[]): Promise<void> {
    const own = problems.filter(problem => problem.folder !== undefined);
    const file = vscode.Uri.joinPath(this.target.folder.uri, '.vscode', 'settings.json');
    if (own.length === 0) {
      this.settingsDiagnostics.clear();
      return;
    }
    const text = await readFile(file.fsPath, 'utf8').catch(() => '');
    this.settingsDiagnostics.set(file, own.map(problem => {
      const at = settingKeyPosition(text, problem.setting);
      const range = at === undefined ? new vscode.Range(0, 0, 0, 0) : new vscode.Range(at.line, at.character, at.line, at.character + at.length);
      const diagnostic = new vscode.Diagnostic(range, this.redactor.redact(problem.message.replace(/`/g, '')), vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'ATO';
      diagnostic.code = problem.setting;
      return diagnostic;
    }));
  }

  /** Each distinct set of setting problems is logged and shown once, with a way to fix it. */
  private reportSettingsProblems(problems: readonly PlacedSettingProblem[]): void {
    const key = JSON.stringify(problems);
    if (key === this.reportedProblems) return;
    this.reportedProblems = key;
    if (problems.length === 0) return;
    for (const problem of problems) this.log.warn(problem.message);
    void this.record({ kind: 'settings.invalid', problems: problems.map(p => ({ setting: p.setting, message: p.message })) });
    const first = problems[0];
    if (first === undefined) return;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    void vscode.window.showWarningMessage(this.redactor.redact(first.message + more), 'Open Settings').then(choice => {
      if (choice !== 'Open Settings') return;
      // A folder's own setting is fixed in its own file; the Settings editor would show the user's value first.
      if (first.folder !== undefined) void vscode.window.showTextDocument(vscode.Uri.joinPath(this.target.folder.uri, '.vscode', 'settings.json'));
      else void vscode.commands.executeCommand('workbench.action.openSettings', first.setting);
    });
  }

  private watchPlanningFolder(): void {
    this.planningWatcher?.dispose();
    this.planningWatcher = undefined;
    const root = this.workspaceRoot;
    // The folder's layout only (the folder, its parts, the queue folders): task files inside the queue
    // folders are the queue index's to watch, so editing one costs no re-inspection here.
    const pattern = new vscode.RelativePattern(vscode.Uri.file(root), `${this.settings.planningPath}{,/*,/*/*}`);
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    watcher.onDidCreate(() => { this.scheduleRefresh(); });
    watcher.onDidDelete(() => { this.scheduleRefresh(); });
    watcher.onDidChange(() => { this.scheduleRefresh(); });
    this.planningWatcher = watcher;
  }

  dispose(): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.planningWatcher?.dispose();
    this.settingsDiagnostics.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

