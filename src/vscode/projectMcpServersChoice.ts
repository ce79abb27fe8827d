import * as vscode from 'vscode';
import { projectMcpServersStateKey } from '../core/agents/claudeCode/projectMcpServers';

/**
 * The user's per-workspace choice whether Claude Code may start the repository's `.mcp.json` servers. Kept
 * in the workspace's state, which only this machine's user changes (a workspace setting would come with
 * the clone).
 */
export function projectMcpServersAllowed(workspaceState: vscode.Memento): boolean {
  return workspaceState.get<unknown>(projectMcpServersStateKey) === true;
}

/** Asks, with what allowing means; returns the new choice, or undefined when the user dismissed it. */
export async function chooseProjectMcpServers(workspaceState: vscode.Memento): Promise<boolean | undefined> {
  const allowed = projectMcpServersAllowed(workspaceState);
  const items = [
    { label: 'Allow in this workspace', detail: 'Claude Code starts the servers in the worktree\'s .mcp.json for tasks that may change the repository. They are programs from the repository and run with the agent\'s environment, your Anthropic key included.', allow: true },
    { label: 'Do not allow (default)', detail: 'Claude Code starts no MCP server of the repository. Read-only tasks never get one.', allow: false },
  ].map(item => ({ ...item, description: item.allow === allowed ? 'current' : '' }));
  const picked = await vscode.window.showQuickPick(items, { title: 'ATO: Project MCP Servers for Claude Code', placeHolder: 'May Claude Code start this repository\'s MCP servers?' });
  if (picked === undefined) return undefined;
  await workspaceState.update(projectMcpServersStateKey, picked.allow);
  return picked.allow;
}
