import * as vscode from 'vscode';
import type { LoopController } from '../../core/loop/engine/loopModel';
import { commandIds, viewIds } from '../../core/views/commandIds';
import { pullNumberOf, urlOf } from '../../core/views/loopCommandArgs';
import { loopUrls, pullRequestChecksUrl, pullRequestUrl } from '../../core/views/loopLinks';
import { describePlan, loopUnavailableReason, summarizeTickReport } from '../../core/views/loopText';
import { mergeConfirmation } from '../../core/views/mergeConfirmation';
import { plainText } from '../../shared/codeSpans';
import { isExternalUrl } from '../../shared/loopSnapshot';
import { isNotInCheckoutUrl } from '../../core/state/shownQueue';
import type { AtoServices } from '../atoServices';
import type { FolderRouter } from '../folderRegistry';
import type { FolderServices } from '../folderServices';
import { registerCommand } from './registerCommand';

export interface LoopCommandDeps {
  /** Each folder runs its own loop: a command acts on the folder it names, or the one the user picks. */
  readonly router: FolderRouter;
  /** Whether the control panel is on screen (a preview is written to the output channel when it is not). */
  readonly isPanelVisible: () => boolean;
}

/**
 * Start/Pause Loop, Run One Tick, Preview Next Tick, Merge Pull Request, Open Pull Request and Approve
 * Workflow Runs. The panel's buttons and the tree's menus run these same commands. Each refuses to act in
 * Restricted Mode (registerCommand), and says why when no loop runs in this workspace.
 */
export function registerLoopCommands(deps: LoopCommandDeps): vscode.Disposable[] {
  const { router } = deps;
  // Notifications show plain text: a reason's code ticks (`ato.merge.auto`) are dropped, not shown.
  const redact = (text: string): string => plainText(router.shared.redactor.redact(text));
  // The loop engine's controller, or undefined where no loop runs (the command then says why).
  const controller = (folder: FolderServices): LoopController | undefined => {
    const found = folder.loop.controller;
    if (found === undefined) void vscode.window.showWarningMessage(redact(`ATO: ${loopNotRunningMessage(folder.services)}`));
    return found;
  };

  return [
    registerCommand(router, commandIds.startLoop, { mutates: true }, folder => {
      controller(folder)?.start();
      return Promise.resolve();
    }),
    registerCommand(router, commandIds.pauseLoop, { mutates: true }, folder => {
      controller(folder)?.pause();
      return Promise.resolve();
    }),
    registerCommand(router, commandIds.runTick, { mutates: true }, async folder => {
      const { services } = folder;
      const loop = controller(folder);
      if (loop === undefined) return;
      const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'ATO: running one tick…' }, () => loop.tickNow());
      const summary = summarizeTickReport(report);
      const text = redact(summary.text);
      services.log.info('tick: %s (%d requests, %d rate-limit points)', text, report.requests, report.points);
      const shown = summary.failed ? vscode.window.showWarningMessage(`ATO tick: ${text}`, 'Open Control Panel') : vscode.window.showInformationMessage(`ATO tick: ${text}`, 'Open Control Panel');
      void shown.then(choice => {
        if (choice !== undefined) void vscode.commands.executeCommand(commandIds.openControlPanel);
      });
    }),
    registerCommand(router, commandIds.previewTick, { mutates: true }, async folder => {
      const { services } = folder;
      const loop = controller(folder);
      if (loop === undefined) return;
      const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'ATO: previewing the next tick…' }, () => loop.preview());
      // The plan is always on record; the panel shows it from the store.
      for (const line of describePlan(plan)) services.log.info('%s', redact(line));
      await vscode.commands.executeCommand(`${viewIds.controlPanel}.focus`);
      if (!deps.isPanelVisible()) services.channel.show(true);
    }),
    registerCommand(router, commandIds.mergePullRequest, { mutates: true }, async (folder, target?: unknown) => {
      const { services } = folder;
      const loop = controller(folder);
      if (loop === undefined) return;
      const pullNumber = pullNumberOf(target) ?? await pickReadyPullRequest(services);
      if (pullNumber === undefined) return;
      // Every merge (panel, tree, notification, palette) asks first; cancel does nothing. The merge re-checks the policy.
      const confirmation = mergeConfirmation(services.store.state.loop, pullNumber, services.workspace.settings['merge.method']);
      const choice = await vscode.window.showWarningMessage(redact(confirmation.message), { modal: true, detail: redact(confirmation.detail) }, confirmation.confirm);
      if (choice !== confirmation.confirm) {
        services.log.info('merge PR #%d: cancelled', pullNumber);
        return;
      }
      const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ATO: merging PR #${pullNumber}…` }, () => loop.mergeNow(pullNumber));
      const message = redact(outcome.message);
      services.log.info('merge PR #%d: %s %s', pullNumber, outcome.result, message);
      if (outcome.result === 'done') void vscode.window.showInformationMessage(`ATO: merged PR #${pullNumber}.${message === '' ? '' : ` ${message}`}`);
      else void vscode.window.showWarningMessage(`ATO: PR #${pullNumber} was not merged (${outcome.result}): ${message}`);
    }),
    registerCommand(router, commandIds.openPullRequest, { mutates: false }, async (folder, target?: unknown) => {
      const { services } = folder;
      const pullNumber = pullNumberOf(target);
      const url = pullNumber === undefined ? urlOf(target) : pullRequestUrl(services.store.state.loop, pullNumber);
      await openKnown(services, url, pullNumber === undefined ? 'this link' : `PR #${pullNumber}`);
    }),
    registerCommand(router, commandIds.approveWorkflowRuns, { mutates: false }, async (folder, target?: unknown) => {
      const { services } = folder;
      const pullNumber = pullNumberOf(target) ?? await pickAwaitingApproval(services);
      if (pullNumber === undefined) return;
      await openKnown(services, pullRequestChecksUrl(services.store.state.loop, pullNumber), `PR #${pullNumber}`);
    }),
    registerCommand(router, commandIds.queueDraft, { mutates: true }, async (folder, target?: unknown) => {
      const { services } = folder;
      const loop = controller(folder);
      if (loop === undefined) return;
      const path = draftPathOf(target) ?? await pickDraft(services);
      if (path === undefined) return;
      const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ATO: queueing ${path}…` }, () => loop.queueDraft(path));
      const message = redact(outcome.message);
      services.log.info('queue draft %s: %s %s', path, outcome.result, message);
      if (outcome.result === 'failed') void vscode.window.showWarningMessage(`ATO: ${message}`);
      else void vscode.window.showInformationMessage(`ATO: ${message}`);
    }),
    registerCommand(router, commandIds.adoptIssues, { mutates: true }, async folder => {
      const { services } = folder;
      const loop = controller(folder);
      if (loop === undefined) return;
      const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'ATO: looking for issues made by hand…' }, () => loop.adoptIssues(true));
      const issues = found.report?.adopted ?? [];
      if (issues.length === 0) {
        void vscode.window.showInformationMessage(`ATO: ${redact(found.message)}`);
        return;
      }
      const detail = issues.map(issue => `#${String(issue.issueNumber)} "${issue.title}" → ${issue.work}`).join('\n');
      const choice = await vscode.window.showInformationMessage(`ATO: ${redact(found.message)}`, { modal: true, detail: redact(`ATO labels each one and adds its marker, so no queued task gets a second issue:\n${detail}`) }, 'Adopt');
      if (choice !== 'Adopt') return;
      const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'ATO: adopting issues…' }, () => loop.adoptIssues(false));
      const message = redact(outcome.message);
      services.log.info('adopt issues: %s %s', outcome.result, message);
      if (outcome.report === undefined) void vscode.window.showWarningMessage(`ATO: ${message}`);
      else void vscode.window.showInformationMessage(`ATO: ${message}`);
    }),
  ];
}

