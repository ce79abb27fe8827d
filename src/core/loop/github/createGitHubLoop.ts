import type { AgentBackend } from '../../agents/agentBackend';
import { CopilotBackend } from '../../agents/copilot/copilotBackend';
import { taskTypes } from '../../tasks/taskTypes';
import type { EventInput } from '../../events/eventLog';
import { pushWithToken } from '../../git/tokenPush';
import { LoopAgentChooser } from '../tracks/planning/loopAgentChoice';
import { createGitHubPort } from '../../forges/github/githubAdapter';
import type { GitHubPort } from '../../forges/github/githubPort';
import type { GitHubRetryOptions } from '../../forges/github/octokitFactory';
import type { FetchFunction } from '../../forges/github/githubTransport';
import { workspaceGitHubRemote, type GitHubEndpoint } from '../../forges/github/githubHosts';
import type { GitHubTokenLookup } from '../../forges/github/githubToken';
import { runGit } from '../../git/git';
import type { Logger } from '../../logging/logger';
import type { Redactor } from '../../logging/redactor';
import type { AtoSettings } from '../../settings/settings';
import { IntentLog } from '../engine/intentLog';
import { LoopEngine, type LoopTimers } from '../engine/loopEngine';
import type { LoopState, MergePolicy } from '../engine/loopModel';
import { leaseSite, RemoteLease } from '../engine/remoteLease';
import { RemotePlanningSource } from '../tracks/planning/remotePlanningSource';
import { GitHubLoopBackend } from './githubLoopBackend';
import type { LoopAssignee } from './guardedActions';
import { LocalTaskRuns } from './localTaskRuns';
import { LoopTaskRuns } from './loopTaskRuns';
import { isRemoteLoopAgent, RemoteTaskRuns } from './remoteTaskRuns';
import { createFleetRuns } from '../../dispatch/dispatchRuntime';
import { fleetSettingsOf } from '../../agents/fleet/fleetSettings';
import { stallSettingsOf } from '../../dispatch/stallWatch';
import type { FleetRuns } from '../../dispatch/fleetRuns';
import type { MaintenanceAgents } from '../tracks/maintenance/maintenanceAgents';
import { createMaintenanceAgents } from './createMaintenanceAgents';

export interface GitHubLoopSetup {
  readonly workspaceRoot: string;
  readonly settings: AtoSettings;
  /**
   * The token issued for the remote's GitHub (githubTokenFor: VS Code's sign-in for that host, or the token
   * given to ATO when it is for that API); undefined = not signed in there.
   */
  readonly token: GitHubTokenLookup;
  /** VS Code's `github-enterprise.uri` at user scope; undefined headless. */
  readonly enterpriseUri?: string | undefined;
  readonly log: Logger;
  /** What the loop writes to GitHub passes it: it knows every key ATO read. */
  readonly redactor: Redactor;
  readonly appendEvent: (event: EventInput) => void;
  readonly updateLoop: (recipe: (loop: LoopState) => LoopState) => void;
  readonly trusted: () => boolean;
  readonly userAgent: string;
  readonly now?: () => Date;
  readonly timers?: LoopTimers;
  /** Who this loop is in the lease; default `<user>@<host>#<pid>`. */
  readonly holder?: string;
  /** Crash points, for tests. */
  readonly checkpoint?: (name: string) => void | Promise<void>;
  readonly localRuns?: () => number;
  /** The adapter's retries and request spacing; tests shrink the waits. Default: GitHub's recommendations. */
  readonly retry?: GitHubRetryOptions;
  /**
   * The configured local agents (configuredAgents: claude-code, custom CLIs): `ato.loop.agent` or a task's
   * `agent:` may hand a task to one; ATO then runs it, pushes `ato/<task-id>` and opens the PR. A remote agent
   * that opens its own PR (Jules) serves the loop too: ATO follows its session and links the PR. Default none.
   */
  readonly localAgents?: readonly AgentBackend[];
  /**
   * The fleet the loop's runs (a local agent's, a remote session's) take their slot and record from: the
   * task-file dispatcher's (one limit, one ledger, one cancel, one RunStore). Undefined, or absent (the CLI):
   * the loop's own, over the same `.ato/runs` records.
   */
  readonly fleetRuns?: () => Promise<FleetRuns | undefined>;
  /** The process reads GitHub once and ends (`ato status`, `ato tick`): its read does not wait for the probe. */
  readonly readsOnce?: boolean;
  /** The fetch under the GitHub port; default Node's (the CLI gives nodeHttpFetch). */
  readonly fetch?: FetchFunction;
  /**
   * How the maintenance track's follow-ups reach local agents, Jules and the draft analyser (issue 11).
   * Default: built here from the loop's fleet, push URL and token, `localAgents` and `julesApiKey`.
   */
  readonly maintenanceAgents?: MaintenanceAgents & { settled?(): Promise<void> };
  /** The Jules key (SecretStorage, or `ATO_JULES_API_KEY`): a Jules PR's follow-up is its session's message. */
  readonly julesApiKey?: () => Promise<string | undefined>;
}

