import { validationFailed } from '../errors';
import { nodeId } from '../ids';
import type { FakeComment, FakeEvent, FakeIssue, FakeLabel, FakePullData, FakeRepoData, IssueStateReason } from '../model';
import type { FakeRuntime, RepoRuntime } from '../runtime';
import { copilotLogin, isCopilot } from '../users';

export type NewEvent = Omit<FakeEvent, 'id' | 'seq' | 'nodeId' | 'issueNumber' | 'createdAt'>;

export function addEvent(rt: FakeRuntime, repo: RepoRuntime, issue: FakeIssue, fields: NewEvent): FakeEvent {
  const id = rt.ids.next('event');
  const event: FakeEvent = { ...fields, id, seq: rt.ids.next('timeline'), nodeId: nodeId('Event', `${repo.data.id}:${id}`), issueNumber: issue.number, createdAt: rt.clock.now() };
  repo.data.events.push(event);
  return event;
}

export function touch(rt: FakeRuntime, repo: RepoRuntime, issue: FakeIssue): void {
  issue.updatedAt = rt.clock.now();
  repo.data.updatedAt = issue.updatedAt;
}

/** The label named so (case-insensitive), created with GitHub's default color when missing, as GitHub does. */
export function ensureLabel(rt: FakeRuntime, repo: FakeRepoData, name: string, color = 'ededed', description: string | null = null): FakeLabel {
  const existing = repo.labels.get(name.toLowerCase());
  if (existing !== undefined) return existing;
  const id = rt.ids.next('label');
  const label: FakeLabel = { id, nodeId: nodeId('Label', id), name, color, description, isDefault: false };
  repo.labels.set(name.toLowerCase(), label);
  return label;
}

/**
 * The canonical login for an assignee, or undefined when it cannot be assigned (no write access, or the
 * Copilot agent in a repository where it is off). GitHub drops such assignees silently when adding.
 */
export function assignableLogin(rt: FakeRuntime, repo: FakeRepoData, login: string): string | undefined {
  if (isCopilot(login)) return repo.copilotEnabled ? copilotLogin : undefined;
  if (!repo.collaborators.has(login.toLowerCase())) return undefined;
  return rt.users.get(login).login;
}

export interface NewIssueInput {
  readonly title: string;
  readonly body: string | null;
  readonly author: string;
  readonly labels?: readonly string[];
  readonly assignees?: readonly string[];
  readonly agentAssignment?: Readonly<Record<string, unknown>>;
  readonly pull?: FakePullData;
}

export function createIssue(rt: FakeRuntime, repo: RepoRuntime, input: NewIssueInput): FakeIssue {
  const invalid = (input.assignees ?? []).filter(login => assignableLogin(rt, repo.data, login) === undefined);
  if (invalid.length > 0) throw validationFailed(input.pull === undefined ? 'Issue' : 'PullRequest', 'assignees', 'invalid', { value: invalid[0] });
  const number = repo.data.nextNumber++;
  const id = rt.ids.next(input.pull === undefined ? 'issue' : 'pull');
  const now = rt.clock.now();
  const issue: FakeIssue = {
    number,
    id,
    nodeId: nodeId(input.pull === undefined ? 'Issue' : 'PullRequest', `${repo.data.id}:${number}`),
    title: input.title,
    body: input.body,
    state: 'open',
    stateReason: null,
    author: rt.users.get(input.author).login,
    labels: [],
    assignees: [],
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closedBy: null,
    locked: false,
    agentAssignment: undefined,
    pull: input.pull,
  };
  repo.data.issues.set(number, issue);
  repo.data.updatedAt = now;
  if (input.labels !== undefined) addLabels(rt, repo, issue, input.labels, issue.author);
  if (input.assignees !== undefined) addAssignees(rt, repo, issue, input.assignees, issue.author, input.agentAssignment);
  return issue;
}

export function addLabels(rt: FakeRuntime, repo: RepoRuntime, issue: FakeIssue, names: readonly string[], actor: string): void {
  for (const name of names) {
    const label = ensureLabel(rt, repo.data, name);
    if (issue.labels.some(existing => existing.toLowerCase() === label.name.toLowerCase())) continue;
    issue.labels.push(label.name);
    addEvent(rt, repo, issue, { event: 'labeled', actor, label: { name: label.name, color: label.color } });
    touch(rt, repo, issue);
  }
}

export function removeLabel(rt: FakeRuntime, repo: RepoRuntime, issue: FakeIssue, name: string, actor: string): boolean {
  const index = issue.labels.findIndex(existing => existing.toLowerCase() === name.toLowerCase());
  if (index < 0) return false;
  const [removed] = issue.labels.splice(index, 1);
  const label = repo.data.labels.get(name.toLowerCase());
  addEvent(rt, repo, issue, { event: 'unlabeled', actor, label: { name: removed ?? name, color: label?.color ?? 'ededed' } });
  touch(rt, repo, issue);
  return true;
}

export function setLabels(rt: FakeRuntime, repo: RepoRuntime, issue: FakeIssue, names: readonly string[], actor: string): void {
  const wanted = new Set(names.map(name => name.toLowerCase()));
  for (const existing of [...issue.labels]) if (!wanted.has(existing.toLowerCase())) removeLabel(rt, repo, issue, existing, actor);
  addLabels(rt, repo, issue, names, actor);
}

