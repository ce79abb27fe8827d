/**
 * Whether Claude Code may start the MCP servers of the repository's `.mcp.json` (for tasks that may change
 * the repository; never for read-only ones). Off unless the user says so for this workspace: VS Code keeps
 * the choice in the workspace's state (set by a command, not a setting a cloned `.vscode/settings.json`
 * could carry), the CLI takes it from this environment variable.
 */
export const projectMcpServersVariable = 'ATO_CLAUDE_PROJECT_MCP_SERVERS';

/** The key of the choice in VS Code's workspace state. */
export const projectMcpServersStateKey = 'ato.claudeCode.projectMcpServers';

/** `1`/`true`/`yes`/`on` (any case) allow; anything else, or nothing, does not. */
export function projectMcpServersAllowed(env: Readonly<Record<string, string | undefined>>): boolean {
  return ['1', 'true', 'yes', 'on'].includes((env[projectMcpServersVariable] ?? '').trim().toLowerCase());
}
