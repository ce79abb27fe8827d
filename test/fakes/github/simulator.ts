import { automaticCi } from './domain/automaticCi';
import { addStatus, type CheckRunInput, setCheckRuns, workflowAwaitingApproval } from './domain/checks';
import { copilotAnswersMention } from './domain/copilotAnswers';
import { deploy } from './domain/deployments';
import { addAssignees, addEvent, closeIssue, createComment, renameIssue } from './domain/issues';
import { identityOf } from './domain/merge';
import { closingKeywordNumbers, createPull, pullOf, requestReviewers, submitReview } from './domain/pulls';
import { type ReviewCommentInput, reviewWithComments } from './domain/reviewComments';
import type { TreeChange } from './git/bareRepo';
import { type DeploymentState, type FakeCiRule, headRefOf, isPull, type FakeIssue, type FakePull, type IssueStateReason, type ReviewState, type StatusState } from './model';
import type { FakeRuntime, RepoRuntime } from './runtime';
import { copilotAppSlug, copilotLogin, isCopilot } from './users';

export interface CopilotPullRequestOptions {
  /** Files Copilot's commit adds or changes (path → text; null deletes). */
  readonly files: Readonly<Record<string, string | null>>;
  /** Default: the issue's title. The PR is titled `[WIP] <title>` until `copilotFinishes`. */
  readonly title?: string;
  /** Default true, as Copilot opens drafts. */
  readonly draft?: boolean;
}

export interface OpenPullRequestInput {
  readonly head: string;
  readonly title: string;
  readonly body?: string;
  /** Default: the token's user. */
  readonly author?: string;
  readonly draft?: boolean;
  /** Pushed to `head` first (branched from `base` when `head` does not exist). */
  readonly files?: Readonly<Record<string, string | null>>;
  /** Default: the default branch. */
  readonly base?: string;
  /** Issues linked by hand (a `connected` event on both sides; they close when it merges). */
  readonly linkedIssues?: readonly number[];
  /**
   * The owner of a fork to open it from (a cross-repository pull request): the fork `<owner>/<name>` is made
   * on first use and `files` are pushed to its `head` branch.
   */
  readonly fromFork?: string;
}

export type MergeableOverride = 'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN';

/** Actors the tests drive: the Copilot coding agent, CI, and humans. Each call acts on one repository. */
export interface Simulator {
  /** The same actions in another repository of the scenario. */
  inRepo(owner: string, name: string): Simulator;
  copilotOpensPullRequest(issueNumber: number, options: CopilotPullRequestOptions): Promise<number>;
  copilotFinishes(pullNumber: number): Promise<void>;
  copilotFails(pullNumber: number): Promise<void>;
  /** Check runs on a PR's head (or a commit): a run not yet completed is updated, a completed name gets a re-run. */
  setCheckRuns(pullNumberOrSha: number | string, runs: readonly CheckRunInput[]): Promise<void>;
  addStatus(sha: string, status: { readonly context: string; readonly state: StatusState; readonly targetUrl?: string; readonly description?: string }): Promise<void>;
  workflowAwaitingApproval(pullNumber: number): Promise<void>;
  /** Overrides the computed mergeability; null computes it again with git. */
  setMergeable(pullNumber: number, value: MergeableOverride | null): Promise<void>;
  closeIssue(issueNumber: number, reason?: IssueStateReason, actor?: string): Promise<void>;
  comment(issueNumber: number, body: string, author?: string): Promise<number>;
  approve(pullNumber: number, login: string): Promise<void>;
  review(pullNumber: number, login: string, state: ReviewState, body?: string): Promise<void>;
  /** A human pushing one commit to `branch` (created from the default branch when missing). Returns its sha. */
  pushFiles(branch: string, files: Readonly<Record<string, string | null>>, message: string, author?: string): Promise<string>;
  openPullRequest(input: OpenPullRequestInput): Promise<number>;
  /** The repository's admin gives `login` write access (a collaborator: assignable, their reviews count). */
  grantWriteAccess(login: string): Promise<void>;
  /** The automatic CI: each new PR head and default-branch commit gets these completed checks (null: off). */
  setCi(rule: FakeCiRule | null): Promise<void>;
  /** What Copilot pushes to its PR when a comment there mentions `@copilot` (null: it does not answer). */
  copilotAnswersMentions(files: Readonly<Record<string, string>> | null): Promise<void>;
  /** A deployment of a commit (sha or branch) to an environment gets a status; returns the deployment's id. */
  deploy(shaOrBranch: string, environment: string, state: DeploymentState, description?: string): Promise<number>;
  /** A review requesting changes, with line comments (`path` must be a file the PR changes). */
  requestChanges(pullNumber: number, login: string, body: string, comments?: readonly ReviewCommentInput[]): Promise<number>;
}

export class SimulatorError extends Error {
  override readonly name = 'SimulatorError';
  readonly kind = 'simulator';
}

function slugify(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '') || 'work';
}

export class FakeSimulator implements Simulator {
  constructor(private readonly rt: FakeRuntime, private readonly repo: RepoRuntime) {}