export type GitHubLoopResult =
  | { readonly kind: 'ready'; readonly engine: LoopEngine; readonly port: GitHubPort; readonly branch: string; readonly repo: string; readonly localRuns: LoopTaskRuns; readonly maintenanceAgents: MaintenanceAgents & { settled?(): Promise<void> } }
  /** Why there is no GitHub loop here (shown in the panel and by `ato status`). */
  | { readonly kind: 'unavailable'; readonly reason: string; readonly mode: 'off' | 'local' };

const copilot: Omit<LoopAssignee, 'agentAssignment'> = { logins: ['copilot-swe-agent[bot]'], shownAs: ['Copilot', 'copilot-swe-agent'], agentId: 'copilot' };

/** The merge policy from `ato.merge.*`. */
export function mergePolicyFrom(settings: AtoSettings): MergePolicy {
  return {
    requireReviewSignal: settings['merge.requireReviewSignal'],
    protectedPaths: settings['merge.protectedPaths'],
    requiredLabel: settings['merge.requiredLabel'],
    requiredChecks: settings['merge.requiredChecks'],
    allowNoChecks: settings['merge.allowNoChecks'],
    method: settings['merge.method'],
    autoMerge: settings['merge.auto'],
    train: settings['merge.train'],
  };
}

/**
 * Builds the GitHub planning loop for a workspace: the remote from `origin`, its GitHub (github.com, or an
 * Enterprise configured at user/machine scope: `ato.github.apiUrl`, `github-enterprise.uri`), the planning
 * branch = the remote's default branch. Any other remote gets no loop and no request, with the reason.
 * Makes no request to GitHub; the first tick does.
 */
