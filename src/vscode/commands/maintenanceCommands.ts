import * as vscode from 'vscode';
import type { ActionOutcome, LoopController } from '../../core/loop/engine/loopModel';
import { commandIds } from '../../core/views/commandIds';
import { fixAgentChoices } from '../../core/views/fixAgentChoices';
import { pullNumberOf } from '../../core/views/loopCommandArgs';
import { plainText } from '../../shared/codeSpans';
import { attemptsText, pullCareLabels } from '../../shared/pullCare';
import type { AtoServices } from '../atoServices';
import type { FolderRouter } from '../folderRegistry';
import type { FolderServices } from '../folderServices';
import { loopNotRunningMessage } from './loopCommands';
import { registerCommand } from './registerCommand';

/**
 * "Fix now" and "Send to…" on a PR under care (issue 11), from the panel, the tree or the palette: the maintenance
 * track's fix request through `LoopController.fixPullRequest`, to the PR's authoring agent or to the agent picked
 * from the registry. The folder is the one the row (or the panel) names. Refused in Restricted Mode.
 */
export function registerMaintenanceCommands(router: FolderRouter): vscode.Disposable[] {
  const redact = (text: string): string => plainText(router.shared.redactor.redact(text));
  const controller = (folder: FolderServices): LoopController | undefined => {
    const found = folder.loop.controller;
    if (found === undefined) void vscode.window.showWarningMessage(redact(`ATO: ${loopNotRunningMessage(folder.services)}`));
    return found;
  };
  const fix = async (folder: FolderServices, loop: LoopController, pullNumber: number, agentId: string | undefined): Promise<ActionOutcome> => {
    const to = agentId ?? 'its agent';
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ATO: sending PR #${String(pullNumber)} to ${to}…` }, () => loop.fixPullRequest(pullNumber, agentId));
    const message = redact(outcome.message);
    folder.services.log.info('fix PR #%d (%s): %s %s', pullNumber, to, outcome.result, message);
    if (outcome.result === 'done') void vscode.window.showInformationMessage(`ATO: PR #${String(pullNumber)} sent to ${to}. ${message}`);
    else void vscode.window.showWarningMessage(`ATO: PR #${String(pullNumber)} was not sent (${outcome.result}): ${message}`);
    return outcome;
  };
  return [
    registerCommand(router, commandIds.fixPullRequest, { mutates: true }, async (folder, target?: unknown) => {
      const loop = controller(folder);
      if (loop === undefined) return undefined;
      const pullNumber = pullNumberOf(target) ?? await pickPullRequest(folder.services, 'ATO: Fix Pull Request Now');
      if (pullNumber === undefined) return undefined;
      return fix(folder, loop, pullNumber, undefined);
    }),
    registerCommand(router, commandIds.sendPullRequestTo, { mutates: true }, async (folder, target?: unknown, agent?: unknown) => {
      const loop = controller(folder);
      if (loop === undefined) return undefined;
      const pullNumber = pullNumberOf(target) ?? await pickPullRequest(folder.services, 'ATO: Send Pull Request to Agent');
      if (pullNumber === undefined) return undefined;
      const agentId = typeof agent === 'string' && agent !== '' ? agent : await pickFixAgent(folder.services, pullNumber);
      if (agentId === undefined) return undefined;
      return fix(folder, loop, pullNumber, agentId);
    }),
  ];
}

/** The PRs the list shows (red, fixing, out of attempts), to pick one from the palette. */
async function pickPullRequest(services: AtoServices, title: string): Promise<number | undefined> {
  const prs = services.store.state.loop.redPullRequests;
  if (prs.length === 0) {
    void vscode.window.showInformationMessage('ATO: no pull request is red or under care. Red PRs appear in the control panel after a tick.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(prs.map(pr => ({
    label: `#${String(pr.number)} ${plainText(services.redactor.redact(pr.title))}`,
    description: pr.care === undefined ? `${String(pr.failingChecks.length)} failing` : `${pullCareLabels[pr.care.state]} · ${attemptsText(pr.care.attempts, pr.care.maxAttempts)}`,
    pullNumber: pr.number,
  })), { title, placeHolder: 'Which pull request?' });
  return picked?.pullNumber;
}

/** The registry's agents that can take this PR's fix, the authoring one first. */
async function pickFixAgent(services: AtoServices, pullNumber: number): Promise<string | undefined> {
  const author = services.store.state.loop.redPullRequests.find(pr => pr.number === pullNumber)?.care?.author;
  const choices = fixAgentChoices(services.store.state.agents, author);
  if (choices.length === 0) {
    void vscode.window.showInformationMessage('ATO: no configured agent can take this fix (a local agent such as Claude Code can fix any PR; Copilot and Jules only their own).');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    choices.map(choice => ({ label: choice.id, description: services.redactor.redact(choice.description), id: choice.id })),
    { title: `ATO: Send PR #${String(pullNumber)} to…`, placeHolder: 'The agent gets the failing checks and the log excerpt' },
  );
  return picked?.id;
}
