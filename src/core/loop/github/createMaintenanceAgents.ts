import type { AgentBackend } from '../../agents/agentBackend';
import { JulesClient } from '../../agents/jules/julesClient';
import type { FleetRuns } from '../../dispatch/fleetRuns';
import type { GitHubPort } from '../../forges/github/githubPort';
import { pushWithToken } from '../../git/tokenPush';
import type { Logger } from '../../logging/logger';
import type { Redactor } from '../../logging/redactor';
import type { AtoSettings } from '../../settings/settings';
import type { FollowUpRequest } from '../tracks/maintenance/maintenanceAgents';
import { DraftAnalysis } from './draftAnalysis';
import { JulesFollowUps, type JulesMessaging } from './julesFollowUps';
import { LocalFollowUps } from './localFollowUps';
import { GitHubMaintenanceAgents } from './maintenanceAgentsImpl';

export interface MaintenanceAgentsSetup {
  readonly workspaceRoot: string;
  readonly settings: AtoSettings;
  /**
   * Where ATO pushes: the remote's URL built from the GitHub endpoint the token was issued for (as
   * createGitHubLoop builds `pushUrl`), never read from `origin`.
   */
  readonly pushUrl: string;
  readonly token: string;
  /** The loop's fleet (createGitHubLoop's `fleetRuns`): one limit, one ledger, one RunStore. */
  readonly fleetRuns: () => Promise<FleetRuns>;
  /** The configured agents (the registry's): local ones run follow-ups, `claude`/`claude-code` analyse drafts, `jules` names Jules sessions. */
  readonly agents: () => readonly AgentBackend[];
  /** The Jules key (SecretStorage, or `ATO_JULES_API_KEY`); undefined: none set. */
  readonly julesApiKey?: () => Promise<string | undefined>;
  /** The forge: whether a PR is the Copilot bot's (its branch may take a rebased force-push). */
  readonly port?: Pick<GitHubPort, 'getPullRequest'>;
  /** PRs ATO's Jules sessions reported (LoopTaskRuns.reportedPullRequests): their branches are an agent's. */
  readonly reportedPullRequests?: () => Promise<ReadonlyMap<number, string>>;
  readonly redactor: Redactor;
  readonly log: Logger;
  readonly now?: () => Date;
  readonly checkpoint?: (name: string) => void | Promise<void>;
  /** A local follow-up ended (wake the loop). */
  readonly onSettled?: (pullNumber: number) => void;
  /** Overrides the default rule of whose branch a rebase may force-push (tests; a forge with other agents). */
  readonly mayForcePush?: (request: FollowUpRequest) => Promise<boolean>;
}

/** Branches ATO's own local runs push (`ato/<task>`, `ato-work/…`). */
const atoBranch = /^ato(?:-work)?\//;

/**
 * Builds the maintenance track's agents from what createGitHubLoop already has: its fleet, the push URL and
 * token (pushWithToken: the token only to that host), the configured agents and the Jules key. The
 * composition root calls it next to createGitHubLoop and hands the result to the maintenance track.
 */
export function createMaintenanceAgents(setup: MaintenanceAgentsSetup): GitHubMaintenanceAgents {
  const { settings, workspaceRoot } = setup;
  const now = setup.now ?? (() => new Date());
  const checkpoint = setup.checkpoint ?? (() => undefined);
  const agents = (): readonly AgentBackend[] => setup.agents();
  const mayForcePush = setup.mayForcePush ?? (async (request: FollowUpRequest): Promise<boolean> => {
    if (atoBranch.test(request.headRef)) return true;
    if ((await setup.reportedPullRequests?.())?.get(request.pullNumber) === request.headRef) return true;
    const pull = await setup.port?.getPullRequest(request.pullNumber);
    return pull !== undefined && !pull.isCrossRepository && pull.headRefName === request.headRef && pull.author.isBot && pull.author.login.replace(/\[bot\]$/, '').toLowerCase() === 'copilot-swe-agent';
  });
  const local = new LocalFollowUps({
    workspaceRoot,
    fleetRuns: setup.fleetRuns,
    agent: agentId => agents().find(agent => agent.id === agentId && agent.needsWorktree),
    push: (cwd, branch, lease) => pushWithToken({ cwd, remoteUrl: setup.pushUrl, source: 'HEAD', branch, token: setup.token, ...(lease === undefined ? {} : { forceWithLease: lease }) }),
    mayForcePush,
    holdsSecret: text => setup.redactor.redact(text) !== text,
    timeoutMs: settings['agents.timeoutMinutes'] * 60_000,
    defaultBudgetUsd: settings['runs.defaultBudgetUsd'],
    log: setup.log,
    now,
    checkpoint,
    ...(setup.onSettled === undefined ? {} : { onSettled: setup.onSettled }),
  });
  let client: { readonly key: string; readonly client: JulesClient } | undefined;
  const jules = async (): Promise<JulesMessaging | undefined> => {
    const key = (await setup.julesApiKey?.())?.trim() ?? '';
    if (key === '') return undefined;
    if (client?.key !== key) client = { key, client: new JulesClient({ apiUrl: settings['jules.apiUrl'], apiKey: key, timeoutMs: settings['network.timeoutSeconds'] * 1000, now: () => now().getTime() }) };
    return client.client;
  };
  const julesFollowUps = new JulesFollowUps({
    runs: async () => (await setup.fleetRuns()).runs,
    jules,
    julesAgentIds: ['jules', ...agents().filter(agent => agent.kind === 'jules').map(agent => agent.id)],
  });
  const drafts = new DraftAnalysis({
    workspaceRoot,
    claude: () => agents().find(agent => agent.kind === 'claude'),
    claudeCode: () => agents().find(agent => agent.kind === 'claude-code'),
    redact: text => setup.redactor.redact(text),
    timeoutMs: settings['agents.timeoutMinutes'] * 60_000,
    log: setup.log,
    now,
  });
  return new GitHubMaintenanceAgents({ local, jules: julesFollowUps, drafts });
}
