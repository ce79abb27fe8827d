import { GitHubError } from '../../../../../src/core/forges/github/githubError';
import type { AgentAssignment, IssueComment, IssueSummary, NewIssue, PullRequestSummary, TimelineSignal } from '../../../../../src/core/forges/github/githubModel';
import type { AssignableActor } from '../../../../../src/core/forges/github/githubPort';
import type { CopilotGitHubPort } from '../../../../../src/core/agents/copilot/copilotGitHub';
import { aPullRequest } from './copilotBuilders';

/**
 * A hand-written in-memory GitHub for the Copilot backend's unit tests: issues, assignees (GitHub shows the
 * `copilot-swe-agent[bot]` assignee as `Copilot`, and drops it when the agent is not enabled), comments, PRs
 * and timeline signals, with a clock that advances a second per write. Every call is counted by name.
 */
export class MemoryCopilotPort implements CopilotGitHubPort {
  readonly repo = { owner: 'octo', name: 'app', apiUrl: 'http://fake.invalid' };
  readonly issues = new Map<number, IssueSummary>();
  readonly pulls = new Map<number, PullRequestSummary>();
  readonly comments = new Map<number, IssueComment[]>();
  readonly signals = new Map<number, TimelineSignal[]>();
  readonly assignments: { readonly issue: number; readonly agentAssignment: AgentAssignment | undefined }[] = [];
  readonly labels = new Set<string>();
  readonly calls = new Map<string, number>();
  copilotEnabled = true;
  private next = 1;
  private clock = Date.parse('2026-11-21T10:00:00Z');

  /** Optional in the port: absent when constructed with `withRemoveAssignees: false`. */
  removeAssignees?: (issueNumber: number, assignees: readonly string[]) => Promise<IssueSummary>;

  constructor(withRemoveAssignees = true) {
    if (withRemoveAssignees) this.removeAssignees = (issueNumber, assignees) => this.unassign(issueNumber, assignees);
  }

  tick(seconds = 1): string {
    this.clock += seconds * 1000;
    return new Date(this.clock).toISOString().replace('.000Z', 'Z');
  }

  count(name: string): number {
    return this.calls.get(name) ?? 0;
  }

  private call(name: string): void {
    this.calls.set(name, this.count(name) + 1);
  }

  listIssuesByLabel(label: string): Promise<readonly IssueSummary[]> {
    this.call('listIssuesByLabel');
    return Promise.resolve([...this.issues.values()].filter(issue => issue.labels.includes(label)));
  }

  listOpenIssues(): Promise<readonly IssueSummary[]> {
    this.call('listOpenIssues');
    return Promise.resolve([...this.issues.values()].filter(issue => issue.state === 'open'));
  }

  addLabels(issueNumber: number, labels: readonly string[]): Promise<void> {
    this.call('addLabels');
    this.change(issueNumber, issue => ({ ...issue, labels: [...new Set([...issue.labels, ...labels])] }));
    return Promise.resolve();
  }

  getIssue(issueNumber: number): Promise<IssueSummary> {
    this.call('getIssue');
    const issue = this.issues.get(issueNumber);
    return issue === undefined ? Promise.reject(new GitHubError('notFound', 'Not Found', 404)) : Promise.resolve(issue);
  }

  createIssue(issue: NewIssue): Promise<IssueSummary> {
    this.call('createIssue');
    const number = this.next++;
    const now = this.tick();
    const created: IssueSummary = {
      number, nodeId: `I_${number}`, title: issue.title, body: issue.body, state: 'open', stateReason: null, labels: [...issue.labels],
      assignees: this.assignable(issue.assignees ?? []), author: 'octocat', createdAt: now, updatedAt: now, closedAt: null,
      url: `https://github.com/octo/app/issues/${number}`, linkedPullRequests: [],
    };
    this.issues.set(number, created);
    if (created.assignees.length > 0) this.assignments.push({ issue: number, agentAssignment: issue.agentAssignment });
    return Promise.resolve(created);
  }

  updateIssue(issueNumber: number, change: { readonly state?: 'open' | 'closed'; readonly body?: string }): Promise<IssueSummary> {
    this.call('updateIssue');
    return Promise.resolve(this.change(issueNumber, issue => ({
      ...issue,
      ...(change.body === undefined ? {} : { body: change.body }),
      ...(change.state === undefined ? {} : { state: change.state, closedAt: change.state === 'closed' ? this.tick(0) : null }),
    })));
  }

  addAssignees(issueNumber: number, assignees: readonly string[], agentAssignment?: AgentAssignment): Promise<IssueSummary> {
    this.call('addAssignees');
    this.assignments.push({ issue: issueNumber, agentAssignment });
    return Promise.resolve(this.change(issueNumber, issue => ({ ...issue, assignees: [...new Set([...issue.assignees, ...this.assignable(assignees)])] })));
  }