/** Adds the assignable ones among `logins` (others are dropped, as on GitHub); records Copilot's `agent_assignment`. */
export function addAssignees(rt: FakeRuntime, repo: RepoRuntime, issue: FakeIssue, logins: readonly string[], actor: string, agentAssignment?: Readonly<Record<string, unknown>>): void {
  for (const requested of logins) {
    const login = assignableLogin(rt, repo.data, requested);
    if (login === undefined) continue;
    if (login === copilotLogin && agentAssignment !== undefined) issue.agentAssignment = agentAssignment;
    if (issue.assignees.includes(login)) continue;
    issue.assignees.push(login);
    addEvent(rt, repo, issue, { event: 'assigned', actor, assignee: login, assigner: actor });
    touch(rt, repo, issue);
  }
}

export function removeAssignees(rt: FakeRuntime, repo: RepoRuntime, issue: FakeIssue, logins: readonly string[], actor: string): void {
  for (const requested of logins) {
    const login = isCopilot(requested) ? copilotLogin : rt.users.find(requested)?.login ?? requested;
    const index = issue.assignees.indexOf(login);
    if (index < 0) continue;
    issue.assignees.splice(index, 1);
    addEvent(rt, repo, issue, { event: 'unassigned', actor, assignee: login, assigner: actor });
    touch(rt, repo, issue);
  }
}

export function setAssignees(rt: FakeRuntime, repo: RepoRuntime, issue: FakeIssue, logins: readonly string[], actor: string, agentAssignment?: Readonly<Record<string, unknown>>): void {
  const wanted = new Set(logins.map(login => assignableLogin(rt, repo.data, login)).filter(login => login !== undefined));
  removeAssignees(rt, repo, issue, issue.assignees.filter(login => !wanted.has(login)), actor);
  addAssignees(rt, repo, issue, logins, actor, agentAssignment);
}

export function closeIssue(rt: FakeRuntime, repo: RepoRuntime, issue: FakeIssue, actor: string, reason: IssueStateReason = 'completed', closer: { readonly pullNumber?: number; readonly commitId?: string } = {}): void {
  if (issue.state === 'closed') return;
  issue.state = 'closed';
  issue.stateReason = issue.pull === undefined ? reason : null;
  issue.closedAt = rt.clock.now();
  issue.closedBy = actor;
  addEvent(rt, repo, issue, {
    event: 'closed', actor, stateReason: issue.stateReason,
    ...(closer.commitId === undefined ? {} : { commitId: closer.commitId }),
    ...(closer.pullNumber === undefined ? {} : { closerPullNumber: closer.pullNumber }),
  });
  touch(rt, repo, issue);
}

export function reopenIssue(rt: FakeRuntime, repo: RepoRuntime, issue: FakeIssue, actor: string): void {
  if (issue.state === 'open') return;
  issue.state = 'open';
  issue.stateReason = issue.pull === undefined ? 'reopened' : null;
  issue.closedAt = null;
  addEvent(rt, repo, issue, { event: 'reopened', actor, stateReason: issue.stateReason });
  touch(rt, repo, issue);
}

export function renameIssue(rt: FakeRuntime, repo: RepoRuntime, issue: FakeIssue, title: string, actor: string): void {
  if (issue.title === title) return;
  addEvent(rt, repo, issue, { event: 'renamed', actor, rename: { from: issue.title, to: title } });
  issue.title = title;
  touch(rt, repo, issue);
}

export function createComment(rt: FakeRuntime, repo: RepoRuntime, issue: FakeIssue, body: string, author: string): FakeComment {
  const id = rt.ids.next('comment');
  const now = rt.clock.now();
  const comment: FakeComment = { id, seq: rt.ids.next('timeline'), nodeId: nodeId('IssueComment', id), issueNumber: issue.number, body, author: rt.users.get(author).login, createdAt: now, updatedAt: now };
  repo.data.comments.push(comment);
  touch(rt, repo, issue);
  recordMentions(rt, repo, issue, body, comment.author);
  return comment;
}

const mentionPattern = /(?:^|[^\w/#])(?:([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+))?#(\d+)\b/g;

/** Issue numbers of this repository that `text` mentions (`#12`, `octo/app#12`). */
export function mentionedNumbers(repo: FakeRepoData, text: string): number[] {
  const numbers: number[] = [];
  for (const match of text.matchAll(mentionPattern)) {
    const [, owner, name, number] = match;
    if (owner !== undefined && `${owner}/${name ?? ''}`.toLowerCase() !== `${repo.owner}/${repo.name}`.toLowerCase()) continue;
    const value = Number(number);
    if (!numbers.includes(value)) numbers.push(value);
  }
  return numbers;
}

/** A `cross-referenced` event on every other issue or PR that `text` (in `source`) mentions for the first time. */
export function recordMentions(rt: FakeRuntime, repo: RepoRuntime, source: FakeIssue, text: string | null, actor: string, willClose: readonly number[] = []): void {
  if (text === null) return;
  for (const number of mentionedNumbers(repo.data, text)) {
    const target = repo.data.issues.get(number);
    if (target === undefined || target.number === source.number) continue;
    const seen = repo.data.events.some(event => event.issueNumber === number && event.event === 'cross-referenced' && event.sourceNumber === source.number);
    if (seen) continue;
    addEvent(rt, repo, target, { event: 'cross-referenced', actor, sourceNumber: source.number, willCloseTarget: willClose.includes(number) });
    touch(rt, repo, target);
  }
}
