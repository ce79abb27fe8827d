import * as vscode from 'vscode';
import { approveTaskPlan } from '../core/dispatch/approvePlan';
import { renderDispatchPreview, type DispatchPreview } from '../core/dispatch/dispatchPreview';
import { describeFanOutReport, dispatchMany, type FanOut, type FanOutReport } from '../core/dispatch/fanOut';
import { dispatchWhenAllowed } from '../core/dispatch/dispatchWhenAllowed';
import { raiseTaskBudget } from '../core/dispatch/raiseBudget';
import { isValidQueueEntry } from '../core/queue/queueEntry';
import type { AtoServices } from './atoServices';
import type { RunService } from './runService';

/**
 * The fleet's commands on the window's dispatcher (RunService): fan-out, Preview Dispatch, Approve Agent Plan,
 * and Raise Budget and Resume. Each asks what it needs when called without it.
 */
export class FleetRunCommands {
  constructor(
    private readonly services: AtoServices,
    private readonly runService: RunService,
  ) {}

  /**
   * Fan-out: dispatches several pending tasks at once (asks which when none are given). Each task's
   * report — started, waiting and why, refused and why — goes to the log, and a summary to a notification.
   * Resolves with the fan-out once every task has its first report (undefined when nothing was chosen).
   */
  async dispatchMany(taskIds?: readonly string[]): Promise<FanOut | undefined> {
    const ready = await this.runService.readyQueue();
    if (ready === undefined) return undefined;
    const { runtime, index } = ready;
    let ids = taskIds;
    if (ids === undefined || ids.length === 0) {
      const pending = [...index.snapshot().pending.ready, ...index.snapshot().pending.blocked.map(blocked => blocked.entry)];
      if (pending.length === 0) {
        void vscode.window.showInformationMessage('ATO: no task in pending/ to dispatch.');
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(
        pending.slice(0, 500).map(entry => ({ label: entry.result.task.title, description: entry.result.task.id, detail: `${entry.result.task.type} · ${entry.result.task.priority} · agent: ${entry.result.task.agent}`, id: entry.result.task.id })),
        { title: 'ATO: Dispatch Tasks', placeHolder: 'Which tasks? They start as limits, dependencies and overlapping targets allow.', canPickMany: true, matchOnDescription: true },
      );
      ids = picked?.map(item => item.id);
    }
    if (ids === undefined || ids.length === 0) return undefined;
    const fanOut = await dispatchMany(ids, { dispatcher: runtime.dispatcher, queue: index });
    const log = (reports: readonly FanOutReport[]): void => { for (const report of reports) this.services.log.info('fan-out %s', describeFanOutReport(report)); };
    log(fanOut.reports());
    fanOut.onDidChange(log);
    const reports = fanOut.reports();
    const started = reports.filter(report => report.status === 'started').length;
    const waiting = reports.filter(report => report.status === 'waiting').length;
    const refused = reports.filter(report => report.status === 'refused');
    const summary = `ATO: ${started} started, ${waiting} waiting, ${refused.length} refused.${refused.length === 0 ? '' : ` ${refused.map(report => describeFanOutReport(report)).join(' · ')}`}`;
    void (refused.length > 0 ? vscode.window.showWarningMessage(this.services.redactor.redact(summary)) : vscode.window.showInformationMessage(this.services.redactor.redact(summary)));
    void fanOut.done.then(() => { fanOut.dispose(); });
    return fanOut;
  }

  /** The registry's ranking for one task (asks which when none is given), in a read-only editor. */
  async previewDispatch(taskId?: string, openEditor = true): Promise<DispatchPreview | undefined> {
    const ready = await this.runService.readyQueue();
    if (ready === undefined) return undefined;
    const { runtime, index } = ready;
    let id = taskId;
    if (id === undefined) {
      const pending = [...index.snapshot().pending.ready, ...index.snapshot().pending.blocked.map(blocked => blocked.entry)];
      id = (await vscode.window.showQuickPick(pending.slice(0, 500).map(entry => ({ label: entry.result.task.title, description: entry.result.task.id, id: entry.result.task.id })), { title: 'ATO: Preview Dispatch', matchOnDescription: true }))?.id;
    }
    if (id === undefined) return undefined;
    const preview = await runtime.dispatcher.preview(id);
    if (!openEditor) return preview;
    const content = this.services.redactor.redact(`# Dispatch preview: ${id}\n\n\`\`\`text\n${renderDispatchPreview(preview)}\`\`\`\n`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content }), { preview: true });
    return preview;
  }

  /**
   * "Raise budget and resume": a run stopped at its task's `budget_usd` left the task in processed/; this
   * writes the new budget into the task file and runs it again (asks which task and how much when not given).
   */
  async raiseBudgetAndResume(taskId?: string, budgetUsd?: number): Promise<void> {
    const ready = await this.runService.readyQueue();
    if (ready === undefined) return;
    const { runtime, index } = ready;
    let id = taskId;
    if (id === undefined) {
      const stopped = this.runService.runs().filter(run => run.failure?.class === 'budget' && index.byId(run.taskId).some(entry => entry.folder === 'processed'));
      const ids = [...new Set(stopped.map(run => run.taskId))];
      if (ids.length === 0) {
        void vscode.window.showInformationMessage('ATO: no task waits after reaching its budget.');
        return;
      }
      id = (await vscode.window.showQuickPick(ids.map(value => ({ label: value, id: value })), { title: 'ATO: Raise Budget and Resume' }))?.id;
    }
    if (id === undefined) return;
    let budget = budgetUsd;
    if (budget === undefined) {
      const current = index.byId(id).find(entry => entry.folder === 'processed');
      const was = current !== undefined && isValidQueueEntry(current) ? current.result.task.budgetUsd : undefined;
      const answer = await vscode.window.showInputBox({
        title: `ATO: Raise the budget of ${id}`,
        prompt: `The new budget_usd in US dollars${was === undefined ? '' : ` (now ${String(was)})`}`,
        value: was === undefined ? '' : String(was * 2),
        validateInput: value => (Number.isFinite(Number(value)) && Number(value) > 0 ? undefined : 'A number of US dollars above 0'),
      });
      if (answer === undefined) return;
      budget = Number(answer);
    }
    const raised = await raiseTaskBudget(id, budget, { index, writer: runtime.planningWriter, activeRuns: () => runtime.dispatcher.activeRuns() });
    if (raised.status !== 'raised') {
      void vscode.window.showWarningMessage(`ATO: ${raised.reason}`);
      return;
    }
    const chosen = id;
    this.runService.report(await dispatchWhenAllowed(() => runtime.dispatcher.dispatch(chosen, { resume: true })), id);
  }

  /**
   * Approve Agent Plan: the plan the task's run waits on (a Jules session). Asks which task when no id is
   * given: the runs in progress on an agent that has plans.
   */
  async approvePlan(taskId?: string): Promise<void> {
    const runtime = await this.runService.ensureRuntime();
    if (runtime === undefined) return;
    let id = taskId;
    if (id === undefined) {
      const candidates = runtime.dispatcher.activeRuns().filter(run => runtime.registry.get(run.agentId)?.approvePlan !== undefined);
      if (candidates.length === 0) {
        void vscode.window.showInformationMessage('ATO: no run in progress here has a plan to approve.');
        return;
      }
      id = (await vscode.window.showQuickPick(candidates.map(run => ({ label: run.taskId, description: `${run.agentId} · ${run.state}`, id: run.taskId })), { title: 'ATO: Approve Agent Plan' }))?.id;
    }
    if (id === undefined) return;
    const outcome = await approveTaskPlan(id, runtime.runs, agentId => runtime.registry.get(agentId));
    const message = this.services.redactor.redact(`ATO: ${outcome.message}`);
    if (outcome.status === 'approved') void vscode.window.showInformationMessage(message);
    else void vscode.window.showWarningMessage(message);
  }
}