export async function createGitHubLoop(setup: GitHubLoopSetup): Promise<GitHubLoopResult> {
  const { workspaceRoot, settings } = setup;
  // `origin/HEAD` is read while the remote is (one git process waits on no other: issue 14, `ato status`).
  const localBranch = localDefaultBranch(workspaceRoot);
  localBranch.catch(() => undefined);
  const remote = await workspaceGitHubRemote(workspaceRoot, { apiUrl: settings['github.apiUrl'], enterpriseUri: setup.enterpriseUri });
  if (remote.kind === 'noRemote') return { kind: 'unavailable', mode: 'local', reason: 'This repository has no `origin` remote: the loop works on the local planning folder.' };
  if (remote.kind === 'notGitHub') return { kind: 'unavailable', mode: 'local', reason: remote.reason };
  const repo = { owner: remote.owner, name: remote.name, apiUrl: remote.endpoint.apiUrl };
  const token = await setup.token(remote.endpoint);
  if (token === undefined) return { kind: 'unavailable', mode: 'off', reason: signInReason(remote.endpoint, `${repo.owner}/${repo.name}`) };
  const branch = (await localBranch) ?? await defaultBranch(workspaceRoot);
  const now = setup.now ?? (() => new Date());
  const port = await createGitHubPort({ repo, token, timeoutMs: settings['network.timeoutSeconds'] * 1000, log: setup.log, redactor: setup.redactor, userAgent: setup.userAgent, now: () => now().getTime(), ...(setup.retry === undefined ? {} : { retry: setup.retry }), ...(setup.fetch === undefined ? {} : { fetch: setup.fetch }) });
  const lease = new RemoteLease(port, { ttlMs: settings['loop.leaseSeconds'] * 1000, site: await leaseSite(workspaceRoot), ...(setup.holder === undefined ? {} : { holder: setup.holder }) });
  const instructions = settings['loop.copilotInstructions'];
  const localAgents = (setup.localAgents ?? []).filter(agent => agent.needsWorktree || isRemoteLoopAgent(agent));
  const planningPath = settings.planningPath.replace(/\\/g, '/').replace(/\/+$/, '');
  const chooser = new LoopAgentChooser({
    // In the loop Copilot takes every task type, reviews included (its issue asks for the review as a PR), as
    // before the loop asked the registry; the dispatcher's Copilot keeps the narrower set for local task files.
    agents: [new CopilotBackend({ port, baseBranch: branch, customInstructions: instructions, log: setup.log, now, taskTypes }), ...localAgents],
    setting: () => settings['loop.agent'],
    now: () => now().getTime(),
  });
  // The token goes to the one host it was issued for: the push URL is built from that endpoint, not read from `origin`.
  const pushUrl = `${new URL(repo.apiUrl).protocol}//${remote.endpoint.webHost}/${repo.owner}/${repo.name}.git`;
  let own: FleetRuns | undefined;
  const ownFleetRuns = (): FleetRuns => {
    own ??= createFleetRuns({ workspaceRoot, agents: localAgents, maxConcurrentRuns: settings['agents.maxConcurrentRuns'], redactor: setup.redactor, events: { append: event => { setup.appendEvent(event); return Promise.resolve(); } }, log: setup.log, fleet: fleetSettingsOf(settings), stall: () => stallSettingsOf(settings), now }).fleetRuns;
    return own;
  };
  // One fleet for the loop's runs, local and remote: its slots, its start gate and its RunStore (.ato/runs).
  const fleetRuns = async (): Promise<FleetRuns> => (await setup.fleetRuns?.()) ?? ownFleetRuns();
  const local = new LocalTaskRuns({
    workspaceRoot,
    planningPath,
    fleetRuns,
    defaultBudgetUsd: settings['runs.defaultBudgetUsd'],
    port,
    baseBranch: branch,
    push: (cwd, source, target) => pushWithToken({ cwd, remoteUrl: pushUrl, source, branch: target, token }),
    worktreePoolSize: settings['agents.worktreePoolSize'],
    timeoutMs: settings['agents.timeoutMinutes'] * 60_000,
    holdsSecret: text => setup.redactor.redact(text) !== text,
    log: setup.log,
    now,
    checkpoint: setup.checkpoint ?? (() => undefined),
    onSettled: () => { engine.wake(); },
  });
  const remoteRuns = new RemoteTaskRuns({
    workspaceRoot,
    planningPath,
    port,
    repo: { protocol: new URL(repo.apiUrl).protocol, webHost: remote.endpoint.webHost, owner: repo.owner, name: repo.name },
    fleetRuns,
    timeoutMs: settings['agents.timeoutMinutes'] * 60_000,
    log: setup.log,
    now,
    checkpoint: setup.checkpoint ?? (() => undefined),
    onSettled: () => { engine.wake(); },
  });
  const runs = new LoopTaskRuns(local, remoteRuns);
  // Red PRs, conflicts and review follow-ups of a local agent's or a Jules PR go back the way they came (issue 11).
  const maintenanceAgents = setup.maintenanceAgents ?? createMaintenanceAgents({
    workspaceRoot,
    settings,
    pushUrl,
    token,
    fleetRuns,
    agents: () => setup.localAgents ?? [],
    ...(setup.julesApiKey === undefined ? {} : { julesApiKey: setup.julesApiKey }),
    port,
    reportedPullRequests: () => runs.reportedPullRequests(),
    redactor: setup.redactor,
    log: setup.log,
    now,
    checkpoint: setup.checkpoint ?? (() => undefined),
    onSettled: () => { engine.wake(); },
  });
  const backend = new GitHubLoopBackend({
    port,
    branch,
    planningPath,
    intents: new IntentLog({ workspaceRoot, now, onProblem: problem => { setup.log.warn('Intent record %s: %s', problem.file, problem.message); } }),
    assignee: { ...copilot, agentAssignment: { target_repo: `${repo.owner}/${repo.name}`, base_branch: branch, ...(instructions === '' ? {} : { custom_instructions: instructions }) } },
    now,
    checkpoint: setup.checkpoint ?? (() => undefined),
    workspaceRoot,
    queueMoves: settings['loop.queueMoves'],
    planningSource: new RemotePlanningSource({ workspaceRoot, remote: 'origin', branch, planningPath: settings.planningPath, fetch: true }),
    fileUrlBase: planningFolderUrl({ protocol: new URL(repo.apiUrl).protocol, webHost: remote.endpoint.webHost, owner: repo.owner, name: repo.name }, branch, planningPath),
    lease,
    policy: () => mergePolicyFrom(settings),
    trust: () => ({ agentAccounts: settings['loop.agentAccounts'], allowForks: settings['loop.allowForkPullRequests'] }),
    writeAccessTtlMs: settings['loop.fullRefreshMinutes'] * 60_000,
    ...(setup.localRuns === undefined ? {} : { localRuns: setup.localRuns }),
    chooser,
    localAgents: { agent: agentId => chooser.localAgent(agentId), runs },
    reportedPullRequests: () => runs.reportedPullRequests(),
    reviewEvery: () => settings['maintenance.reviewEvery'],
    ...(setup.readsOnce === true ? { readsOnce: true } : {}),
    maintenanceSettings: () => ({ enabled: settings['maintenance.enabled'], maxFixAttempts: settings['maintenance.maxFixAttempts'], scope: settings['maintenance.scope'], train: settings['merge.train'], deployLog: settings['maintenance.deployLog'] }),
    maintenanceAgents,
  });
  const engine = new LoopEngine({
    backend,
    updateLoop: setup.updateLoop,
    appendEvent: setup.appendEvent,
    log: setup.log,
    now,
    timers: setup.timers ?? { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: handle => { clearTimeout(handle as NodeJS.Timeout); } },
    intervals: () => ({ activeMs: settings['loop.pollSecondsActive'] * 1000, idleMs: settings['loop.pollSecondsIdle'] * 1000, fullRefreshMs: settings['loop.fullRefreshMinutes'] * 60_000 }),
    autoMerge: () => settings['merge.auto'],
    trusted: setup.trusted,
  });
  return { kind: 'ready', engine, port, branch, repo: `${repo.owner}/${repo.name}`, localRuns: runs, maintenanceAgents };
}

