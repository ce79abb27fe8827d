import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { githubTokenFor } from '../../core/forges/github/githubToken';
import { LandingError } from '../../core/runs/landing/landingError';
import { landingGitHub } from '../../core/runs/landing/landingGitHub';
import { landableRuns } from '../../core/runs/landing/landingTarget';
import { RunLanding, type LandingResult } from '../../core/runs/landing/runLanding';
import type { RunRecord } from '../../core/runs/runRecord';
import { RunStore } from '../../core/runs/runStore';
import { isWithin } from '../../core/util/pathContainment';
import { commandIds } from '../../core/views/commandIds';
import type { AtoServices } from '../atoServices';
import type { FolderRouter } from '../folderRegistry';
import type { RunService } from '../runService';
import { readGitHubEnterpriseUri } from '../settingsAdapter';
import { registerCommand } from './registerCommand';

/**
 * View Run Diff, Open Run Pull Request, Merge Run, Discard Run (issue 14): from a finished local run's tree
 * row, the panel's Runs section (a run id), or the palette (asks which run). Merge and Discard confirm in a
 * modal; the work is RunLanding's (src/core/runs/landing).
 */
export function registerRunLandingCommands(router: FolderRouter): vscode.Disposable[] {
  return [
    registerCommand(router, commandIds.viewRunDiff, { mutates: false }, ({ services, runs }, target?: unknown) => landingCommands(services, runs).viewDiff(target)),
    registerCommand(router, commandIds.openRunPullRequest, { mutates: true }, ({ services, runs }, target?: unknown) => landingCommands(services, runs).openPullRequest(target)),
    registerCommand(router, commandIds.mergeRun, { mutates: true }, ({ services, runs }, target?: unknown) => landingCommands(services, runs).merge(target)),
    registerCommand(router, commandIds.discardRun, { mutates: true }, ({ services, runs }, target?: unknown) => landingCommands(services, runs).discard(target)),
  ];
}

interface LandingCommands {
  viewDiff(target: unknown): Promise<void>;
  openPullRequest(target: unknown): Promise<void>;
  merge(target: unknown): Promise<void>;
  discard(target: unknown): Promise<void>;
}

/** One folder's landing commands (its runs, its remote, its secrets). */
function landingCommands(services: AtoServices, runs: RunService): LandingCommands {
  const landing = (): RunLanding => {
    const workspaceRoot = services.workspace.workspaceRoot;
    const settings = services.workspace.settings;
    const hosts = { apiUrl: settings['github.apiUrl'], enterpriseUri: readGitHubEnterpriseUri() };
    return new RunLanding({
      workspaceRoot,
      runs: new RunStore({ workspaceRoot, redactor: services.redactor }),
      forge: () => landingGitHub({
        workspaceRoot,
        settings,
        token: endpoint => githubTokenFor(endpoint, hosts, { configured: () => services.secrets.get('github.token'), session: provider => services.secrets.githubSessionToken(provider) }),
        enterpriseUri: hosts.enterpriseUri,
        log: services.log.scoped('landing'),
        redactor: services.redactor,
        userAgent: `ato-vscode/${services.extensionVersion}`,
      }),
    });
  };
  const pick = async (target: unknown, title: string): Promise<string | undefined> => {
    const given = runIdOf(target);
    if (given !== undefined) return given;
    const runsNow = services.store.state.runs;
    const landable = landableRuns(runsNow);
    const candidates = runsNow.filter(run => landable.has(run.runId));
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('ATO: no finished local run has a branch to land.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(candidates.map(run => ({ label: run.taskId, description: `${run.branch ?? ''} · ${run.agentId} · ${run.state}`, detail: run.summary?.split('\n').at(-1) ?? '', id: run.runId })), { title: `ATO: ${title}`, placeHolder: 'Which run?' });
    return picked?.id;
  };
  const act = async (target: unknown, title: string, work: (landing: RunLanding, runId: string) => Promise<LandingResult | undefined>): Promise<void> => {
    const runId = await pick(target, title);
    const tools = landing();
    if (runId === undefined) return;
    try {
      const result = await work(tools, runId);
      if (result === undefined) return;
      runs.noteRecord(result.record);
      const message = services.redactor.redact(`ATO: ${result.already ? 'already done: ' : ''}${result.message}.`);
      services.log.info('%s %s: %s', title, runId, message);
      if (result.kind === 'pullRequest') {
        const url = result.url;
        void vscode.window.showInformationMessage(message, 'Open Pull Request').then(choice => { if (choice !== undefined) void vscode.env.openExternal(vscode.Uri.parse(url)); });
      } else {
        void vscode.window.showInformationMessage(message);
      }
    } catch (error) {
      if (!LandingError.is(error)) throw error;
      void vscode.window.showWarningMessage(services.redactor.redact(`ATO: ${error.message}`));
    }
  };
  return {
    viewDiff: async (target: unknown) => {
      const runId = await pick(target, 'View Run Diff');
      const tools = landing();
      if (runId === undefined) return;
      try {
        await showDiff(tools, runId);
      } catch (error) {
        if (!LandingError.is(error)) throw error;
        void vscode.window.showWarningMessage(services.redactor.redact(`ATO: ${error.message}`));
      }
    },
    openPullRequest: (target: unknown) => act(target, 'Open Run Pull Request', async (tools, runId) => vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'ATO: pushing the branch and opening a pull request…' }, () => tools.pullRequest(runId))),
    merge: (target: unknown) => act(target, 'Merge Run', async (tools, runId) => {
      const record = known(services, runId);
      const choice = await vscode.window.showWarningMessage(`Merge ${record?.branch ?? `run ${runId}`} into the current branch?`, { modal: true, detail: 'ATO merges with git merge --no-ff. It refuses when tracked files have uncommitted changes, and a merge that conflicts is aborted: nothing is lost.' }, 'Merge');
      return choice === 'Merge' ? tools.merge(runId) : undefined;
    }),
    discard: (target: unknown) => act(target, 'Discard Run', async (tools, runId) => {
      const record = known(services, runId);
      const choice = await vscode.window.showWarningMessage(`Discard ${record?.branch ?? `run ${runId}`}?`, { modal: true, detail: 'ATO removes the run\'s worktree and deletes its branch with the agent\'s commits. The message afterwards names the commit it pointed at.' }, 'Discard');
      return choice === 'Discard' ? tools.discard(runId) : undefined;
    }),
  };
}

