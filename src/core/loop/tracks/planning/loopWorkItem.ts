import type { IssueSummary, PullRequestSummary } from '../../../forges/github/githubModel';
import type { GitHubPort } from '../../../forges/github/githubPort';
import type { Task } from '../../../tasks/task';
import type { TaskType } from '../../../tasks/taskTypes';
import { atoPullRequestText, taskBranch, type AtoPullRequestText } from './atoPullRequest';
import { formatMarker, readMarkers, type AtoMarker } from '../../texts/markers';
import { codeSpan, fenced } from '../../texts/thirdPartyText';
import { reportTaskRunFailure } from '../../github/taskRunFailure';

/**
 * One piece of the loop's work an agent ATO runs itself serves (PRODUCT §4, issue 10 "every source of work"):
 * a task of the planning queue (2a), the gap analysis (1a) or a capability update (3a). Tasks and the issue
 * work differ only in these few things — the branch ATO pushes, the prompt, the PR's text and marker, which
 * paths the agent may change and what a failed run does to the issue — so the runs (localTaskRuns.ts,
 * remoteTaskRuns.ts) start, record, push and open PRs for both the same way.
 */
export interface LoopWorkItem {
  /** The run's task id (`add-login`, `gap-12`, `capability-14`): the key of its run in flight and record. */
  readonly key: string;
  /** The branch ATO pushes and opens the PR from: `ato/<task id>`, `ato-work/gap-<issue>`, `ato-work/capability-<issue>`. */
  readonly branch: string;
  /** What the record's `taskFile` names: the task's file, or the issue the work is for. */
  readonly taskFile: string;
  /** ATO's marker on the PR (and on a reported PR's body): the task's, the gap analysis', the capability update's. */
  readonly marker: AtoMarker;
  /** The text ATO gives the agent; undefined: the task's composed prompt. */
  readonly prompt: string | undefined;
  /** Which changes the agent's work may make (repository-relative path; `A`dded, `M`odified, `D`eleted…, as git names them); undefined: any. */
  readonly allows: ((path: string, status: string) => boolean) | undefined;
  /** What the run's changes must be described as when they are refused (`only new task files in planning/issue_queue/pending/`). */
  readonly allowedText: string | undefined;
  pullRequestText(agentId: string, summary: string): AtoPullRequestText;
  /** Says on the issue that the run failed (once): a task's issue is closed (requeue), the issue work's is labelled. */
  reportFailure(port: WorkFailurePort, agentId: string, what: string, reason: string, ending: 'failed' | 'was cancelled'): Promise<void>;
}

/** What reporting a failed run writes to GitHub with. */
export type WorkFailurePort = Pick<GitHubPort, 'listComments' | 'createComment' | 'updateIssue' | 'addLabels' | 'ensureLabel'>;

/** The issue work the gap analysis and capability updates are: the issue and the kind. */
export type IssueWork =
  | { readonly kind: 'gapAnalysis'; readonly issueNumber: number }
  | { readonly kind: 'capabilityUpdate'; readonly issueNumber: number; readonly sourcePr: number };

/** The branch prefix of the issue work's PRs (never `ato/`, which is a task's). */
export const workBranchPrefix = 'ato-work/';

/** The label a gap or capability issue gets when ATO's run for it failed: it stays open, and the loop waits for a person. */
export const runFailedLabel = { name: 'ato:run-failed', color: 'b60205', description: 'ATO\'s run of this issue failed: remove this label to run it again' } as const;

const slugs = { gapAnalysis: 'gap', capabilityUpdate: 'capability' } as const;

/** The task types agents declare for the issue work (taskTypes.ts): the registry asks who takes them. */
export const workTaskTypes: Readonly<Record<IssueWork['kind'], TaskType>> = { gapAnalysis: 'gap_analysis', capabilityUpdate: 'capability_update' };

/** `gap-12`, `capability-14`: the run's task id. */
export function issueWorkKey(work: Pick<IssueWork, 'kind' | 'issueNumber'>): string {
  return `${slugs[work.kind]}-${String(work.issueNumber)}`;
}

/** `ato-work/gap-12`. */
export function issueWorkBranch(work: Pick<IssueWork, 'kind' | 'issueNumber'>): string {
  return `${workBranchPrefix}${issueWorkKey(work)}`;
}

/** The issue work a branch name is for, if it is one of ATO's work branches. */
export function issueWorkOfBranch(headRefName: string): { readonly kind: IssueWork['kind']; readonly issueNumber: number } | undefined {
  const match = /^ato-work\/(gap|capability)-([1-9]\d{0,9})$/.exec(headRefName);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { kind: match[1] === 'gap' ? 'gapAnalysis' : 'capabilityUpdate', issueNumber: Number(match[2]) };
}

/** The issue work an issue's markers say it is (a gap-analysis or capability-update issue), if any. */
export function issueWorkOf(issue: Pick<IssueSummary, 'number' | 'body'>): IssueWork | undefined {
  for (const marker of readMarkers(issue.body)) {
    if (marker.kind === 'gapAnalysis') return { kind: 'gapAnalysis', issueNumber: issue.number };
    if (marker.kind === 'capabilityUpdate') return { kind: 'capabilityUpdate', issueNumber: issue.number, sourcePr: marker.sourcePr };
  }
  return undefined;
}

/**
 * Whether a PR has the shape of one ATO opened for the issue work of a local agent: on `ato-work/gap-<n>`
 * with the gap-analysis marker, or on `ato-work/capability-<n>` with a capability-update marker. Shape only —
 * who opened it is `pullRequestTrust`'s question.
 */
