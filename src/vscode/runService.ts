import { basename } from 'node:path';
import * as vscode from 'vscode';
import { folderArg } from '../core/folders/folderSet';
import { hostAgents, type HostCopilotInputs } from '../core/agents/fleet/hostAgents';
import { githubTokenFor, type GitHubTokenSources } from '../core/forges/github/githubToken';
import { createDispatchRuntime, type DispatchRuntime } from '../core/dispatch/dispatchRuntime';
import { fleetSettingsOf } from '../core/agents/fleet/fleetSettings';
import { dispatchWhenAllowed } from '../core/dispatch/dispatchWhenAllowed';
import { recoverRuns } from '../core/dispatch/runRecovery';
import { stallSettingsOf } from '../core/dispatch/stallWatch';
import type { EscalationIssuePort } from '../core/dispatch/escalation';
import { escalationIssuePort } from '../core/dispatch/escalationGitHub';
import type { DispatchOutcome } from '../core/dispatch/taskDispatcher';
import type { FleetRuns } from '../core/dispatch/fleetRuns';
import { isValidQueueEntry } from '../core/queue/queueEntry';
import { taskTitles } from '../core/queue/taskTitles';
import { shownQueue } from '../core/state/shownQueue';
import { commandIds } from '../core/views/commandIds';
import { dispatchFixes } from '../core/views/dispatchFixes';
import type { QueueIndex } from '../core/queue/queueIndex';
import { runIdPattern, type RunRecord } from '../core/runs/runRecord';
import type { RunRecordProblem } from '../core/runs/runStore';
import { plainText } from '../shared/codeSpans';
import { taskNameText } from '../shared/taskName';
import { AgentHealthService } from './agentHealthService';
import { FleetRunCommands } from './fleetRunCommands';
import type { AtoServices } from './atoServices';
import { chooseProjectMcpServers, projectMcpServersAllowed } from './projectMcpServersChoice';
import { readGitHubEnterpriseUri } from './settingsAdapter';
import type { QueueService } from './queueService';

const recentRuns = 50;
/** After activation, before the worktree pool is filled: the window's start comes first. */
const poolWarmDelayMs = 5_000;

/**
 * Runs agents for the workspace: builds the dispatcher from the settings (the same core the CLI uses),
 * recovers what a previous session left unfinished, mirrors runs into the store, and auto-dispatches
 * when `ato.queue.autoDispatch` is on. Nothing here runs in Restricted Mode.
 */
export class RunService implements vscode.Disposable {
  private runtime: DispatchRuntime | undefined;
  private runtimeFor: QueueIndex | undefined;
  private fingerprint = '';
  private recent: RunRecord[] = [];
  /** Record files that could not be read, by run id: reported as needs-you, never skipped silently. */
  private problems = new Map<string, RunRecordProblem>();
  private recordWatcher: vscode.FileSystemWatcher | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private pumping = false;
  /** The fleet's health, load and headroom for the panel and the tree. */
  readonly agents: AgentHealthService;
  /** Fan-out, preview, plan approval and budget commands (fleetRunCommands.ts). */
  readonly fleet: FleetRunCommands;

  constructor(
    private readonly services: AtoServices,
    private readonly queue: QueueService,
  ) {
    this.agents = new AgentHealthService(services);
    this.fleet = new FleetRunCommands(services, this);
    this.disposables.push(
      queue.onDidStart(index => { void this.attach(index); }),
      vscode.workspace.onDidChangeConfiguration(event => {
        if (event.affectsConfiguration('ato.agents') || event.affectsConfiguration('ato.anthropic') || event.affectsConfiguration('ato.runs.escalationIssue')) this.fingerprint = 'stale';
      }),
    );
  }

  /** The agents' ids (for completion of `agent:` in task files). */
  agentIds(): string[] {
    return this.runtime?.registry.all().map(agent => agent.id) ?? [];
  }

  /** Every run this window knows: in progress first, then recent ones. */
  runs(): readonly RunRecord[] {
    return this.services.store.state.runs;
  }

