import type { AgentSummary } from '../agents/fleet/agentSummary';
import type { PullAuthor } from '../loop/tracks/maintenance/maintenanceDecision';

/** One agent "Send to…" offers for a PR, and why it fits (or why it is offered last). */
export interface FixAgentChoice {
  readonly id: string;
  readonly kind: AgentSummary['kind'];
  /** "wrote this PR · ok", "local · commits to the PR's branch · failing: …". */
  readonly description: string;
  /** The authoring agent first; a failing one last. */
  readonly preferred: boolean;
}

/**
 * The agents that can take a fix for a PR (issue 11): a local agent (claude-code, a custom CLI) works in a
 * worktree on the PR's head branch, so it can fix any PR; Copilot answers an `@copilot` comment only on its own
 * PRs, and Jules only in the session that opened the PR. The API-only `claude` agent is read-only: it analyses,
 * never pushes. Pure.
 */
export function fixAgentChoices(agents: readonly AgentSummary[], author: PullAuthor | undefined): FixAgentChoice[] {
  const choices: FixAgentChoice[] = [];
  for (const agent of agents) {
    const fits = fitOf(agent.kind, author);
    if (fits === undefined) continue;
    const health = agent.health.state === 'failing' ? `failing: ${agent.health.detail}` : agent.health.state;
    const wrote = (agent.kind === 'copilot' && author === 'copilot') || (agent.kind === 'jules' && author === 'jules');
    choices.push({ id: agent.id, kind: agent.kind, description: `${wrote ? 'wrote this PR' : fits} · ${health}`, preferred: wrote && agent.health.state !== 'failing' });
  }
  const rank = (choice: FixAgentChoice): number => (choice.preferred ? 0 : 1) + (choice.description.includes('· failing:') ? 2 : 0);
  return choices.sort((a, b) => rank(a) - rank(b));
}

function fitOf(kind: AgentSummary['kind'], author: PullAuthor | undefined): string | undefined {
  switch (kind) {
    case 'claude-code':
    case 'custom':
      return 'local · commits to the PR\'s branch';
    case 'copilot':
      return author === 'copilot' ? 'wrote this PR' : undefined;
    case 'jules':
      return author === 'jules' ? 'wrote this PR' : undefined;
    case 'claude':
      return undefined;
  }
}
