import { join } from 'node:path';
import * as vscode from 'vscode';
import { initCi, type InitCiResult } from '../../core/ci/initCi';
import { ciSecrets, ciWorkflowPath } from '../../core/ci/ciWorkflow';
import { initializePlanningFolder } from '../../core/planning/planningFolder';
import { planningLayout } from '../../core/planning/planningLayout';
import type { FolderRouter } from '../folderRegistry';
import { commandIds } from '../../core/views/commandIds';
import { registerCommand } from './registerCommand';

/** `cliBundleDirectory`: the extension's `dist/` (cli.js and vendor/), which `ATO: Set Up CI` copies as `ato init-ci` does. */
export function registerPlanningCommands(router: FolderRouter, cliBundleDirectory: string): vscode.Disposable[] {
  return [
    registerCommand(router, commandIds.setUpCi, { mutates: true }, async ({ services }) => {
      const root = services.workspace.workspaceRoot;
      const setUp = (force: boolean): Promise<InitCiResult> => initCi({ workspaceRoot: root, cliBundleDirectory, atoVersion: services.extensionVersion, force });
      let result = await setUp(false);
      if (!result.written) {
        const differences = result.files.flatMap(file => (file.outcome === 'differs' ? [file.detail] : []));
        const replace = 'Replace';
        const choice = await vscode.window.showWarningMessage('ATO: the CI files differ from what this ATO writes. Replace them?', { modal: true, detail: differences.join('\n') }, replace);
        if (choice !== replace) return;
        result = await setUp(true);
      }
      await services.workspace.record({ kind: 'ci.setUp', files: result.files.map(file => ({ path: file.path, outcome: file.outcome })), defaultBranch: result.defaultBranch });
      await vscode.window.showTextDocument(vscode.Uri.file(join(root, ciWorkflowPath)), { preview: false });
      void vscode.window.showInformationMessage(`ATO: the loop's workflow is in ${ciWorkflowPath}. Commit it with .github/ato/ and set the repository secret ${ciSecrets[0]} (${ciSecrets.slice(1).join(', ')} optional).`);
    }),
    registerCommand(router, commandIds.initPlanningFolder, { mutates: true }, async ({ services }) => {
      const planningRoot = services.workspace.planningRoot;
      const { created } = await initializePlanningFolder(planningRoot);
      services.log.info('initialized the planning folder at %s: created %d entries', planningRoot, created.length);
      await services.workspace.record({ kind: 'planning.initialized', path: planningRoot, created: [...created] });
      await services.workspace.refresh();
      if (created.length === 0) {
        void vscode.window.showInformationMessage('The planning folder is already complete.');
        return;
      }
      const goal = vscode.Uri.file(`${planningRoot}/${planningLayout.goal}`);
      if (created.includes(planningLayout.goal)) await vscode.window.showTextDocument(goal, { preview: false });
      void vscode.window.showInformationMessage(`ATO: planning folder ready (${created.length} entries created). Describe your goal in ${planningLayout.goal}.`);
    }),
  ];
}