function signInReason(endpoint: GitHubEndpoint, repo: string): string {
  return endpoint.kind === 'dotcom'
    ? `No GitHub token: to run the loop on ${repo}, sign in with "ATO: Sign in to GitHub" (or "ATO: Set GitHub Token") in VS Code, or set ATO_GITHUB_TOKEN for the ato CLI.`
    : `No GitHub token for ${endpoint.webHost}: to run the loop on ${repo}, use VS Code's GitHub Enterprise sign-in (with \`github-enterprise.uri\` set to it) or "ATO: Set GitHub Token" with \`ato.github.apiUrl\` set to ${endpoint.apiUrl}; for the ato CLI set ATO_GITHUB_TOKEN and ATO_GITHUB_API_URL=${endpoint.apiUrl}.`;
}

/** The remote's default branch: `origin/HEAD` as clone set it, else asked of the remote. */
export async function defaultBranch(workspaceRoot: string): Promise<string> {
  const local = await localDefaultBranch(workspaceRoot);
  if (local !== undefined) return local;
  const remote = await runGit(['ls-remote', '--symref', 'origin', 'HEAD'], { cwd: workspaceRoot, timeoutMs: 30_000 });
  const match = /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(remote.stdout);
  return match?.[1] ?? 'main';
}

/** `origin/HEAD` as clone set it (no request); undefined when it is not set. */
async function localDefaultBranch(workspaceRoot: string): Promise<string | undefined> {
  const local = await runGit(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], { cwd: workspaceRoot, okExitCodes: [1, 128] });
  return local.exitCode === 0 && local.stdout.trim().startsWith('origin/') ? local.stdout.trim().slice('origin/'.length) : undefined;
}

/** The planning folder's page on the branch, e.g. `https://github.com/octo/repo/blob/main/planning/`: each part URL-encoded. */
export function planningFolderUrl(repo: { readonly protocol: string; readonly webHost: string; readonly owner: string; readonly name: string }, branch: string, planningPath: string): string {
  const parts = [repo.owner, repo.name, 'blob', ...branch.split('/'), ...planningPath.split('/')].filter(part => part !== '' && part !== '.').map(encodeURIComponent);
  return `${repo.protocol}//${repo.webHost}/${parts.join('/')}/`;
}