  private unassign(issueNumber: number, assignees: readonly string[]): Promise<IssueSummary> {
    this.call('removeAssignees');
    const gone = new Set(assignees.map(login => (login === 'copilot-swe-agent[bot]' ? 'Copilot' : login)));
    return Promise.resolve(this.change(issueNumber, issue => ({ ...issue, assignees: issue.assignees.filter(login => !gone.has(login)) })));
  }

  listComments(issueNumber: number): Promise<readonly IssueComment[]> {
    this.call('listComments');
    return Promise.resolve(this.comments.get(issueNumber) ?? []);
  }

  createComment(issueNumber: number, body: string): Promise<IssueComment> {
    this.call('createComment');
    const comment: IssueComment = { id: this.next++, body, author: 'octocat', createdAt: this.tick(), url: `https://github.com/octo/app/issues/${issueNumber}#c` };
    this.comments.set(issueNumber, [...(this.comments.get(issueNumber) ?? []), comment]);
    return Promise.resolve(comment);
  }

  ensureLabel(name: string): Promise<void> {
    this.call('ensureLabel');
    this.labels.add(name);
    return Promise.resolve();
  }

  listTimelineSignals(issueNumber: number): Promise<readonly TimelineSignal[]> {
    this.call('listTimelineSignals');
    return Promise.resolve(this.signals.get(issueNumber) ?? []);
  }

  getPullRequest(pullNumber: number): Promise<PullRequestSummary> {
    this.call('getPullRequest');
    const pr = this.pulls.get(pullNumber);
    return pr === undefined ? Promise.reject(new GitHubError('notFound', 'Not Found', 404)) : Promise.resolve(pr);
  }

  suggestedActors(): Promise<readonly AssignableActor[]> {
    this.call('suggestedActors');
    const human: AssignableActor = { login: 'octocat', id: 'U_1', type: 'User' };
    return Promise.resolve(this.copilotEnabled ? [{ login: 'copilot-swe-agent', id: 'BOT_kgDOC9w8XQ', type: 'Bot' }, human] : [human]);
  }

  /** Copilot (or `author`) opens a PR that mentions the issue: a cross-reference on the issue, a start signal on the PR. */
  openPullRequest(issueNumber: number, author = { login: 'Copilot', isBot: true }): number {
    const number = this.next++;
    const now = this.tick();
    this.pulls.set(number, aPullRequest({ number, author, createdAt: now, updatedAt: now, closingIssues: [issueNumber], body: `Fixes #${issueNumber}` }));
    this.change(issueNumber, issue => ({ ...issue, linkedPullRequests: [...issue.linkedPullRequests, number] }), false);
    this.signal(number, 'copilotWorkStarted');
    return number;
  }

  signal(pullNumber: number, kind: TimelineSignal['kind'], actor = 'Copilot'): void {
    this.signals.set(pullNumber, [...(this.signals.get(pullNumber) ?? []), { kind, actor, subject: kind === 'reviewRequested' ? 'octocat' : null, at: this.tick() }]);
  }

  setPull(pullNumber: number, change: Partial<PullRequestSummary>): void {
    const pr = this.pulls.get(pullNumber);
    if (pr === undefined) throw new Error(`no PR #${pullNumber}`);
    this.pulls.set(pullNumber, { ...pr, ...change });
  }

  /** An issue written by someone else (a human, an earlier ATO). */
  seedIssue(overrides: Partial<IssueSummary>): IssueSummary {
    const number = this.next++;
    const now = this.tick();
    const issue: IssueSummary = {
      number, nodeId: `I_${number}`, title: 'Seeded', body: '', state: 'open', stateReason: null, labels: ['ato', 'ato:task'], assignees: [], author: 'octocat',
      createdAt: now, updatedAt: now, closedAt: null, url: `https://github.com/octo/app/issues/${number}`, linkedPullRequests: [], ...overrides,
    };
    this.issues.set(number, issue);
    return issue;
  }

  change(issueNumber: number, update: (issue: IssueSummary) => IssueSummary, touch = true): IssueSummary {
    const issue = this.issues.get(issueNumber);
    if (issue === undefined) throw new GitHubError('notFound', 'Not Found', 404);
    const changed = { ...update(issue), ...(touch ? { updatedAt: this.tick() } : {}) };
    this.issues.set(issueNumber, changed);
    return changed;
  }

  private assignable(logins: readonly string[]): string[] {
    return logins.flatMap(login => (login === 'copilot-swe-agent[bot]' ? (this.copilotEnabled ? ['Copilot'] : []) : [login]));
  }
}