/** The changed files side by side in VS Code's multi-file diff editor: each side written to a temporary file. */
async function showDiff(tools: RunLanding, runId: string): Promise<void> {
  const diff = await tools.diff(runId);
  const branch = diff.record.branch ?? runId;
  if (diff.files.length === 0) {
    void vscode.window.showInformationMessage(`ATO: ${branch} changes nothing since ${diff.range.base.slice(0, 7)}.`);
    return;
  }
  const root = join(tmpdir(), 'ato-diff', runId);
  await rm(root, { recursive: true, force: true });
  const resources: [vscode.Uri, vscode.Uri, vscode.Uri][] = [];
  for (const file of diff.files) {
    const sides: vscode.Uri[] = [];
    for (const [side, commit] of [['base', diff.range.base], ['branch', diff.range.head]] as const) {
      const path = join(root, side, ...file.path.split('/'));
      if (!isWithin(join(root, side), path)) throw new LandingError('invalidRecord', `the diff names a path outside the repository: ${file.path}`);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, (await tools.fileAt(commit, file.path)) ?? '', { mode: 0o400 });
      sides.push(vscode.Uri.file(path));
    }
    const [before, after] = sides;
    if (before !== undefined && after !== undefined) resources.push([after, before, after]);
  }
  const title = `${branch} (${String(diff.files.length)} file${diff.files.length === 1 ? '' : 's'} since ${diff.range.base.slice(0, 7)})`;
  try {
    await vscode.commands.executeCommand('vscode.changes', title, resources);
  } catch {
    // A VS Code without the multi-file diff editor: one file at a time.
    const picked = await vscode.window.showQuickPick(diff.files.map((file, index) => ({ label: file.path, description: file.status, index })), { title: `ATO: ${title}` });
    const resource = picked === undefined ? undefined : resources[picked.index];
    if (resource !== undefined) await vscode.commands.executeCommand('vscode.diff', resource[1], resource[2], `${picked?.label ?? ''} (${branch})`);
  }
}

function known(services: AtoServices, runId: string): RunRecord | undefined {
  return services.store.state.runs.find(run => run.runId === runId);
}

/** A run id (the panel, an argument) or a tree row's model, whose `ref` is the run id. */
function runIdOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'ref' in value && typeof value.ref === 'string') return value.ref;
  return undefined;
}
