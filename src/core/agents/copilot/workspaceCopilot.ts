import { createGitHubPort } from '../../forges/github/githubAdapter';
import { workspaceGitHubRemote } from '../../forges/github/githubHosts';
import type { GitHubTokenLookup } from '../../forges/github/githubToken';
import type { GitHubRetryOptions } from '../../forges/github/octokitFactory';
import type { Logger } from '../../logging/logger';
import type { Redactor } from '../../logging/redactor';
import { defaultBranch } from '../../loop/github/createGitHubLoop';
import type { AtoSettings } from '../../settings/settings';
import { CopilotBackend } from './copilotBackend';
import type { CopilotGitHubPort } from './copilotGitHub';
import type { WaitIntervals } from './copilotWaiter';

export interface WorkspaceCopilotSetup {
  readonly workspaceRoot: string;
  readonly settings: AtoSettings;
  /** The token issued for the remote's GitHub (githubTokenFor, or the CLI's headless lookup). */
  readonly token: GitHubTokenLookup;
  readonly enterpriseUri?: string | undefined;
  readonly log: Logger;
  readonly redactor: Redactor;
  readonly userAgent: string;
  readonly now?: () => Date;
  readonly retry?: GitHubRetryOptions;
  /** How often a run's issue and PR are read while waiting; tests shrink it. */
  readonly waitIntervals?: WaitIntervals;
}

/**
 * The Copilot coding agent for the task files of local mode (a task with `agent: copilot`): the same backend
 * the loop hands issues to, on this workspace's GitHub `origin`, through the same owner of the task's issue.
 * Nothing is asked of GitHub until the agent is checked or dispatched; without a GitHub remote or a token
 * its health says why (and the dispatcher leaves the task pending).
 */
export function workspaceCopilotBackend(setup: WorkspaceCopilotSetup): CopilotBackend {
  let connection: Promise<{ readonly port: CopilotGitHubPort; readonly branch: string }> | undefined;
  const connect = (): Promise<{ readonly port: CopilotGitHubPort; readonly branch: string }> => {
    connection ??= open(setup).catch((error: unknown) => {
      connection = undefined;
      throw error;
    });
    return connection;
  };
  return new CopilotBackend({
    port: async () => (await connect()).port,
    baseBranch: async () => (await connect()).branch,
    customInstructions: setup.settings['loop.copilotInstructions'],
    log: setup.log,
    now: setup.now ?? (() => new Date()),
    ...(setup.waitIntervals === undefined ? {} : { waitIntervals: setup.waitIntervals }),
  });
}

async function open(setup: WorkspaceCopilotSetup): Promise<{ readonly port: CopilotGitHubPort; readonly branch: string }> {
  const { settings } = setup;
  const remote = await workspaceGitHubRemote(setup.workspaceRoot, { apiUrl: settings['github.apiUrl'], enterpriseUri: setup.enterpriseUri });
  if (remote.kind === 'noRemote') throw new Error('this repository has no `origin` remote on GitHub for Copilot to work on');
  if (remote.kind === 'notGitHub') throw new Error(remote.reason);
  const token = await setup.token(remote.endpoint);
  if (token === undefined) throw new Error(`no GitHub token for ${remote.endpoint.webHost}: sign in to GitHub (headless: ATO_GITHUB_TOKEN)`);
  const now = setup.now ?? (() => new Date());
  const port = await createGitHubPort({
    repo: { owner: remote.owner, name: remote.name, apiUrl: remote.endpoint.apiUrl },
    token,
    timeoutMs: settings['network.timeoutSeconds'] * 1000,
    log: setup.log,
    redactor: setup.redactor,
    userAgent: setup.userAgent,
    now: () => now().getTime(),
    ...(setup.retry === undefined ? {} : { retry: setup.retry }),
  });
  return { port, branch: await defaultBranch(setup.workspaceRoot) };
}
