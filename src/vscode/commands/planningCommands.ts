import * as vscode from 'vscode';
import { initializePlanningFolder } from '../../core/planning/planningFolder';
import { planningLayout } from '../../core/planning/planningLayout';
import type { AtoServices } from '../atoServices';
import { commandIds } from '../../core/views/commandIds';
import { registerCommand } from './registerCommand';

export function registerPlanningCommands(services: AtoServices): vscode.Disposable[] {
  return [
    registerCommand(services, commandIds.initPlanningFolder, { mutates: true }, async () => {
      const planningRoot = services.workspace.planningRoot;
      if (planningRoot === undefined) {
        void vscode.window.showWarningMessage('Open a folder first: the planning folder lives in the workspace.');
        return;
      }
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
