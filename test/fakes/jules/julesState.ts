import { entityNotFound, JulesRpcError } from './errors';
import { terminalStates, type Artifact, type ActivityKind, type FakeActivity, type FakeSession, type FakeSource } from './model';
import { defaultApiKey, type JulesScenario } from './scenario';

/** Milliseconds, strictly increasing: activities filtered by `create_time>` never tie. */
export class MonotonicClock {
  private last = 0;

  nowMs(): number {
    this.last = Math.max(Date.now(), this.last + 1);
    return this.last;
  }

  now(): string {
    return new Date(this.nowMs()).toISOString();
  }
}

/** What a test scripts for a session before it runs (or for the next one created). */
export interface SessionScript {
  /** End FAILED with this reason instead of COMPLETED. */
  readonly fail?: string;
  /** While in progress, ask this once (AWAITING_USER_FEEDBACK until `:sendMessage`). */
  readonly ask?: string;
  /** `pullRequest` (default with AUTO_CREATE_PR) or `changeSet` only. */
  readonly output?: 'pullRequest' | 'changeSet';
}

interface SessionRuntime {
  readonly session: FakeSession;
  readonly activities: FakeActivity[];
  script: SessionScript;
  asked: boolean;
  progressed: boolean;
  notFoundPending: boolean;
  createdMs: number;
  /** Its pull request is being opened (the `onPullRequest` hook): it completes when the PR exists. */
  openingPull: boolean;
}

/** The pull request a hook opened on a GitHub for a completing session. */
export interface OpenedPullRequest {
  readonly url: string;
  readonly headRef: string;
}

export interface CreateSessionInput {
  readonly prompt: string;
  readonly title?: string | undefined;
  readonly source?: string | undefined;
  readonly startingBranch?: string | undefined;
  readonly requirePlanApproval?: boolean | undefined;
  readonly automationMode?: 'AUTOMATION_MODE_UNSPECIFIED' | 'AUTO_CREATE_PR' | undefined;
}

const dayMs = 24 * 60 * 60 * 1000;

/** The fake's records: sources, sessions and their activities, quotas. */
export class JulesState {
  readonly apiKey: string;
  readonly sources: readonly FakeSource[];
  readonly clock = new MonotonicClock();
  private readonly sessions = new Map<string, SessionRuntime>();
  private nextSession = 1_000_001;
  private nextActivity = 1;
  private nextPull = 1;
  /** Applied to the next session created, then cleared. */
  nextScript: SessionScript = {};
  /**
   * Opens the session's pull request for real (a test wires it to the fake GitHub). Without it the session
   * reports a PR URL that points nowhere. A hook that throws fails the session.
   */
  onPullRequest: ((session: FakeSession) => Promise<OpenedPullRequest>) | undefined;
  private readonly opening = new Set<Promise<void>>();
  /** Creation times of every session ever created (the daily quota counts the last 24 h). */
  private readonly created: number[] = [];

  constructor(readonly scenario: JulesScenario) {
    this.apiKey = scenario.apiKey ?? defaultApiKey;
    this.sources = (scenario.sources ?? [{ owner: 'acme', repo: 'app' }]).map(source => {
      const id = source.nameForm === 'dash' ? `github-${source.owner}-${source.repo}` : `github/${source.owner}/${source.repo}`;
      const defaultBranch = source.defaultBranch ?? 'main';
      const branches = source.branches ?? [defaultBranch];
      return {
        name: `sources/${id}`,
        id,
        githubRepo: { owner: source.owner, repo: source.repo, isPrivate: source.isPrivate ?? true, defaultBranch: { displayName: defaultBranch }, branches: branches.map(displayName => ({ displayName })) },
      };
    });
  }

  source(name: string): FakeSource {
    const found = this.sources.find(source => source.name === name || source.id === name || `sources/${source.id}` === name);
    if (found === undefined) throw entityNotFound();
    return found;
  }

  /** Sessions newest first, as the real list orders them. */
  listSessions(): FakeSession[] {
    return [...this.sessions.values()].map(run => run.session).reverse();
  }

  session(id: string): FakeSession {
    return this.runtime(id).session;
  }

  activities(id: string): readonly FakeActivity[] {
    const run = this.runtime(id);
    if (run.notFoundPending) {
      run.notFoundPending = false;
      throw entityNotFound();
    }
    return run.activities;
  }

  /** Non-terminal sessions: every one counts against the concurrency cap. */
  liveSessions(): FakeSession[] {
    return this.listSessions().filter(session => !terminalStates.has(session.state));
  }

  sessionsInLastDay(): number {
    const since = this.clock.nowMs() - dayMs;
    return this.created.filter(at => at > since).length;
  }

