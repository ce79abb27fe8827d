import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { plainText } from '../shared/codeSpans';
import { hostAgents } from '../core/agents/fleet/hostAgents';
import { projectMcpServersAllowed } from './projectMcpServersChoice';
import { githubTokenFor, type GitHubTokenSources } from '../core/forges/github/githubToken';
import { createGitHubLoop } from '../core/loop/github/createGitHubLoop';
import type { FleetRuns } from '../core/dispatch/fleetRuns';
import { acquireLoopLock, type LoopLock } from '../core/loop/engine/localLock';
import type { LoopEngine } from '../core/loop/engine/loopEngine';
import { initialLoopState, type LoopController, type LoopNeedsYou, type LoopState } from '../core/loop/engine/loopModel';
import { newNeedsYou } from '../core/loop/engine/newNeedsYou';
import { folderArg } from '../core/folders/folderSet';
import { UnfocusedPause } from '../core/loop/engine/unfocusedPause';
import { commandIds } from '../core/views/commandIds';
import { describeError } from '../core/logging/redactor';
import type { AtoServices } from './atoServices';
import type { AtoState } from '../core/state/atoState';
import { readGitHubEnterpriseUri } from './settingsAdapter';

/** A settings or sign-in change rebuilds the loop once things settle. */
const rebuildDebounceMs = 300;

/** The reasons the state alone gives for having no loop (see immediateOffReason); each folder has a root. */
const offReasons = {
  untrusted: 'This workspace is not trusted: ATO shows state but runs no loop.',
  noPlanningFolder: 'No planning folder yet: run ATO: Initialize Planning Folder.',
} as const;
const immediateOffReasons: ReadonlySet<string> = new Set(Object.values(offReasons));
/** Said while the loop is being built: reading the remote, the keys and the agents takes a moment. */
export const startingReason = 'Starting the planning loop: reading the repository\'s remote, the keys and the agents…';

/**
 * The planning loop in this window: built when the workspace is trusted, has a planning folder, a GitHub
 * `origin` and a GitHub sign-in; rebuilt when any of those change. It starts paused — the user starts it
 * (or runs single ticks) from the panel, the status bar or the palette. One loop per workspace per machine:
 * the window that holds `.ato/loop.lock` runs it; another window shows why it does not.
 */
export class LoopService implements vscode.Disposable {
  private engine: LoopEngine | undefined;
  private lock: LoopLock | undefined;
  private fingerprint: string | undefined;
  private watched: string | undefined;
  private lastNeedsYou: readonly LoopNeedsYou[] = [];
  private readonly seenNeedsYou = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private building: Promise<void> = Promise.resolve();
  private readonly disposables: vscode.Disposable[] = [];
  /** The loop's poll timer: held after `ato.loop.pauseWhenUnfocusedMinutes` without window focus (PRODUCT §4). */
  private readonly timers = new UnfocusedPause({
    clock: { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: handle => { clearTimeout(handle as NodeJS.Timeout); } },
    pauseAfterMs: () => this.services.workspace.settings['loop.pauseWhenUnfocusedMinutes'] * 60_000,
    onChange: paused => {
      this.services.log.info(paused ? 'The window has been unfocused for a while: the loop stops polling until it has focus again.' : 'The window has focus again: the loop catches up.');
      this.setLoop(loop => ({ ...loop, pausedUnfocused: paused }));
    },
  });

  constructor(private readonly services: AtoServices, private readonly activeLocalRuns: () => number, private readonly fleetRuns: () => Promise<FleetRuns | undefined>) {}

  /** The controller the commands and the panel drive, while a loop exists. */
  get controller(): LoopController | undefined {
    return this.engine;
  }

