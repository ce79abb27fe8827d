import type { AtoSettings } from '../../settings/settings';
import type { AgentBackend } from '../agentBackend';
import { ClaudeCodeBackend } from '../claudeCode/claudeCodeBackend';
import { CustomCliBackend } from '../custom/customCliBackend';
import { readCustomAgents } from '../custom/customAgentSettings';

export interface ConfiguredAgents {
  readonly agents: readonly AgentBackend[];
  /** Rejected `ato.agents.custom` entries, one message each. */
  readonly problems: readonly string[];
}

/** What the user allowed for this workspace, outside the settings a repository could carry. */
export interface WorkspaceAllowances {
  /** Claude Code may start the worktree's `.mcp.json` servers (see projectMcpServers.ts). */
  readonly projectMcpServers: boolean;
}

/**
 * The local agents the settings declare: Claude Code (always; its health says whether it can run) and
 * every valid custom CLI agent. The Anthropic key, when set, is the only secret Claude Code receives; a
 * non-default API URL (a proxy, or the test fake) is passed along with it.
 */
export function configuredAgents(settings: AtoSettings, anthropicKey: string | undefined, allowances: WorkspaceAllowances): ConfiguredAgents {
  const env: Record<string, string> = {};
  if (anthropicKey !== undefined) env['ANTHROPIC_API_KEY'] = anthropicKey;
  if (settings['anthropic.apiUrl'] !== 'https://api.anthropic.com') env['ANTHROPIC_BASE_URL'] = settings['anthropic.apiUrl'];
  const claude = new ClaudeCodeBackend({
    executable: settings['agents.claudeCode.executable'],
    maxTurns: settings['agents.claudeCode.maxTurns'],
    concurrent: settings['agents.claudeCode.concurrent'],
    ...(settings['agents.claudeCode.model'] === '' ? {} : { model: settings['agents.claudeCode.model'] }),
    ...(settings['agents.claudeCode.maxBudgetUsd'] > 0 ? { maxBudgetUsd: settings['agents.claudeCode.maxBudgetUsd'] } : {}),
    projectMcpServers: allowances.projectMcpServers,
    env,
  });
  const custom = readCustomAgents(settings['agents.custom']);
  return { agents: [claude, ...custom.agents.map(entry => new CustomCliBackend(entry))], problems: custom.problems };
}