/** A draft's path from a tree row (`ref`) or a plain string argument. */
function draftPathOf(target: unknown): string | undefined {
  if (typeof target === 'string' && target !== '') return target;
  if (typeof target === 'object' && target !== null && 'ref' in target && typeof target.ref === 'string') return target.ref;
  return undefined;
}

async function pickDraft(services: AtoServices): Promise<string | undefined> {
  const drafts = services.store.state.loop.drafts.filter(draft => draft.valid);
  if (drafts.length === 0) {
    void vscode.window.showInformationMessage('ATO: no local draft to queue. Task files in pending/ that the planning branch does not have show up here after a tick or a preview.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(drafts.map(draft => ({ label: draft.title, description: draft.path, path: draft.path })), { title: 'ATO: Queue a Local Draft', placeHolder: 'Commits the task file to pending/ on the planning branch' });
  return picked?.path;
}

/** "The planning loop is not running in this workspace: <why>". */
export function loopNotRunningMessage(services: AtoServices): string {
  return `The planning loop is not running in this workspace: ${loopUnavailableReason(services.store.state)}`;
}

/** Opens a link in the browser, if it is one the loop's state holds; anything else is refused and logged. */
async function openKnown(services: AtoServices, url: string | undefined, what: string): Promise<void> {
  if (url === undefined) {
    void vscode.window.showInformationMessage(`ATO has no link to ${what}: the loop has not reported it.`);
    return;
  }
  // The loop's links, and the pages of the planning branch's task files that the working tree lacks (issue 14).
  if (!isExternalUrl(url) || !(loopUrls(services.store.state.loop).has(url) || isNotInCheckoutUrl(services.store.state, url))) {
    services.log.warn('refused to open a link the loop does not know: %s', url);
    void vscode.window.showWarningMessage('ATO opens only the GitHub links the loop has reported.');
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(url, true));
}

async function pickReadyPullRequest(services: AtoServices): Promise<number | undefined> {
  const ready = services.store.state.loop.needsYou.filter(item => item.kind === 'readyToMerge' && pullNumberOf(item.pullNumber) !== undefined);
  if (ready.length === 0) {
    void vscode.window.showInformationMessage('ATO: no pull request is ready to merge. The loop lists ready PRs under "Needs you" once its merge policy passes.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    ready.map(item => ({ label: `#${String(item.pullNumber)} ${item.title}`, detail: item.detail, pullNumber: item.pullNumber })),
    { title: 'ATO: Merge a Ready Pull Request', placeHolder: 'The merge re-checks the policy at the PR\'s current head' },
  );
  return picked?.pullNumber;
}

async function pickAwaitingApproval(services: AtoServices): Promise<number | undefined> {
  const waiting = services.store.state.loop.needsYou.filter(item => item.kind === 'workflowsAwaitingApproval' && pullNumberOf(item.pullNumber) !== undefined);
  if (waiting.length === 0) {
    void vscode.window.showInformationMessage('ATO: no pull request has workflow runs waiting for approval.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    waiting.map(item => ({ label: `#${String(item.pullNumber)} ${item.title}`, detail: item.detail, pullNumber: item.pullNumber })),
    { title: 'ATO: Approve Workflow Runs (opens the PR\'s checks on GitHub)' },
  );
  return picked?.pullNumber;
}