  create(input: CreateSessionInput): FakeSession {
    if (input.prompt.trim() === '') throw new JulesRpcError(400, "Invalid value at 'session.prompt': must not be empty.");
    const source = input.source === undefined ? undefined : this.sourceForCreate(input.source);
    if (input.startingBranch !== undefined && source !== undefined && !source.githubRepo.branches.some(branch => branch.displayName === input.startingBranch)) {
      throw new JulesRpcError(400, `Branch "${input.startingBranch}" not found in ${source.githubRepo.owner}/${source.githubRepo.repo}.`, 'FAILED_PRECONDITION');
    }
    const quota = this.scenario.dailySessions ?? 15;
    if (quota > 0 && this.sessionsInLastDay() >= quota) {
      throw new JulesRpcError(429, `Quota exceeded: ${quota} sessions per day.`, 'RESOURCE_EXHAUSTED', 'RATE_LIMIT_EXCEEDED');
    }
    const overCap = this.liveSessions().length >= (this.scenario.concurrentLimit ?? 3);
    const policy = this.scenario.overConcurrency ?? 'reject';
    if (overCap && policy === 'reject') {
      throw new JulesRpcError(429, 'You are currently at your concurrent task limit.', 'RESOURCE_EXHAUSTED', 'RATE_LIMIT_EXCEEDED');
    }
    const id = String(this.nextSession++);
    const now = this.clock.now();
    const session: FakeSession = {
      name: `sessions/${id}`,
      id,
      prompt: input.prompt,
      title: input.title ?? firstLine(input.prompt),
      sourceContext: { source: source?.name ?? '', ...(input.startingBranch === undefined ? {} : { githubRepoContext: { startingBranch: input.startingBranch } }) },
      state: 'QUEUED',
      url: `https://jules.google.com/session/${id}`,
      createTime: now,
      updateTime: now,
      requirePlanApproval: input.requirePlanApproval ?? false,
      automationMode: input.automationMode ?? 'AUTOMATION_MODE_UNSPECIFIED',
    };
    if (source === undefined) delete (session.sourceContext as { source?: string }).source;
    const run: SessionRuntime = { session, activities: [], script: this.nextScript, asked: false, progressed: false, notFoundPending: this.scenario.notFoundAfterCreate === true, createdMs: Date.parse(now), openingPull: false };
    this.nextScript = {};
    this.sessions.set(id, run);
    this.created.push(run.createdMs);
    if (overCap && policy === 'failSession') this.finishFailed(run, 'You are currently at your concurrent task limit.');
    return session;
  }

  script(id: string, script: SessionScript): void {
    this.runtime(id).script = script;
  }

  /** One step of the session's life (see simulator in README); a waiting or finished session stays. */
  step(id: string): FakeSession {
    const run = this.runtime(id);
    const { session } = run;
    switch (session.state) {
      case 'QUEUED':
        this.setState(run, 'PLANNING');
        break;
      case 'PLANNING': {
        const planId = `plan-${id}`;
        this.addActivity(run, 'agent', {
          planGenerated: {
            plan: {
              id: planId,
              createTime: this.clock.now(),
              steps: [
                { id: `${planId}-1`, index: 0, title: `Read the task: ${truncate(firstLine(session.prompt), 60)}`, description: 'Find the files the task names.' },
                { id: `${planId}-2`, index: 1, title: 'Make the change and run the tests' },
                { id: `${planId}-3`, index: 2, title: 'Open a pull request' },
              ],
            },
          },
        }, 'Plan generated');
        if (session.requirePlanApproval) {
          this.setState(run, 'AWAITING_PLAN_APPROVAL');
        } else {
          this.addActivity(run, 'system', { planApproved: { planId } }, 'Plan approved');
          this.setState(run, 'IN_PROGRESS');
        }
        break;
      }
      case 'IN_PROGRESS':
        if (run.script.ask !== undefined && !run.asked) {
          run.asked = true;
          this.addActivity(run, 'agent', { agentMessaged: { agentMessage: run.script.ask } }, 'Agent asked a question');
          this.setState(run, 'AWAITING_USER_FEEDBACK');
        } else if (run.openingPull) {
          // Waits for its pull request to be opened.
        } else if (!run.progressed) {
          run.progressed = true;
          this.addActivity(run, 'agent', { progressUpdated: { title: 'Ran tests', description: '3 passed' } }, 'Progress', [{ bashOutput: { command: 'npm test', output: 'ok\n', exitCode: 0 } }]);
        } else if (run.script.fail !== undefined) {
          this.finishFailed(run, run.script.fail);
        } else {
          this.finishCompleted(run);
        }
        break;
      case 'AWAITING_PLAN_APPROVAL':
      case 'AWAITING_USER_FEEDBACK':
      case 'PAUSED':
      case 'STATE_UNSPECIFIED':
      case 'COMPLETED':
      case 'FAILED':
        // Waits for someone (approvePlan, sendMessage), or has ended.
        break;
    }
    return session;
  }

  /** Resolves when every pull request being opened by `onPullRequest` is open (and its session COMPLETED or FAILED). */
  async pullRequestsOpened(): Promise<void> {
    while (this.opening.size > 0) await Promise.allSettled([...this.opening]);
  }

  /** Steps until the session ends or waits for someone (plan approval, a question). */
  advance(id: string): FakeSession {
    const { session } = this.runtime(id);
    for (let guard = 0; guard < 20; guard++) {
      const before = `${session.state}/${this.runtime(id).activities.length}`;
      this.step(id);
      if (before === `${session.state}/${this.runtime(id).activities.length}`) break;
    }
    return session;
  }

