import type { TrustFacts } from '../../src/core/loop/policy/pullRequestTrust';
import type {
  CheckContext, IssueComment, IssueSummary, PullRequestChecks, PullRequestSummary, RepoSnapshot, TimelineSignal,
} from '../../src/core/forges/github/githubModel';
import type { QueueFolder } from '../../src/core/planning/planningLayout';
import type { QueueEntry } from '../../src/core/queue/queueEntry';
import { parseTaskFile } from '../../src/core/tasks/parseTaskFile';

/**
 * Typed builders for what ATO reads from GitHub (githubModel.ts) and for queue entries parsed by the real
 * task-file parser. Each builder gives a plain, consistent default — an open, mergeable, green PR by a
 * human; an open issue with no assignee — so a test overrides only what it is about.
 */

export const defaultTime = '2026-11-21T10:00:00Z';

/** A completed, successful check run; override `status`/`conclusion`/`startedAt` for other cases. */
export function aCheckRun(name: string, overrides: Partial<CheckContext> = {}): CheckContext {
  return { kind: 'checkRun', name, status: 'COMPLETED', conclusion: 'SUCCESS', required: false, url: `https://ci.example/${name}`, startedAt: defaultTime, ...overrides };
}

/** A commit status in `state` (SUCCESS, FAILURE, ERROR, PENDING, EXPECTED). */
export function aStatus(context: string, state = 'SUCCESS', overrides: Partial<CheckContext> = {}): CheckContext {
  return { kind: 'status', name: context, status: state, conclusion: null, required: false, url: `https://status.example/${context}`, startedAt: defaultTime, ...overrides };
}

/** Checks of a head commit; the rollup state follows the contexts unless given (null when there are none). */
export function someChecks(contexts: readonly CheckContext[], overrides: Partial<PullRequestChecks> = {}): PullRequestChecks {
  return { rollupState: contexts.length === 0 ? null : 'SUCCESS', contexts, requiredContexts: [], awaitingApproval: 0, truncated: false, ...overrides };
}

export function aSignal(kind: TimelineSignal['kind'], at: string, overrides: Partial<TimelineSignal> = {}): TimelineSignal {
  return { kind, actor: 'Copilot', subject: kind === 'reviewRequested' ? 'alice' : null, at, ...overrides };
}

let nextNumber = 1000;

/** An open, mergeable PR by Copilot with one green check and a pending review request from `alice` (Copilot asked). */
export function aPullRequest(overrides: Partial<PullRequestSummary> = {}): PullRequestSummary {
  const number = overrides.number ?? nextNumber++;
  return {
    number,
    nodeId: `PR_${String(number)}`,
    title: `Pull request ${String(number)}`,
    body: '',
    url: `https://github.com/o/r/pull/${String(number)}`,
    state: 'open',
    isDraft: false,
    author: { login: 'Copilot', isBot: true },
    authorAssociation: 'NONE',
    isCrossRepository: false,
    headRepository: 'o/r',
    headRefName: `copilot/branch-${String(number)}`,
    headSha: `${String(number).padStart(7, '0')}abcdef0123456789abcdef0123456789`,
    baseRefName: 'main',
    mergeable: 'mergeable',
    mergeStateStatus: 'CLEAN',
    reviewDecision: null,
    reviewRequests: ['alice'],
    reviews: [],
    reviewRules: { approvals: 0, codeOwners: false },
    timeline: [aSignal('reviewRequested', defaultTime)],
    labels: [],
    changedFiles: ['src/index.ts'],
    changedFilesTruncated: false,
    renames: [],
    closingIssues: [],
    checks: someChecks([aCheckRun('build')]),
    createdAt: defaultTime,
    updatedAt: defaultTime,
    mergedAt: null,
    ...overrides,
  };
}

/** A merged PR (state, mergedAt), otherwise as {@link aPullRequest}. */
export function aMergedPullRequest(overrides: Partial<PullRequestSummary> = {}): PullRequestSummary {
  return aPullRequest({ state: 'merged', mergedAt: '2026-11-21T11:00:00Z', updatedAt: '2026-11-21T11:00:00Z', ...overrides });
}

/** An open issue without assignees, labels or linked PRs. */
export function anIssue(overrides: Partial<IssueSummary> = {}): IssueSummary {
  const number = overrides.number ?? nextNumber++;
  return {
    number,
    nodeId: `I_${String(number)}`,
    title: `Issue ${String(number)}`,
    body: '',
    state: 'open',
    stateReason: null,
    labels: [],
    assignees: [],
    author: 'ato-user',
    createdAt: defaultTime,
    updatedAt: defaultTime,
    closedAt: null,
    url: `https://github.com/o/r/issues/${String(number)}`,
    linkedPullRequests: [],
    ...overrides,
  };
}

export function aComment(overrides: Partial<IssueComment> = {}): IssueComment {
  const id = overrides.id ?? nextNumber++;
  return { id, body: 'A comment', author: 'alice', createdAt: defaultTime, url: `https://github.com/o/r/pull/1#issuecomment-${String(id)}`, ...overrides };
}

/** A repository with nothing open. */
export function aSnapshot(overrides: Partial<RepoSnapshot> = {}): RepoSnapshot {
  return {
    owner: 'o',
    name: 'r',
    repositoryId: 'R_1',
    viewerLogin: 'octocat',
    defaultBranch: 'main',
    defaultBranchSha: 'f'.repeat(40),
    fetchedAt: '2026-11-21T12:00:00Z',
    openPullRequests: [],
    recentlyClosedPullRequests: [],
    issues: [],
    rateLimit: undefined,
    ...overrides,
  };
}

/** A queue entry as the queue index reads it, parsed by the real task-file parser. */
export function aQueueEntry(folder: QueueFolder, text: string, fileName: string, mtimeMs = 1_000): QueueEntry {
  return {
    file: `/work/repo/planning/issue_queue/${folder}/${fileName}`,
    relativePath: `issue_queue/${folder}/${fileName}`,
    folder,
    fileName,
    mtimeMs,
    size: text.length,
    result: parseTaskFile(text, fileName),
  };
}

export interface TaskText {
  readonly id: string;
  readonly type?: string;
  readonly priority?: string;
  readonly created?: string;
  readonly dependsOn?: readonly string[];
  readonly title?: string;
  readonly prompt?: string;
}

/** The text of a task file with frontmatter (PRODUCT §3.1). */
export function taskText(task: TaskText): string {
  const front = [
    `id: ${task.id}`,
    `type: ${task.type ?? 'feature'}`,
    `priority: ${task.priority ?? 'medium'}`,
    ...(task.created === undefined ? [] : [`created: ${task.created}`]),
    ...(task.dependsOn === undefined ? [] : [`depends_on: [${task.dependsOn.join(', ')}]`]),
  ];
  return `---\n${front.join('\n')}\n---\n# ${task.title ?? `Task ${task.id}`}\n\n**Prompt:**\n${task.prompt ?? `Do ${task.id}.`}\n`;
}

/** A valid task file in `folder`, named `<id>.task.md`. */
export function aTaskEntry(folder: QueueFolder, task: TaskText): QueueEntry {
  return aQueueEntry(folder, taskText(task), `${task.id}.task.md`);
}

/** Whom the loop trusts in a unit test: Copilot and the token's user `octocat` (agents), `alice` (a writer), not `mallory`. */
export function aTrust(overrides: Partial<TrustFacts> = {}): TrustFacts {
  return { agentAccounts: [], allowForks: false, viewerLogin: 'octocat', writeAccess: new Map([['alice', true], ['mallory', false]]), ...overrides };
}
