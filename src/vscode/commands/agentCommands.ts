import * as vscode from 'vscode';
import { commandIds, workbenchCommands } from '../../core/views/commandIds';
import type { AtoServices } from '../atoServices';
import type { FolderRouter } from '../folderRegistry';
import { registerCommand } from './registerCommand';

/** Test Agent (Doctor's check for one agent) and Configure Agent (its setting), from the panel, the tree or the palette. */
export function registerAgentCommands(router: FolderRouter): vscode.Disposable[] {
  return [
    registerCommand(router, commandIds.testAgent, { mutates: true }, async ({ services, runs }, target?: unknown) => {
      const agentId = agentIdOf(target) ?? (await pickAgent(services, 'ATO: Test Agent'));
      if (agentId === undefined) return undefined;
      const check = await runs.agents.test(agentId);
      if (check === undefined) {
        void vscode.window.showWarningMessage(services.redactor.redact(`ATO: no agent "${agentId}" is configured (is the queue ready?).`));
        return undefined;
      }
      const message = services.redactor.redact(`ATO: ${check.name}: ${check.detail}`);
      services.log.info('test %s: %s', agentId, message);
      if (check.ok) void vscode.window.showInformationMessage(message);
      else void vscode.window.showWarningMessage(message);
      return { ok: check.ok, detail: services.redactor.redact(check.detail) };
    }),
    registerCommand(router, commandIds.configureAgent, { mutates: false }, async ({ services }, target?: unknown) => {
      const agentId = agentIdOf(target) ?? (await pickAgent(services, 'ATO: Configure Agent'));
      const agent = services.store.state.agents.find(known => known.id === agentId);
      // An agent ATO does not know yet still has settings: open them all.
      await vscode.commands.executeCommand(workbenchCommands.openSettings, agent?.settingId ?? 'ato.agents');
      return undefined;
    }),
  ];
}

/** An agent id, or a tree row whose `ref` is one. */
function agentIdOf(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (typeof target === 'object' && target !== null && 'ref' in target && typeof target.ref === 'string') return target.ref;
  return undefined;
}

async function pickAgent(services: AtoServices, title: string): Promise<string | undefined> {
  const agents = services.store.state.agents;
  if (agents.length === 0) {
    void vscode.window.showInformationMessage('ATO: no agent is configured yet (the agents appear once the queue is ready).');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(agents.map(agent => ({ label: agent.id, description: `${agent.kind} · ${agent.health.state}`, id: agent.id })), { title });
  return picked?.id;
}
