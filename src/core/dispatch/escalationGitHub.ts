import { createGitHubPort } from '../forges/github/githubAdapter';
import { workspaceGitHubRemote } from '../forges/github/githubHosts';
import type { GitHubTokenLookup } from '../forges/github/githubToken';
import type { GitHubRetryOptions } from '../forges/github/octokitFactory';
import type { Logger } from '../logging/logger';
import type { Redactor } from '../logging/redactor';
import type { AtoSettings } from '../settings/settings';
import type { EscalationIssuePort } from './escalation';

export interface EscalationGitHubSetup {
  readonly workspaceRoot: string;
  readonly settings: Pick<AtoSettings, 'runs.escalationIssue' | 'github.apiUrl' | 'network.timeoutSeconds'>;
  /** The token issued for the remote's GitHub, as the loop asks for it (never a token for another host). */
  readonly token: GitHubTokenLookup;
  readonly enterpriseUri?: string | undefined;
  readonly log: Logger;
  readonly redactor: Redactor;
  readonly userAgent: string;
  readonly retry?: GitHubRetryOptions;
}

/**
 * Where escalation issues go: `origin`'s GitHub, found and signed in to as the loop does it, built once on
 * the first escalation — or nothing (with the reason in the log) when `ato.runs.escalationIssue` is off,
 * there is no GitHub remote, or no token for its host.
 */
export function escalationIssuePort(setup: EscalationGitHubSetup): (() => Promise<EscalationIssuePort | undefined>) | undefined {
  if (!setup.settings['runs.escalationIssue']) return undefined;
  let port: Promise<EscalationIssuePort | undefined> | undefined;
  return () => {
    // A failure (the network) is not kept: the next escalation tries again.
    port ??= connect(setup).catch((error: unknown) => {
      port = undefined;
      throw error;
    });
    return port;
  };
}

async function connect(setup: EscalationGitHubSetup): Promise<EscalationIssuePort | undefined> {
  const remote = await workspaceGitHubRemote(setup.workspaceRoot, { apiUrl: setup.settings['github.apiUrl'], enterpriseUri: setup.enterpriseUri });
  if (remote.kind !== 'github') {
    setup.log.warn('no escalation issue: %s', remote.kind === 'noRemote' ? 'this repository has no `origin` remote' : remote.reason);
    return undefined;
  }
  const token = await setup.token(remote.endpoint);
  if (token === undefined) {
    setup.log.warn('no escalation issue: no GitHub token for %s', remote.endpoint.webHost);
    return undefined;
  }
  return createGitHubPort({
    repo: { owner: remote.owner, name: remote.name, apiUrl: remote.endpoint.apiUrl },
    token,
    timeoutMs: setup.settings['network.timeoutSeconds'] * 1000,
    log: setup.log,
    redactor: setup.redactor,
    userAgent: setup.userAgent,
    ...(setup.retry === undefined ? {} : { retry: setup.retry }),
  });
}