  inRepo(owner: string, name: string): Simulator {
    const repo = this.rt.repo(owner, name);
    if (repo === undefined) throw new SimulatorError(`No repository ${owner}/${name} in the scenario`);
    return new FakeSimulator(this.rt, repo);
  }

  async copilotOpensPullRequest(issueNumber: number, options: CopilotPullRequestOptions): Promise<number> {
    const issue = this.issue(issueNumber);
    if (isPull(issue)) throw new SimulatorError(`#${issueNumber} is a pull request, not an issue`);
    const assigner = this.assignerOf(issue);
    const title = options.title ?? issue.title;
    const base = typeof issue.agentAssignment?.['base_branch'] === 'string' ? issue.agentAssignment['base_branch'] : this.repo.data.defaultBranch;
    const refs = await this.repo.refs();
    let branch = `copilot/${slugify(title)}`;
    for (let suffix = 2; refs.has(`refs/heads/${branch}`); suffix++) branch = `copilot/${slugify(title)}-${suffix}`;
    const coAuthor = this.rt.users.get(assigner);
    await this.commit(branch, base, options.files, `${title}\n\nCo-authored-by: ${coAuthor.login} <${coAuthor.id}+${coAuthor.login}@users.noreply.github.com>\n`,
      { name: 'copilot-swe-agent[bot]', email: '198982749+Copilot@users.noreply.github.com', date: this.rt.clock.now() });
    const pull = await createPull(this.rt, this.repo, { title: `[WIP] ${title}`, body: `Fixes #${issueNumber}`, head: branch, base, draft: options.draft ?? true, author: copilotLogin });
    pull.pull.copilot = 'working';
    addAssignees(this.rt, this.repo, pull, [copilotLogin, assigner], copilotLogin);
    addEvent(this.rt, this.repo, pull, { event: 'copilot_work_started', actor: copilotLogin, viaApp: copilotAppSlug });
    return pull.number;
  }

  copilotFinishes(pullNumber: number): Promise<void> {
    const pull = this.pull(pullNumber);
    if (pull.title.startsWith('[WIP] ')) renameIssue(this.rt, this.repo, pull, pull.title.slice('[WIP] '.length), copilotLogin);
    addEvent(this.rt, this.repo, pull, { event: 'copilot_work_finished', actor: copilotLogin, viaApp: copilotAppSlug });
    pull.pull.copilot = 'finished';
    const issue = closingKeywordNumbers(this.repo.data, pull.body).map(number => this.repo.data.issues.get(number)).find(found => found !== undefined);
    requestReviewers(this.rt, this.repo, pull, [issue === undefined ? this.rt.tokenUser.login : this.assignerOf(issue)], [], copilotLogin);
    return Promise.resolve();
  }

  copilotFails(pullNumber: number): Promise<void> {
    const pull = this.pull(pullNumber);
    addEvent(this.rt, this.repo, pull, { event: 'copilot_work_finished_failure', actor: copilotLogin, viaApp: copilotAppSlug });
    pull.pull.copilot = 'failed';
    return Promise.resolve();
  }

  async setCheckRuns(pullNumberOrSha: number | string, runs: readonly CheckRunInput[]): Promise<void> {
    const target = await this.target(pullNumberOrSha);
    setCheckRuns(this.rt, this.repo.data, target.sha, runs, target.base);
  }

  async addStatus(sha: string, status: { readonly context: string; readonly state: StatusState; readonly targetUrl?: string; readonly description?: string }): Promise<void> {
    addStatus(this.rt, this.repo.data, (await this.target(sha)).sha, status);
  }

  workflowAwaitingApproval(pullNumber: number): Promise<void> {
    workflowAwaitingApproval(this.rt, this.repo.data, this.pull(pullNumber).pull.headSha);
    return Promise.resolve();
  }

  setMergeable(pullNumber: number, value: MergeableOverride | null): Promise<void> {
    this.pull(pullNumber).pull.mergeableOverride = value ?? undefined;
    return Promise.resolve();
  }

  closeIssue(issueNumber: number, reason: IssueStateReason = 'completed', actor = this.rt.tokenUser.login): Promise<void> {
    closeIssue(this.rt, this.repo, this.issue(issueNumber), actor, reason);
    return Promise.resolve();
  }

  async comment(issueNumber: number, body: string, author = this.rt.tokenUser.login): Promise<number> {
    const issue = this.issue(issueNumber);
    const comment = createComment(this.rt, this.repo, issue, body, author);
    await copilotAnswersMention(this.rt, this.repo, issue, comment);
    return comment.id;
  }

  approve(pullNumber: number, login: string): Promise<void> {
    return this.review(pullNumber, login, 'APPROVED');
  }

  review(pullNumber: number, login: string, state: ReviewState, body = ''): Promise<void> {
    submitReview(this.rt, this.repo, this.pull(pullNumber), login, state, body);
    return Promise.resolve();
  }

  async pushFiles(branch: string, files: Readonly<Record<string, string | null>>, message: string, author = this.rt.tokenUser.login): Promise<string> {
    return this.commit(branch, this.repo.data.defaultBranch, files, message, identityOf(this.rt.users.get(author), this.rt.clock.now()));
  }