  start(): void {
    const folder = vscode.Uri.file(this.services.workspace.workspaceRoot);
    this.timers.setFocused(vscode.window.state.focused);
    this.disposables.push(
      vscode.window.onDidChangeWindowState(state => { this.timers.setFocused(state.focused); }),
      vscode.workspace.onDidChangeConfiguration(event => {
        // The monitor has read the new settings by now (it subscribed first).
        if (event.affectsConfiguration('ato.loop.pauseWhenUnfocusedMinutes', folder)) this.timers.reconsider();
        if (event.affectsConfiguration('ato', folder) || event.affectsConfiguration('github-enterprise')) this.schedule();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => { this.schedule(); }),
      this.services.secrets.onDidChange(() => { this.schedule(); }),
      toVscode(this.services.store.onDidChange(state => {
        this.notify(state.loop.needsYou);
        // Rebuild only for what the loop depends on: the planning folder appearing or going, and trust.
        const key = `${state.planning.kind}:${String(state.trusted)}`;
        if (key === this.watched) return;
        this.watched = key;
        // One snapshot, one truth: the reason the loop is off must not outlive the state it was about (the header
        // said "no planning folder yet" for seconds after Initialize Planning Folder, until the rebuild ended).
        // After this update has reached every listener, not inside it.
        queueMicrotask(() => { this.settleOffReason(); });
        this.schedule();
      })),
    );
    this.schedule();
  }

  /** A notification for each new thing the loop needs you for (`ato.notifications.runs` off silences them). */
  private notify(items: readonly LoopNeedsYou[]): void {
    if (items === this.lastNeedsYou) return;
    this.lastNeedsYou = items;
    const fresh = newNeedsYou(items, this.seenNeedsYou);
    if (fresh.length === 0 || this.services.workspace.settings['notifications.runs'] === 'off') return;
    for (const item of fresh.slice(0, 3)) {
      const action = item.action === 'merge' && item.pullNumber !== undefined ? 'Merge' : item.action === 'requeue' && item.taskId !== undefined ? 'Requeue' : 'Open Control Panel';
      void vscode.window.showWarningMessage(plainText(this.services.redactor.redact(`ATO needs you: ${item.title} — ${item.detail}`)), action).then(choice => {
        // This folder's loop: the command acts here, whichever editor is active.
        const folder = folderArg(this.services.workspace.folderKey);
        if (choice === 'Merge') void vscode.commands.executeCommand(commandIds.mergePullRequest, item.pullNumber, folder);
        else if (choice === 'Requeue') void vscode.commands.executeCommand(commandIds.requeueTask, item.taskId, folder);
        else if (choice !== undefined) void vscode.commands.executeCommand(commandIds.openControlPanel);
      });
    }
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.building = this.building.then(() => this.rebuild()).catch((error: unknown) => { this.services.log.error('The planning loop could not start: %s', error); });
    }, rebuildDebounceMs);
  }

  private setLoop(recipe: (loop: LoopState) => LoopState): void {
    this.services.store.update(state => {
      const loop = recipe(state.loop);
      return loop === state.loop ? state : { ...state, loop };
    });
  }

  private off(reason: string, mode: LoopState['mode'] = 'off'): void {
    void this.tearDown();
    this.setLoop(loop => (loop.mode === mode && loop.error === reason ? loop : { ...initialLoopState, mode, error: reason, pausedUnfocused: this.timers.paused }));
  }

  /** Why there can be no loop, from the state alone (no I/O): no folder, Restricted Mode, no planning folder. */
  private immediateOffReason(state: AtoState): string | undefined {
    if (!state.trusted) return offReasons.untrusted;
    if (state.planning.kind !== 'ready' && state.planning.kind !== 'partial') return offReasons.noPlanningFolder;
    return undefined;
  }

  /**
   * While no engine runs, the loop's off reason follows the state at once: a reason the state now gives, or,
   * when the reason shown was one the state no longer gives, "starting" until the rebuild says more.
   */
  private settleOffReason(): void {
    if (this.engine !== undefined) return;
    const reason = this.immediateOffReason(this.services.store.state);
    this.setLoop(loop => {
      if (reason !== undefined) return loop.mode === 'off' && loop.error === reason ? loop : { ...initialLoopState, mode: 'off', error: reason };
      return loop.mode === 'off' && loop.error !== undefined && immediateOffReasons.has(loop.error) ? { ...initialLoopState, mode: 'off', error: startingReason } : loop;
    });
  }

  private async rebuild(): Promise<void> {
    const { store, workspace, secrets } = this.services;
    const state = store.state;
    const root = workspace.workspaceRoot;
    const offReason = this.immediateOffReason(state);
    if (offReason !== undefined) {
      this.off(offReason);
      return;
    }
    const settings = workspace.settings;
    const hosts = { apiUrl: settings['github.apiUrl'], enterpriseUri: readGitHubEnterpriseUri() };
    const sources: GitHubTokenSources = { configured: () => secrets.get('github.token'), session: provider => secrets.githubSessionToken(provider) };
    // The Anthropic key too: the loop's local agent claude-code runs with it; and Jules's, which serves the loop when enabled.
    const tokens = await Promise.all([sources.configured(), sources.session('github'), sources.session('github-enterprise'), secrets.get('anthropic.apiKey'), secrets.get('jules.apiKey')]);
    // Rebuild only when something the loop depends on changed (not on every store update).
    const fingerprint = JSON.stringify([root, settings, hosts.enterpriseUri ?? null, tokens.map(token => (token === undefined ? 'none' : createHash('sha256').update(token).digest('hex')))]);
    if (fingerprint === this.fingerprint && this.engine !== undefined) return;
    this.fingerprint = fingerprint;
    await this.tearDown();
    const built = await createGitHubLoop({
      workspaceRoot: root,
      settings,
      timers: this.timers,
      token: endpoint => githubTokenFor(endpoint, hosts, sources),
      enterpriseUri: hosts.enterpriseUri,
      log: this.services.log.scoped('loop'),
      redactor: this.services.redactor,
      appendEvent: event => { void workspace.record(event); },
      updateLoop: recipe => { this.setLoop(recipe); },
      trusted: () => store.state.trusted,
      userAgent: `ato-vscode/${this.services.extensionVersion}`,
      localRuns: this.activeLocalRuns,
      fleetRuns: this.fleetRuns,
      // The loop's agents: the local ones, and Jules when it is enabled and its key is set; Copilot the loop builds itself.
      julesApiKey: () => secrets.get('jules.apiKey'),
      localAgents: (await hostAgents({ settings, secrets, workspaceRoot: root, log: this.services.log.scoped('loop'), allowances: { projectMcpServers: projectMcpServersAllowed(this.services.workspaceState) }, remote: { jules: true } })).agents,
    }).catch((error: unknown) => ({ kind: 'unavailable' as const, mode: 'off' as const, reason: `The planning loop could not start: ${describeError(error)}` }));
    if (built.kind === 'unavailable') {
      this.off(built.reason, built.mode);
      return;
    }
    const attempt = await acquireLoopLock(root, { owner: 'VS Code window' });
    if (!attempt.acquired) {
      built.engine.dispose();
      const holder = attempt.holder;
      this.off(holder === undefined ? 'Another window runs the planning loop for this folder.' : `${holder.owner} (pid ${String(holder.pid)}) runs the planning loop for this folder; this window shows it without acting.`);
      return;
    }
    this.lock = attempt.lock;
    this.engine = built.engine;
    this.setLoop(loop => ({ ...loop, error: undefined }));
    this.services.log.info('Planning loop ready on %s (%s), paused until started.', built.repo, built.branch);
  }

  /** Stops the engine (which gives the remote lease up), then frees the workspace's lock. */
  private tearDown(): Promise<void> {
    const engine = this.engine;
    const lock = this.lock;
    this.engine = undefined;
    this.lock = undefined;
    return (async () => {
      await engine?.close();
      await lock?.release();
    })().catch((error: unknown) => { this.services.log.warn('Stopping the planning loop: %s', error); });
  }

  /** For `deactivate`, which VS Code awaits: the lease is released before the window goes. */
  close(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    return this.tearDown().finally(() => { this.timers.dispose(); });
  }

  dispose(): void {
    void this.close();
  }
}

function toVscode(disposable: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => { disposable.dispose(); });
}
