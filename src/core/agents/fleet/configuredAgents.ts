import type { AtoSettings } from '../../settings/settings';
import type { AgentBackend } from '../agentBackend';
import { ClaudeApiBackend } from '../claude/claudeApiBackend';
import { ClaudeCodeBackend } from '../claudeCode/claudeCodeBackend';
import { CustomCliBackend } from '../custom/customCliBackend';
import { readCustomAgents } from '../custom/customAgentSettings';
import { configuredJules, type JulesInputs } from '../jules/configuredJules';

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
 * The agents the settings declare: Claude Code (always; its health says whether it can run), `claude` (the
 * Messages API, unless `ato.agents.claude.enabled` is off), every valid custom CLI agent, and `jules` when it
 * is enabled and its key is set (`jules`: the key, the workspace, a log). The Anthropic key, when set, is the
 * only secret Claude Code receives, and `claude` sends it only to `ato.anthropic.apiUrl`; a non-default API
 * URL (a proxy, or the test fake) is passed along with it.
 */
export function configuredAgents(settings: AtoSettings, anthropicKey: string | undefined, allowances: WorkspaceAllowances, jules?: JulesInputs): ConfiguredAgents {
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
  // The Messages API for read-only work; without a key it is listed, unhealthy, and says how to add one.
  const api = settings['agents.claude.enabled']
    ? [new ClaudeApiBackend({ apiKey: anthropicKey, apiUrl: settings['anthropic.apiUrl'], model: settings['agents.claude.model'], maxTokens: settings['agents.claude.maxTokens'], concurrent: settings['agents.claude.concurrent'] })]
    : [];
  const custom = readCustomAgents(settings['agents.custom']);
  const julesAgent = configuredJules(settings, jules);
  return { agents: [claude, ...api, ...custom.agents.map(entry => new CustomCliBackend(entry)), ...(julesAgent === undefined ? [] : [julesAgent])], problems: custom.problems };
}
