import * as vscode from 'vscode';
import type { Logger } from '../core/logging/logger';
import type { Redactor } from '../core/logging/redactor';
import { folderArg } from '../core/folders/folderSet';
import { resolveTaskPath } from '../core/state/panelPaths';
import { isNotInCheckoutUrl } from '../core/state/shownQueue';
import { buildPanelSnapshot } from '../core/state/panelSnapshot';
import { PanelUpdateEncoder } from '../core/state/panelUpdates';
import { commandIds, viewIds, workbenchCommands, type CommandId, type WorkbenchCommandId } from '../core/views/commandIds';
import { dispatchOutcomesForPanel, previewForPanel } from '../core/views/fleetAnswers';
import { loopUrls } from '../core/views/loopLinks';
import { initialLoopState } from '../core/loop/engine/loopModel';
import { isMutatingMessage, parseToHostMessage, type PanelAction, type ToHostMessage, type ToWebviewMessage } from '../shared/protocol';
import type { FolderRegistry } from './folderRegistry';
import type { FolderServices } from './folderServices';
import { controlPanelHtml, createNonce } from './webviewHtml';

const actionCommands: Readonly<Record<PanelAction, CommandId | WorkbenchCommandId>> = {
  initPlanningFolder: commandIds.initPlanningFolder,
  signInToGitHub: commandIds.signInToGitHub,
  setGitHubToken: commandIds.setGitHubToken,
  doctor: commandIds.doctor,
  refresh: commandIds.refresh,
  showLog: commandIds.showLog,
  // Works in Restricted Mode: it is how the user leaves it.
  manageTrust: workbenchCommands.manageTrust,
};

/** The loop's buttons run the same commands as the palette. */
const loopCommands: Readonly<Record<Extract<ToHostMessage['type'], `loop.${string}`>, CommandId>> = {
  'loop.start': commandIds.startLoop,
  'loop.pause': commandIds.pauseLoop,
  'loop.tick': commandIds.runTick,
  'loop.preview': commandIds.previewTick,
  'loop.merge': commandIds.mergePullRequest,
  'loop.fixPullRequest': commandIds.fixPullRequest,
  'loop.sendPullRequestTo': commandIds.sendPullRequestTo,
};

/** Updates are coalesced: at most one post per this many ms while the state churns. */
const snapshotThrottleMs = 50;

/**
 * Hosts the control-panel webview view. It posts nothing until the webview says `ready`, then a full
 * update, then on every store change (throttled) an update with only the parts that changed. Messages from
 * the webview are validated; anything malformed or not allowed is logged and dropped. In a multi-root
 * window it shows one folder at a time (named in the view's title; the title bar's folder button switches),
 * and what the panel runs acts on that folder.
 */
class ControlPanelProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private pending: ReturnType<typeof setTimeout> | undefined;
  /** What the webview has; reset whenever it starts over (`ready`), so it gets everything again. */
  private readonly updates = new PanelUpdateEncoder();
  private readonly viewDisposables: vscode.Disposable[] = [];
  private readonly storeSubscription;
  /** The folder shown, by key; the first folder until the user picks one (or when the picked one leaves). */
  private shownKey: string | undefined;
  private lastShown: FolderServices | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly folders: FolderRegistry,
    private readonly redactor: Redactor,
    private readonly log: Logger,
  ) {
    this.storeSubscription = folders.onDidChange(() => { this.schedulePost(); });
  }

  /** The folder the panel shows. */
  get shown(): FolderServices | undefined {
    return (this.shownKey === undefined ? undefined : this.folders.get(this.shownKey)) ?? this.folders.folders[0];
  }

  /** Shows another folder: the webview starts over with that folder's full state. */
  show(key: string): void {
    this.shownKey = key;
    this.post();
  }

  /** Whether the panel is on screen now. */
  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    this.ready = false;
    const bundleRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [bundleRoot] };
    view.webview.html = controlPanelHtml(view.webview, bundleRoot, createNonce(), (base, ...parts) => vscode.Uri.joinPath(base, ...parts));
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => { this.receive(raw); }),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
      // A hidden webview view is torn down; it says `ready` again when shown.
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.ready = false;
      }),
    );
  }

  private receive(raw: unknown): void {
    const parsed = parseToHostMessage(raw);
    if (!parsed.ok) {
      this.log.warn('control panel: rejected a message from the webview (%s)', parsed.error);
      return;
    }
    const message = parsed.message;
    if (isMutatingMessage(message) && !vscode.workspace.isTrusted) {
      this.log.warn('control panel: refused "%s" in Restricted Mode', message.type === 'action' ? message.action : message.type);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.updates.reset();
        this.post();
        return;
      case 'action':
        this.run(actionCommands[message.action]);
        return;
      case 'dispatchTask':
        this.run(commandIds.dispatchTask, message.taskId);
        return;
      case 'cancelRun':
        this.run(commandIds.cancelRun, message.runId);
        return;
      case 'requeueTask':
        this.run(commandIds.requeueTask, message.taskId);
        return;
      case 'showRunLog':
        this.run(commandIds.showRunLog, message.runId);
        return;
      case 'viewRunDiff':
      case 'openRunPullRequest':
      case 'mergeRun':
      case 'discardRun':
        this.run(commandIds[message.type], message.runId);
        return;
      case 'newTask':
        this.run(commandIds.newTask);
        return;
      case 'testAgent':
        this.run(commandIds.testAgent, message.agentId);
        return;
      case 'configureAgent':
        this.run(commandIds.configureAgent, message.agentId);
        return;
      case 'approvePlan':
        this.run(commandIds.approvePlan, message.taskId);
        return;
      case 'showTaskEvents':
        this.run(commandIds.showTaskEvents, message.taskId);
        return;
      case 'raiseBudget':
        this.run(commandIds.raiseBudgetAndResume, message.taskId);
        return;
      case 'dispatchTasks':
        this.ask(commandIds.dispatchTasks, message.taskIds, answer => {
          const outcomes = dispatchOutcomesForPanel(answer, this.redactor);
          if (outcomes !== undefined) this.postMessage({ type: 'dispatchResult', outcomes });
        });
        return;
      case 'previewDispatch':
        this.ask(commandIds.previewDispatch, message.taskId, answer => {
          const preview = previewForPanel(message.taskId, answer, this.redactor);
          if (preview !== undefined) this.postMessage({ type: 'preview', preview });
          else this.log.warn('control panel: %s answered no ranking for "%s"', commandIds.previewDispatch, message.taskId);
        }, { editor: false });
        return;
      case 'loop.start':
      case 'loop.pause':
      case 'loop.tick':
      case 'loop.preview':
        this.run(loopCommands[message.type]);
        return;
      case 'loop.merge':
      case 'loop.fixPullRequest':
      case 'loop.sendPullRequestTo':
        this.run(loopCommands[message.type], message.pullNumber);
        return;
      case 'openExternal':
        // Only a link the panel was shown: a webview cannot make ATO open an arbitrary page.
        // Or the page of a queue file the working tree lacks (its row offers "Open on GitHub" instead of Open).
        if (!loopUrls(this.shown?.services.store.state.loop ?? initialLoopState).has(message.url) && !(this.shown !== undefined && isNotInCheckoutUrl(this.shown.services.store.state, message.url))) {
          this.log.warn('control panel: refused to open "%s", a link the loop has not reported', message.url);
          return;
        }
        vscode.env.openExternal(vscode.Uri.parse(message.url, true)).then(undefined, (error: unknown) => {
          this.log.warn('control panel: could not open %s: %s', message.url, error);
        });
        return;
      case 'openRunRecord': {
        // Only a record the panel was shown as unreadable: the webview names a run id, the host finds the file.
        const problem = this.shown?.services.store.state.runProblems.find(known => known.runId === message.runId);
        if (problem === undefined) {
          this.log.warn('control panel: refused to open the run record "%s", which is not reported as unreadable', message.runId);
          return;
        }
        this.run('vscode.open', vscode.Uri.file(problem.file));
        return;
      }
      case 'openTask': {
        const shown = this.shown;
        if (shown === undefined) return;
        const resolved = resolveTaskPath(shown.services.store.state, message.path);
        if (!resolved.ok) {
          this.log.warn('control panel: refused to open "%s" (%s)', message.path, resolved.reason);
          return;
        }
        this.run('vscode.open', vscode.Uri.file(resolved.file));
        return;
      }
    }
  }

  /** In a multi-root window ATO's commands get the shown folder as their folder argument. */
  private withFolder(command: string, args: readonly unknown[]): unknown[] {
    const shown = this.shown;
    return shown !== undefined && this.folders.folders.length > 1 && command.startsWith('ato.') ? [...args, folderArg(shown.key)] : [...args];
  }

  private run(command: string, ...args: unknown[]): void {
    vscode.commands.executeCommand(command, ...this.withFolder(command, args)).then(undefined, (error: unknown) => {
      this.log.warn('control panel: %s failed: %s', command, error);
    });
  }

  /** Runs a command whose answer the panel shows. */
  private ask(command: string, argument: unknown, answer: (value: unknown) => void, ...more: unknown[]): void {
    vscode.commands.executeCommand(command, ...this.withFolder(command, [argument, ...more])).then(answer, (error: unknown) => {
      this.log.warn('control panel: %s failed: %s', command, error);
    });
  }

  private postMessage(message: ToWebviewMessage): void {
    if (this.view === undefined || !this.ready) return;
    void this.view.webview.postMessage(message);
  }

  private schedulePost(): void {
    if (this.pending !== undefined) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.post();
    }, snapshotThrottleMs);
  }

  private post(): void {
    const view = this.view;
    const shown = this.shown;
    if (view === undefined || !this.ready || shown === undefined) return;
    // Another folder: everything is new to the webview.
    if (shown !== this.lastShown) {
      this.lastShown = shown;
      this.updates.reset();
    }
    view.description = this.folders.folders.length > 1 ? shown.name : '';
    const update = this.updates.next(buildPanelSnapshot(shown.services.store.state, this.redactor));
    if (update === undefined) return;
    // An update that did not arrive would leave the webview behind: the next one is full.
    view.webview.postMessage(update).then(delivered => { if (!delivered) this.updates.reset(); }, () => { this.updates.reset(); });
  }

  private disposeView(): void {
    for (const disposable of this.viewDisposables.splice(0)) disposable.dispose();
  }

  dispose(): void {
    if (this.pending !== undefined) clearTimeout(this.pending);
    this.storeSubscription.dispose();
    this.disposeView();
  }
}

/** The registered panel: dispose it to unregister; `visible` says whether it is on screen. */
export interface ControlPanelHandle {
  dispose(): void;
  readonly visible: boolean;
  /** The folder it shows (multi-root), and a way to show another. */
  readonly shown: FolderServices | undefined;
  show(key: string): void;
}

export function registerControlPanel(extensionUri: vscode.Uri, folders: FolderRegistry, redactor: Redactor, log: Logger): ControlPanelHandle {
  const provider = new ControlPanelProvider(extensionUri, folders, redactor, log);
  const registration = vscode.Disposable.from(provider, vscode.window.registerWebviewViewProvider(viewIds.controlPanel, provider));
  return new ControlPanelRegistration(provider, registration);
}

class ControlPanelRegistration implements ControlPanelHandle {
  constructor(private readonly provider: ControlPanelProvider, private readonly registration: vscode.Disposable) {}

  get visible(): boolean {
    return this.provider.visible;
  }

  get shown(): FolderServices | undefined {
    return this.provider.shown;
  }

  show(key: string): void {
    this.provider.show(key);
  }

  dispose(): void {
    this.registration.dispose();
  }
}