  approvePlan(id: string): void {
    const run = this.runtime(id);
    if (run.session.state !== 'AWAITING_PLAN_APPROVAL') {
      throw new JulesRpcError(400, `Session is in state ${run.session.state}, not AWAITING_PLAN_APPROVAL.`, 'FAILED_PRECONDITION');
    }
    this.addActivity(run, 'user', { planApproved: { planId: `plan-${id}` } }, 'Plan approved');
    this.setState(run, 'IN_PROGRESS');
  }

  sendMessage(id: string, prompt: string): void {
    const run = this.runtime(id);
    if (prompt.trim() === '') throw new JulesRpcError(400, "Invalid value at 'prompt': must not be empty.");
    // A completed session takes a follow-up (ATO's maintenance track sends a red PR's checks back to the session
    // that opened it); the fake records the message and leaves the session as it is: what Jules then pushes is
    // the test's to script. A failed (or otherwise ended) session refuses it.
    if (terminalStates.has(run.session.state) && run.session.state !== 'COMPLETED') throw new JulesRpcError(400, `Session is ${run.session.state}.`, 'FAILED_PRECONDITION');
    this.addActivity(run, 'user', { userMessaged: { userMessage: prompt } }, 'User message');
    if (run.session.state === 'AWAITING_USER_FEEDBACK') this.setState(run, 'IN_PROGRESS');
  }

  setArchived(id: string, archived: boolean): void {
    const run = this.runtime(id);
    run.session.archived = archived;
    run.session.updateTime = this.clock.now();
  }

  private finishCompleted(run: SessionRuntime): void {
    const { session } = run;
    const source = session.sourceContext.source;
    const changeSet = {
      source,
      gitPatch: {
        unidiffPatch: 'diff --git a/hello.txt b/hello.txt\nnew file mode 100644\n--- /dev/null\n+++ b/hello.txt\n@@ -0,0 +1 @@\n+hello\n',
        baseCommitId: 'abc1234',
        suggestedCommitMessage: session.title,
      },
    };
    const repo = source === '' ? undefined : this.sources.find(candidate => candidate.name === source)?.githubRepo;
    const wantsPull = session.automationMode === 'AUTO_CREATE_PR' && run.script.output !== 'changeSet' && repo !== undefined;
    const hook = this.onPullRequest;
    if (wantsPull && hook !== undefined) {
      run.openingPull = true;
      const opening = hook(session).then(pull => {
        this.addActivity(run, 'agent', { sessionCompleted: {} }, 'Session completed', [{ changeSet }]);
        session.outputs = [{ pullRequest: { url: pull.url, title: session.title, description: 'Made by the fake Jules.', headRef: pull.headRef, baseRef: session.sourceContext.githubRepoContext?.startingBranch ?? repo.defaultBranch.displayName } }];
        this.setState(run, 'COMPLETED');
      }, (error: unknown) => {
        this.finishFailed(run, `could not open the pull request: ${error instanceof Error ? error.message : String(error)}`);
      }).finally(() => {
        run.openingPull = false;
        this.opening.delete(opening);
      });
      this.opening.add(opening);
      return;
    }
    this.addActivity(run, 'agent', { sessionCompleted: {} }, 'Session completed', [{ changeSet }]);
    session.outputs = wantsPull
      ? [{ pullRequest: { url: `${this.scenario.githubWebUrl ?? 'https://github.com'}/${repo.owner}/${repo.repo}/pull/${this.nextPull++}`, title: session.title, description: 'Made by the fake Jules.', headRef: `jules/${session.id}`, baseRef: session.sourceContext.githubRepoContext?.startingBranch ?? repo.defaultBranch.displayName } }]
      : [{ changeSet }];
    this.setState(run, 'COMPLETED');
  }

  private finishFailed(run: SessionRuntime, reason: string): void {
    this.addActivity(run, 'system', { sessionFailed: { reason } }, 'Session failed');
    this.setState(run, 'FAILED');
  }

  private setState(run: SessionRuntime, state: FakeSession['state']): void {
    run.session.state = state;
    run.session.updateTime = this.clock.now();
  }

  private addActivity(run: SessionRuntime, originator: FakeActivity['originator'], kind: ActivityKind, description: string, artifacts?: readonly Artifact[]): void {
    const id = `act${this.nextActivity++}`;
    run.activities.push({ name: `${run.session.name}/activities/${id}`, id, originator, description, createTime: this.clock.now(), ...(artifacts === undefined ? {} : { artifacts }), ...kind });
    run.session.updateTime = this.clock.now();
  }

  private sourceForCreate(name: string): FakeSource {
    try {
      return this.source(name);
    } catch {
      // What the real service said for a source it could not use (jules-sdk#20).
      throw new JulesRpcError(400, `Could not get source ${name}.`, 'FAILED_PRECONDITION');
    }
  }

  private runtime(id: string): SessionRuntime {
    const run = this.sessions.get(id.replace(/^sessions\//, ''));
    if (run === undefined) throw entityNotFound();
    return run;
  }
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0] ?? '';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