  private async attach(index: QueueIndex): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    const runtime = await this.ensureRuntime(index);
    if (runtime === undefined) return;
    const workspaceRoot = this.services.workspace.workspaceRoot;
    const recovery = await recoverRuns({
      agent: agentId => runtime.registry.get(agentId),
      workspaceRoot,
      planningRoot: index.planningRoot,
      runs: runtime.runs,
      events: { append: event => this.services.workspace.record(event) },
      log: this.services.log.scoped('recovery'),
      planningWriter: runtime.planningWriter,
      ...this.escalationIssues(workspaceRoot),
    });
    await index.coldIndex();
    for (const record of recovery.reattach) runtime.dispatcher.reattach(record);
    for (const { taskId, attempt } of recovery.redispatch) this.report(await runtime.dispatcher.dispatch(taskId, { resume: true, attempt }), taskId);
    for (const { taskId, reason } of recovery.needsYou) void vscode.window.showWarningMessage(`ATO: task "${taskId}" needs you — ${reason}`);
    const listed = await runtime.runs.list();
    this.recent = [...listed.records].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, recentRuns);
    this.problems = new Map(listed.problems.map(problem => [problem.runId, problem]));
    this.watchRecords(runtime);
    this.publish();
    index.onDidChange(() => { void this.pump(); });
    void this.pump();
    // Once activation is over, fill the worktree pool so the first dispatch claims an entry (issue 14).
    this.warmTimer = setTimeout(() => { void this.runtime?.poolWarmer?.warm(); }, poolWarmDelayMs);
  }

  /** Builds (or rebuilds, after a settings change with nothing running) the dispatcher. */
  async ensureRuntime(index: QueueIndex | undefined = this.queue.current): Promise<DispatchRuntime | undefined> {
    const root = this.services.workspace.workspaceRoot;
    if (index === undefined) return undefined;
    const settings = this.services.workspace.settings;
    const anthropicKey = await this.services.secrets.get('anthropic.apiKey');
    const julesKey = await this.services.secrets.get('jules.apiKey');
    const projectMcpServers = projectMcpServersAllowed(this.services.workspaceState);
    const fingerprint = JSON.stringify([projectMcpServers, settings['agents.custom'], settings['agents.claudeCode.executable'], settings['agents.claudeCode.maxTurns'], settings['agents.claudeCode.concurrent'], settings['agents.claudeCode.model'], settings['agents.claudeCode.maxBudgetUsd'], settings['agents.claude.enabled'], settings['agents.claude.model'], settings['agents.claude.maxTokens'], settings['agents.claude.concurrent'], settings['anthropic.apiUrl'], settings['agents.maxConcurrentRuns'], settings['runs.escalationIssue'], anthropicKey !== undefined, julesKey !== undefined, settings['jules.apiUrl'], settings['agents.jules.enabled'], settings['agents.jules.concurrent'], settings['agents.jules.dailySessions'], settings['agents.jules.requirePlanApproval'], settings['agents.jules.startingBranch']]);
    if (this.runtime !== undefined && this.runtimeFor === index && (fingerprint === this.fingerprint || this.runtime.dispatcher.activeRuns().length > 0)) return this.runtime;
    // `agent: copilot` in a task file: Copilot works on this workspace's GitHub origin (asked lazily, on first use).
    const hosts = { apiUrl: settings['github.apiUrl'], enterpriseUri: readGitHubEnterpriseUri() };
    const sources: GitHubTokenSources = { configured: () => this.services.secrets.get('github.token'), session: provider => this.services.secrets.githubSessionToken(provider) };
    const copilot: HostCopilotInputs = { token: endpoint => githubTokenFor(endpoint, hosts, sources), enterpriseUri: hosts.enterpriseUri, redactor: this.services.redactor, userAgent: `ato-vscode/${this.services.extensionVersion}` };
    const { agents, problems } = await hostAgents({ settings, secrets: this.services.secrets, workspaceRoot: root, log: this.services.log, allowances: { projectMcpServers }, remote: { jules: true, copilot } });
    for (const problem of problems) this.services.log.warn(problem);
    if (problems.length > 0) void vscode.window.showWarningMessage(`ATO: ${problems[0] ?? ''}`);
    const runtime = createDispatchRuntime({
      workspaceRoot: root,
      index,
      agents,
      maxConcurrentRuns: settings['agents.maxConcurrentRuns'],
      worktreePoolSize: () => this.services.workspace.settings['agents.worktreePoolSize'],
      defaultTimeoutMs: settings['agents.timeoutMinutes'] * 60_000,
      redactor: this.services.redactor,
      events: { append: event => this.services.workspace.record(event) },
      log: this.services.log.scoped('dispatch'),
      fleet: fleetSettingsOf(settings),
      defaultBudgetUsd: settings['runs.defaultBudgetUsd'],
      stall: () => stallSettingsOf(this.services.workspace.settings),
      ...this.escalationIssues(root),
    });
    runtime.dispatcher.onDidChangeRuns(() => { this.publish(); void this.pump(); });
    if (this.runtime !== undefined) await this.runtime.dispatcher.dispose();
    this.runtime = runtime;
    this.runtimeFor = index;
    this.fingerprint = fingerprint;
    this.agents.attach(runtime);
    return runtime;
  }

  /** The escalation issue's GitHub when `ato.runs.escalationIssue` is on: the token issued for origin's host, as the loop gets it. */
  private escalationIssues(workspaceRoot: string): { escalationIssues?: () => Promise<EscalationIssuePort | undefined> } {
    const settings = this.services.workspace.settings;
    const secrets = this.services.secrets;
    const hosts = { apiUrl: settings['github.apiUrl'], enterpriseUri: readGitHubEnterpriseUri() };
    const issues = escalationIssuePort({
      workspaceRoot,
      settings,
      token: endpoint => githubTokenFor(endpoint, hosts, { configured: () => secrets.get('github.token'), session: provider => secrets.githubSessionToken(provider) }),
      enterpriseUri: hosts.enterpriseUri,
      log: this.services.log.scoped('escalation'),
      redactor: this.services.redactor,
      userAgent: `ato-vscode/${this.services.extensionVersion}`,
    });
    return issues === undefined ? {} : { escalationIssues: issues };
  }

  /** The dispatch runtime and the queue index, or a warning when the queue is not ready yet. */
  async readyQueue(): Promise<{ readonly runtime: DispatchRuntime; readonly index: QueueIndex } | undefined> {
    const runtime = await this.ensureRuntime();
    const index = this.queue.current;
    if (runtime === undefined || index === undefined) {
      void vscode.window.showWarningMessage('ATO: the queue is not ready yet (is there a planning folder?).');
      return undefined;
    }
    return { runtime, index };
  }

  /** Dispatches a task by id, or asks which one. */
  async dispatch(taskId?: string): Promise<void> {
    const ready = await this.readyQueue();
    if (ready === undefined) return;
    const { runtime, index } = ready;
    let id = taskId;
    if (id === undefined) {
      const ready = index.snapshot().pending.ready;
      if (ready.length === 0) {
        void vscode.window.showInformationMessage('ATO: no task in pending/ is ready to dispatch.');
        return;
      }
      const picked = await vscode.window.showQuickPick(
        ready.slice(0, 500).map(entry => ({ label: entry.result.task.title, description: entry.result.task.id, detail: `${entry.result.task.type} · ${entry.result.task.priority} · agent: ${entry.result.task.agent}`, id: entry.result.task.id })),
        { title: 'ATO: Dispatch Task', placeHolder: 'Which task? (in dispatch order)', matchOnDescription: true },
      );
      id = picked?.id;
    }
    if (id === undefined) return;
    const chosen = id;
    this.report(await dispatchWhenAllowed(() => runtime.dispatcher.dispatch(chosen)), id);
  }

  /** Asks whether Claude Code may start the repository's MCP servers; later runs follow the answer. */
  async chooseProjectMcpServers(): Promise<void> {
    const allowed = await chooseProjectMcpServers(this.services.workspaceState);
    if (allowed === undefined) return;
    this.services.log.info('project MCP servers for Claude Code: %s in this workspace', allowed ? 'allowed' : 'not allowed');
    this.fingerprint = 'stale';
  }

  /** Local agent runs in flight in this window (the loop's runs track). */
  /** The fleet's runs of this window (the loop's local runs take their slots and records here too). */
  async fleetRuns(): Promise<FleetRuns | undefined> {
    return (await this.ensureRuntime())?.fleetRuns;
  }

  /** Runs of task files in progress (the loop's runs share the fleet but the loop counts those itself). */
  activeRunCount(): number {
    return this.runtime?.dispatcher.activeRuns().filter(record => record.loopLink === undefined).length ?? 0;
  }

  async cancel(runId?: string): Promise<void> {
    const runtime = this.runtime;
    const active = runtime?.dispatcher.activeRuns() ?? [];
    const id = runId ?? (await vscode.window.showQuickPick(active.map(run => ({ label: run.taskId, description: `${run.agentId} · ${run.state}`, id: run.runId })), { title: 'ATO: Cancel Run' }))?.id;
    if (id === undefined || runtime === undefined) return;
    if (!(await runtime.dispatcher.cancel(id))) void vscode.window.showInformationMessage('ATO: that run is not in progress in this window.');
  }

  /**
   * Requeue: a failed, cancelled or interrupted task back to `pending/` (the core refuses a run in
   * progress). Asks which one when no id is given: the tasks in `processed/` no run of this window is on.
   */
  async requeue(taskId?: string): Promise<void> {
    const ready = await this.readyQueue();
    if (ready === undefined) return;
    const { runtime, index } = ready;
    let id = taskId;
    if (id === undefined) {
      const running = new Set(runtime.dispatcher.activeRuns().map(run => run.taskId));
      const latest = new Map<string, RunRecord>();
      for (const run of this.runs()) if (!latest.has(run.taskId)) latest.set(run.taskId, run);
      const candidates = index.snapshot().processed.filter(entry => !running.has(entry.result.task.id));
      if (candidates.length === 0) {
        void vscode.window.showInformationMessage('ATO: no task in processed/ waits to be requeued.');
        return;
      }
      const picked = await vscode.window.showQuickPick(
        candidates.slice(0, 500).map(entry => {
          const task = entry.result.task;
          const last = latest.get(task.id);
          return { label: task.title, description: task.id, detail: last === undefined ? 'no run in this window' : `last run: ${last.state}${last.failure === undefined ? '' : ` — ${last.failure.class}: ${last.failure.message}`}`, id: task.id };
        }),
        { title: 'ATO: Requeue Task', placeHolder: 'Which task goes back to pending/ to run again?', matchOnDescription: true },
      );
      id = picked?.id;
    }
    if (id === undefined) return;
    const outcome = await runtime.dispatcher.requeue(id);
    if (outcome.status !== 'requeued' && outcome.status !== 'alreadyPending') {
      void vscode.window.showWarningMessage(this.services.redactor.redact(`ATO: could not requeue "${id}": ${outcome.reason}`));
      return;
    }
    this.services.log.info('requeued %s (%s)', id, outcome.status);
    // The last run now says it was requeued: the view stops asking for a human.
    if (outcome.lastRunId !== undefined) {
      const reread = await runtime.runs.read(outcome.lastRunId);
      if (reread.ok) this.recent = this.recent.map(run => (run.runId === reread.record.runId ? reread.record : run));
    }
    this.publish();
    const dispatchNow = 'Dispatch Now';
    const message = outcome.status === 'requeued' ? `ATO: "${id}" is back in pending/.` : `ATO: "${id}" is already in pending/.`;
    void vscode.window.showInformationMessage(this.services.redactor.redact(message), dispatchNow).then(choice => {
      if (choice === dispatchNow) void this.dispatch(id);
    });
  }

  /** A record written outside the dispatcher (a landing): the views show it as it is now. */
  noteRecord(record: RunRecord): void {
    this.recent = this.recent.map(run => (run.runId === record.runId ? record : run));
    this.publish();
  }

  /** Opens the run's log; VS Code shows what the agent appends while it runs. */
  async showLog(runId?: string): Promise<void> {
    const runs = this.runs();
    const id = runId ?? (await vscode.window.showQuickPick(runs.map(run => ({ label: run.taskId, description: `${run.agentId} · ${run.state} · ${run.startedAt}`, id: run.runId })), { title: 'ATO: Show Run Log' }))?.id;
    const runtime = this.runtime;
    if (id === undefined || runtime === undefined) return;
    await vscode.window.showTextDocument(vscode.Uri.file(runtime.runs.logFile(id)), { preview: true });
  }

  private pumpTimer: ReturnType<typeof setTimeout> | undefined;
  private warmTimer: ReturnType<typeof setTimeout> | undefined;

  private pumpLater(delayMs: number): void {
    if (this.pumpTimer !== undefined) clearTimeout(this.pumpTimer);
    this.pumpTimer = setTimeout(() => {
      this.pumpTimer = undefined;
      void this.pump();
    }, delayMs);
  }

  private async pump(): Promise<void> {
    const runtime = this.runtime;
    const index = this.queue.current;
    if (this.pumping || runtime === undefined || index === undefined || !vscode.workspace.isTrusted || !this.services.workspace.settings['queue.autoDispatch']) return;
    this.pumping = true;
    try {
      // A bounded look at the head of the queue: when no agent can take these, scanning 10,000 tasks
      // on every change would not help.
      for (const entry of index.snapshot().pending.ready.slice(0, 20)) {
        if (!isValidQueueEntry(entry)) continue;
        const outcome = await runtime.dispatcher.dispatch(entry.result.task.id);
        if (outcome.status === 'busy') {
          // A staggered start or a closed vendor window says when to look again; a freed slot fires a change anyway.
          if (outcome.retryInMs !== undefined) this.pumpLater(outcome.retryInMs);
          break;
        }
        if (outcome.status !== 'started') this.services.log.warn('auto-dispatch skipped %s: %s', entry.result.task.id, outcome.reason);
      }
    } finally {
      this.pumping = false;
    }
  }

  report(outcome: DispatchOutcome, taskId: string): void {
    // Named as the panel and the tree name it: its title, with its id.
    const state = this.services.store.state;
    const name = taskNameText(taskId, taskTitles(shownQueue(state).queue).get(taskId) ?? taskTitles(state.queue).get(taskId));
    if (outcome.status === 'started') {
      this.services.log.info('dispatched %s to %s (run %s)', taskId, outcome.agentId, outcome.runId);
      const open = 'Show Log';
      const notify = this.services.workspace.settings['notifications.runs'];
      if (notify === 'all') void vscode.window.showInformationMessage(this.services.redactor.redact(`ATO: ${name} dispatched to ${outcome.agentId}.`), open).then(choice => { if (choice === open) void this.showLog(outcome.runId); });
      const done = this.runtime?.dispatcher.whenDone(outcome.runId);
      void done?.then(record => {
        const succeeded = record.state === 'succeeded';
        if (notify === 'off' || (succeeded && notify === 'failures')) return;
        const message = succeeded ? `ATO: ${name} finished${record.branch === undefined ? '' : ` on ${record.branch}`}.` : `ATO: ${name} ${record.state}: ${record.failure?.message ?? ''}`;
        // A run stopped at its budget_usd waits for a person: the notification offers the way on.
        const raise = record.failure?.class === 'budget' ? ['Raise Budget and Resume'] : [];
        void (succeeded ? vscode.window.showInformationMessage(this.services.redactor.redact(message), open) : vscode.window.showWarningMessage(this.services.redactor.redact(message), ...raise, open)).then(choice => {
          if (choice === open) void this.showLog(record.runId);
          else if (choice !== undefined && raise.includes(choice)) void vscode.commands.executeCommand(commandIds.raiseBudgetAndResume, taskId, folderArg(this.services.workspace.folderKey));
        });
      });
      return;
    }
    // The refusal comes with what fixes it (retry, Doctor, the agent's settings…): one click, not a search.
    const fixes = dispatchFixes(outcome, taskId);
    void vscode.window.showWarningMessage(plainText(this.services.redactor.redact(`ATO: could not dispatch ${name}: ${outcome.reason}`)), ...fixes.map(fix => fix.label)).then(choice => {
      const fix = fixes.find(candidate => candidate.label === choice);
      if (fix !== undefined) void vscode.commands.executeCommand(fix.command, ...fix.args);
    });
  }

  /**
   * A record file that appears, changes or goes (a hand edit, another window, the CLI) is read again on its
   * own, so one that cannot be read is reported — and one that was fixed stops being reported.
   */
  private watchRecords(runtime: DispatchRuntime): void {
    this.recordWatcher?.dispose();
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(runtime.runs.directory), '*.json'));
    const recheck = (uri: vscode.Uri): void => {
      const runId = basename(uri.fsPath, '.json');
      if (!runIdPattern.test(runId)) return;
      void runtime.runs.read(runId).then(result => {
        const known = this.problems.get(runId);
        // Landed or discarded in another window or by the CLI: the run's actions go.
        if (result.ok && this.recent.some(run => run.runId === runId && run.landing === undefined && result.record.landing !== undefined)) this.noteRecord(result.record);
        if (result.ok || result.missing) {
          if (known === undefined) return;
          this.problems.delete(runId);
        } else {
          if (known?.message === result.problem.message) return;
          this.problems.set(runId, result.problem);
        }
        this.publish();
      }, (error: unknown) => { this.services.log.warn('could not read the run record %s: %s', runId, error); });
    };
    watcher.onDidCreate(recheck);
    watcher.onDidChange(recheck);
    watcher.onDidDelete(recheck);
    this.recordWatcher = watcher;
  }

  private publish(): void {
    const active = this.runtime?.dispatcher.activeRuns() ?? [];
    const byId = new Map(this.recent.map(run => [run.runId, run]));
    for (const run of active) byId.set(run.runId, run);
    this.recent = [...byId.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, recentRuns);
    const runs = this.recent;
    const runProblems = [...this.problems.values()];
    this.services.store.update(state => ({ ...state, runs, runProblems }));
    this.agents.publish();
  }

  dispose(): void {
    clearTimeout(this.warmTimer);
    if (this.pumpTimer !== undefined) clearTimeout(this.pumpTimer);
    this.recordWatcher?.dispose();
    this.agents.dispose();
    void this.runtime?.dispatcher.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