export function isAtoWorkPullRequest(pr: Pick<PullRequestSummary, 'headRefName' | 'body'>): boolean {
  const work = issueWorkOfBranch(pr.headRefName);
  if (work === undefined) return false;
  return readMarkers(pr.body).some(marker => marker.kind === work.kind);
}

/** A task of the planning queue as a work item: `ato/<id>`, its composed prompt, its marker, any path. */
export function taskWorkItem(task: Pick<Task, 'id' | 'title'>, issueNumber: number, planningPath: string): LoopWorkItem {
  return {
    key: task.id,
    branch: taskBranch(task.id),
    taskFile: `${planningPath}/issue_queue/processed/${task.id}.task.md`,
    marker: { kind: 'task', taskId: task.id },
    prompt: undefined,
    allows: undefined,
    allowedText: undefined,
    pullRequestText: (agentId, summary) => atoPullRequestText(task, issueNumber, agentId, summary),
    reportFailure: (port, agentId, what, reason, ending) => reportTaskRunFailure(port, issueNumber, agentId, what, reason, ending),
  };
}

export interface IssueWorkInput {
  readonly work: IssueWork;
  readonly issueTitle: string;
  /** ATO's own issue text (gapAnalysisTemplate.ts, capabilityIssueBody.ts: third-party text fenced), never the issue's body as read. */
  readonly template: string;
  readonly planningPath: string;
}

/** The gap analysis or a capability update as a work item for an agent ATO runs. */
export function issueWorkItem(input: IssueWorkInput): LoopWorkItem {
  const { work, planningPath } = input;
  const key = issueWorkKey(work);
  const branch = issueWorkBranch(work);
  const marker: AtoMarker = work.kind === 'gapAnalysis' ? { kind: 'gapAnalysis' } : { kind: 'capabilityUpdate', sourcePr: work.sourcePr };
  const pending = `${planningPath}/issue_queue/pending/`;
  const capabilities = `${planningPath}/state/system_capabilities.md`;
  // The gap analysis adds task files (it never edits or removes a queued one); a capability update edits (or creates) the document.
  const allows = work.kind === 'gapAnalysis'
    ? (path: string, status: string) => status === 'A' && path.startsWith(pending) && path.endsWith('.task.md') && !path.slice(pending.length).includes('/')
    : (path: string, status: string) => (status === 'A' || status === 'M') && path === capabilities;
  const allowedText = work.kind === 'gapAnalysis' ? `only new task files in ${pending}` : `only ${capabilities}`;
  const frame = [
    `You work in a fresh git worktree of this repository's planning branch. Change ${allowedText}; ATO commits what you leave, pushes the branch ${branch} and opens the pull request for GitHub issue #${String(work.issueNumber)}.`,
    'Do not commit, push, open pull requests or create issues yourself. Where the text below speaks of "the pull request you are working in", it means the one ATO opens with your changes.',
  ].join(' ');
  return {
    key,
    branch,
    taskFile: `#${String(work.issueNumber)}`,
    marker,
    prompt: `${frame}\n\n${input.template.trimEnd()}\n`,
    allows,
    allowedText,
    pullRequestText: (agentId, summary) => {
      const said = summary.trim();
      const what = work.kind === 'gapAnalysis' ? 'the gap analysis' : `the capability update after PR #${String(work.sourcePr)}`;
      const body = [
        `Closes #${String(work.issueNumber)}`,
        '',
        `ATO ran ${what} with the agent ${codeSpan(agentId)} and pushed its work to ${codeSpan(branch)}.`,
        ...(said === '' ? [] : ['', '### What the agent reported', '', fenced(said)]),
        '',
        formatMarker(marker),
      ].join('\n');
      return { title: input.issueTitle, body: `${body}\n` };
    },
    reportFailure: (port, agentId, _what, reason, ending) => reportIssueWorkFailure(port, work.issueNumber, agentId, reason, ending),
  };
}

/** The synthetic task an issue work run is recorded and launched with (the fleet runs tasks). */
export function issueWorkTask(work: IssueWork, title: string): Task {
  return {
    id: issueWorkKey(work),
    title,
    type: workTaskTypes[work.kind],
    priority: 'high',
    agent: 'auto',
    created: undefined,
    dependsOn: [],
    cwd: undefined,
    timeoutMs: undefined,
    targetFiles: [],
    prompt: '',
    successCriteria: [],
    context: '',
    body: '',
  };
}

/**
 * Says on a gap or capability issue why ATO's run failed, once (the same text, found again by a retry), and
 * labels it `ato:run-failed`: the issue stays open (no second gap analysis or capability update is opened),
 * the loop shows it as needs you, and removing the label runs it again.
 */
export async function reportIssueWorkFailure(port: Pick<GitHubPort, 'listComments' | 'createComment' | 'addLabels' | 'ensureLabel'>, issueNumber: number, agentId: string, reason: string, ending: 'failed' | 'was cancelled'): Promise<void> {
  const body = `ATO's run of this issue with ${codeSpan(agentId)} ${ending}. Remove the label ${codeSpan(runFailedLabel.name)} to run it again, or close this issue.\n\n${fenced(reason)}\n\n${formatMarker({ kind: 'agent', agentId })}`;
  if (!(await port.listComments(issueNumber)).some(comment => comment.body === body)) await port.createComment(issueNumber, body);
  await port.ensureLabel(runFailedLabel.name, runFailedLabel.color, runFailedLabel.description);
  await port.addLabels(issueNumber, [runFailedLabel.name]);
}
