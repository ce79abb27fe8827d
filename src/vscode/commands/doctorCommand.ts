import * as vscode from 'vscode';
import { hostAgents } from '../../core/agents/fleet/hostAgents';
import { checkConnections, githubProbeTarget } from '../../core/doctor/connectionCheck';
import { githubTokenFor } from '../../core/forges/github/githubToken';
import { checkLocalTools } from '../../core/doctor/localChecks';
import { renderDoctorReport } from '../../core/doctor/doctorReport';
import { RunStore } from '../../core/runs/runStore';
import { secretIds, type SecretId } from '../../core/secrets/secrets';
import type { FolderRouter } from '../folderRegistry';
import { projectMcpServersAllowed } from '../projectMcpServersChoice';
import { commandIds } from '../../core/views/commandIds';
import { readGitHubEnterpriseUri } from '../settingsAdapter';
import { registerCommand } from './registerCommand';

/** `ATO: Doctor` — a readable report of the environment, the workspace, settings, keys and connections. */
export function registerDoctorCommand(router: FolderRouter): vscode.Disposable[] {
  return [
    registerCommand(router, commandIds.doctor, { mutates: false }, async ({ services }) => {
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'ATO: checking the set-up…' },
        async () => {
          await services.workspace.refresh();
          const settings = services.workspace.settings;
          const keys = Object.fromEntries(await Promise.all(secretIds.map(async id => [id, await services.secrets.has(id)] as const))) as Record<SecretId, boolean>;
          // In Restricted Mode ATO sends no request, so the report stops short of the connections.
          const trusted = vscode.workspace.isTrusted;
          const hosts = { apiUrl: settings['github.apiUrl'], enterpriseUri: readGitHubEnterpriseUri() };
          const secrets = services.secrets;
          const github = async () => githubProbeTarget(services.workspace.workspaceRoot, hosts, endpoint => githubTokenFor(endpoint, hosts, { configured: () => secrets.get('github.token'), session: provider => secrets.githubSessionToken(provider) }));
          const connections = trusted ? await checkConnections({ settings, secrets, github: await github(), fetch: globalThis.fetch }) : [];
          const root = services.workspace.workspaceRoot;
          const agents = await hostAgents({ settings, secrets, workspaceRoot: root, log: services.log, allowances: { projectMcpServers: projectMcpServersAllowed(services.workspaceState) }, remote: { jules: true } });
          const tools = trusted ? await checkLocalTools(services.workspace.workspaceRoot, agents.agents) : [];
          const listed = trusted ? await new RunStore({ workspaceRoot: root, redactor: services.redactor }).list() : undefined;
          for (const result of connections) {
            if (result.outcome === 'failed') services.log.warn('doctor: %s at %s failed: %s', result.service, result.url, result.detail);
          }
          await services.workspace.record({ kind: 'doctor.ran', connections: connections.map(({ service, outcome, detail }) => ({ service, outcome, detail })) });
          return renderDoctorReport({
            atoVersion: services.extensionVersion,
            host: `${vscode.env.appName} ${vscode.version}`,
            nodeVersion: process.version,
            platform: `${process.platform}-${process.arch}`,
            state: services.store.state,
            keys,
            connections,
            tools,
            agentProblems: agents.problems,
            ...(listed === undefined ? {} : { runRecords: { readable: listed.records.length, problems: listed.problems } }),
          });
        },
      );
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: services.redactor.redact(report) });
      await vscode.window.showTextDocument(document, { preview: true });
    }),
  ];
}