  async openPullRequest(input: OpenPullRequestInput): Promise<number> {
    const base = input.base ?? this.repo.data.defaultBranch;
    const author = input.author ?? this.rt.tokenUser.login;
    const fork = input.fromFork === undefined ? undefined : (await this.rt.fork(this.repo, input.fromFork)).data.owner;
    const ref = headRefOf({ headRef: input.head, headOwner: fork });
    if (input.files !== undefined) await this.commitTo(ref, base, input.files, input.title, identityOf(this.rt.users.get(author), this.rt.clock.now()));
    const pull = await createPull(this.rt, this.repo, {
      title: input.title, body: input.body ?? null, head: input.head, ...(fork === undefined ? {} : { headOwner: fork }), base, draft: input.draft ?? false, author, linkedIssues: input.linkedIssues ?? [],
    });
    return pull.number;
  }

  grantWriteAccess(login: string): Promise<void> {
    this.repo.data.collaborators.add(this.rt.users.get(login).login.toLowerCase());
    return Promise.resolve();
  }

  async setCi(rule: FakeCiRule | null): Promise<void> {
    this.repo.data.ci = rule;
    automaticCi(this.rt, this.repo, await this.repo.refs());
  }

  copilotAnswersMentions(files: Readonly<Record<string, string>> | null): Promise<void> {
    this.repo.data.copilotAnswers = files;
    return Promise.resolve();
  }

  async deploy(shaOrBranch: string, environment: string, state: DeploymentState, description?: string): Promise<number> {
    const { sha } = await this.target(shaOrBranch);
    const ref = (await this.repo.branchSha(shaOrBranch)) === undefined ? sha : shaOrBranch;
    return deploy(this.rt, this.repo.data, { sha, ref, environment, state, ...(description === undefined ? {} : { description }) }).deployment.id;
  }

  async requestChanges(pullNumber: number, login: string, body: string, comments: readonly ReviewCommentInput[] = []): Promise<number> {
    return (await reviewWithComments(this.rt, this.repo, this.pull(pullNumber), login, 'CHANGES_REQUESTED', body, comments)).review.id;
  }

  /** One commit on `branch` (created from `from` when missing), written with plumbing and a compare-and-swap. */
  private commit(branch: string, from: string, files: Readonly<Record<string, string | null>>, message: string, author: { readonly name: string; readonly email: string; readonly date: string }): Promise<string> {
    return this.commitTo(`refs/heads/${branch}`, from, files, message, author);
  }

  /** One commit on a fully qualified ref (created from branch `from` when missing). */
  private async commitTo(ref: string, from: string, files: Readonly<Record<string, string | null>>, message: string, author: { readonly name: string; readonly email: string; readonly date: string }): Promise<string> {
    this.repo.invalidateRefs();
    const existing = (await this.repo.refs()).get(ref)?.sha;
    const parent = existing ?? await this.repo.branchSha(from);
    if (parent === undefined) throw new SimulatorError(`No branch ${from} in ${this.repo.fullName}`);
    const changes: TreeChange[] = [];
    for (const [path, content] of Object.entries(files)) {
      changes.push(content === null ? { path, sha: null } : { path, mode: '100644', type: 'blob', sha: await this.repo.git.writeBlob(Buffer.from(content, 'utf8')) });
    }
    const tree = await this.repo.git.writeTree(parent, changes);
    const sha = await this.repo.git.commitTree(tree, [parent], message, author);
    if (!await this.repo.git.updateRef(ref, sha, existing ?? null)) throw new SimulatorError(`${ref} moved while the simulator pushed to it`);
    this.repo.invalidateRefs();
    this.repo.data.pushedAt = author.date;
    await this.repo.refs();
    return sha;
  }

  private issue(number: number): FakeIssue {
    const issue = this.repo.data.issues.get(number);
    if (issue === undefined) throw new SimulatorError(`No issue or pull request #${number} in ${this.repo.fullName}`);
    return issue;
  }

  private pull(number: number): FakePull {
    const pull = pullOf(this.repo.data, number);
    if (pull === undefined) throw new SimulatorError(`No pull request #${number} in ${this.repo.fullName}`);
    return pull;
  }

  /** Who handed the issue to Copilot (the last `assigned` event for it), else the token's user. */
  private assignerOf(issue: FakeIssue): string {
    const assigned = this.repo.data.events.findLast(event => event.issueNumber === issue.number && event.event === 'assigned' && event.assignee !== undefined && isCopilot(event.assignee));
    return assigned?.actor ?? this.rt.tokenUser.login;
  }

  private async target(pullNumberOrSha: number | string): Promise<{ readonly sha: string; readonly base: string }> {
    if (typeof pullNumberOrSha === 'number') {
      const pull = this.pull(pullNumberOrSha);
      return { sha: pull.pull.headSha, base: pull.pull.baseRef };
    }
    const sha = await this.repo.git.resolveCommit(pullNumberOrSha);
    if (sha === undefined) throw new SimulatorError(`No commit ${pullNumberOrSha} in ${this.repo.fullName}`);
    return { sha, base: this.repo.data.defaultBranch };
  }
}
