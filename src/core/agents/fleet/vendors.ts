import type { AgentBackend } from '../agentBackend';

/** The vendors that bill and rate-limit more than one kind of agent; a custom agent is its own vendor. */
export const knownVendors = ['anthropic', 'github', 'google'] as const;

/**
 * Who bills and rate-limits an agent: Claude Code and the Claude API share Anthropic's window and budget,
 * Copilot is GitHub's, Jules Google's. A custom CLI agent is its own vendor, named by its id.
 */
export function vendorOf(agent: Pick<AgentBackend, 'id' | 'kind'>): string {
  switch (agent.kind) {
    case 'claude-code':
    case 'claude':
      return 'anthropic';
    case 'copilot':
      return 'github';
    case 'jules':
      return 'google';
    case 'custom':
      return agent.id;
  }
}
