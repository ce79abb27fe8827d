import type { Logger } from '../../logging/logger';
import type { TaskType } from '../../tasks/taskTypes';
import type { AgentBackend, AgentHealth, AgentLimits, AgentOutput, AgentRunHandle, AgentRunStatus, DispatchRequest } from '../agentBackend';
import { CopilotWaiter, type PollErrorVerdict, type WaitIntervals } from '../copilot/copilotWaiter';
import { JulesActivityFeed } from './julesActivityFeed';
import { JulesApiError } from './julesApiError';
import { JulesClient, type JulesFetch } from './julesClient';
import { isSessionForTask, markedPrompt, sessionIdOf } from './julesRunMarker';
import type { JulesSession } from './julesSchemas';
import { JulesSessionLedger } from './julesSessionLedger';
import { describeLookupError, findJulesSource, type JulesSourceLookup } from './julesSource';
import { describeActivity, isTerminalJulesState, julesRunStatus } from './julesStatus';

/** Work that ends in a pull request: what Jules does. */
export const julesTaskTypes: readonly TaskType[] = ['feature', 'fix', 'ci_fix', 'documentation', 'maintenance', 'capability_update'];

/** Jules works for minutes: 10 s, then up to a minute while nothing changes. */
export const defaultJulesWaitIntervals: WaitIntervals = { initialMs: 10_000, factor: 1.5, maxMs: 60_000 };

/** Sessions listed when looking for one a restart left unrecorded (100 per page, newest first). */
const maxSessionPages = 5;

export interface JulesBackendDeps {
  /** `ato.jules.apiUrl`: the only host the key goes to. */
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly workspaceRoot: string;
  /** `ato.agents.jules.concurrent`. */
  readonly concurrent: number;
  /** `ato.agents.jules.dailySessions`; 0 = no cap of ATO's own. */
  readonly dailySessions: number;
  /** `ato.agents.jules.requirePlanApproval`. */
  readonly requirePlanApproval: boolean;
  /** `ato.agents.jules.startingBranch`; '' = the repository's default branch. */
  readonly startingBranch: string;
  readonly requestTimeoutMs: number;
  readonly log: Logger;
  readonly now?: () => Date;
  readonly waitIntervals?: WaitIntervals;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly fetch?: JulesFetch;
  /** The GitHub whose repositories Jules works on: github.com (default); tests point it at the fake GitHub. */
  readonly githubApiUrl?: string;
}

/** The pull request a completed session reported (`outputs[].pullRequest`), as Jules wrote it: hostile input. */
export interface JulesReportedPullRequest {
  readonly url: string;
  readonly headRef?: string | undefined;
}

/**
 * Google Jules (PRODUCT §5, `jules`): a session on the repository's Jules source with `AUTO_CREATE_PR`, its
 * plan approved by you when `requirePlanApproval` is on. Needs no worktree. Creation is serialised (the API
 * fails parallel creates) and idempotent by the task's marker in the prompt; ATO keeps a daily ledger.
 */
export class JulesBackend implements AgentBackend {
  readonly id = 'jules';
  readonly kind = 'jules' as const;
  readonly taskTypes: ReadonlySet<TaskType> = new Set(julesTaskTypes);
  readonly limits: AgentLimits;
  readonly needsWorktree = false;
  readonly remoteRuns = true;
  readonly ledger: JulesSessionLedger;
  private readonly client: JulesClient;
  private readonly feed: JulesActivityFeed;
  private readonly waiter: CopilotWaiter;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly outputs = new Map<string, (output: AgentOutput) => void>();
  private readonly cancelled = new Set<string>();
  private creating: Promise<unknown> = Promise.resolve();
  private sourceLookup: Promise<JulesSourceLookup> | undefined;

  constructor(private readonly deps: JulesBackendDeps) {
    this.now = deps.now ?? (() => new Date());
    this.limits = { concurrent: deps.concurrent };
    this.log = deps.log.scoped(this.id);
    this.client = new JulesClient({ apiUrl: deps.apiUrl, apiKey: deps.apiKey, timeoutMs: deps.requestTimeoutMs, ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }), now: () => this.now().getTime() });
    this.feed = new JulesActivityFeed(this.client);
    this.ledger = new JulesSessionLedger(deps.workspaceRoot, deps.dailySessions, this.now);
    this.waiter = new CopilotWaiter({
      poll: handle => this.poll(handle),
      intervals: deps.waitIntervals ?? defaultJulesWaitIntervals,
      ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
      log: this.log,
      report: (handle, text) => { this.emit(handle.runId, text); },
      judgeError: judgeJulesError,
    });
  }

  /** Sessions ATO created in the last 24 h, for the fleet's ledger. */
  sessionsToday(): Promise<number> {
    return this.ledger.sessionsToday();
  }

  get dailyCap(): number {
    return this.deps.dailySessions;
  }

  /** The key is set, the API answers, the repository is a Jules source, and the daily cap is not reached. */
  async health(): Promise<AgentHealth> {
    if (this.deps.apiKey.trim() === '') return { ok: false, detail: 'no Jules API key: run "ATO: Set Jules API Key" (headless ATO_JULES_API_KEY)' };
    let lookup: JulesSourceLookup;
    try {
      lookup = await this.source(true);
    } catch (error) {
      return { ok: false, detail: describeLookupError(error) };
    }
    if (lookup.kind === 'missing') return { ok: false, detail: lookup.reason };
    const today = await this.ledger.sessionsToday();
    const cap = this.deps.dailySessions;
    if (cap > 0 && today >= cap) return { ok: false, detail: `daily cap reached: ${today}/${cap} sessions in the last 24 h (ato.agents.jules.dailySessions)` };
    return { ok: true, detail: `source ${lookup.source.name}; ${today}${cap > 0 ? `/${cap}` : ''} sessions in the last 24 h` };
  }

  /**
   * Adopts the session a restart left unrecorded (a live session whose prompt carries the task's marker),
   * else creates one, one creation at a time.
   */
  dispatch(request: DispatchRequest): Promise<AgentRunHandle> {
    this.outputs.set(request.runId, request.onOutput);
    this.cancelled.delete(request.runId);
    const created = this.creating.then(() => this.adoptOrCreate(request));
    this.creating = created.catch(() => undefined);
    return created;
  }

  private async adoptOrCreate(request: DispatchRequest): Promise<AgentRunHandle> {
    const { task } = request;
    const lookup = await this.source(false);
    if (lookup.kind === 'missing') throw new JulesApiError(`cannot start Jules: ${lookup.reason}`, 'fatal');
    const existing = await this.findLiveSession(task.id);
    if (existing !== undefined) {
      this.emit(request.runId, `Jules session ${existing.url ?? existing.name} already works on this task (${existing.state ?? 'state unknown'}): following it instead of creating a second one`);
      return { runId: request.runId, agentId: this.id, ref: existing.name };
    }
    const cap = this.deps.dailySessions;
    if (cap > 0 && (await this.ledger.sessionsToday()) >= cap) {
      throw new JulesApiError(`Jules daily cap reached: ${cap} sessions in the last 24 h (ato.agents.jules.dailySessions)`, 'rateLimit');
    }
    const branch = this.deps.startingBranch.trim();
    const session = await this.client.createSession({
      prompt: markedPrompt(request.prompt, task.id),
      title: task.title,
      source: lookup.source.name,
      startingBranch: branch === '' ? lookup.source.githubRepo?.defaultBranch?.displayName : branch,
      requirePlanApproval: this.deps.requirePlanApproval,
    });
    await this.ledger.record(session.name, task.id, session.createTime ?? this.now().toISOString());
    this.emit(request.runId, `created Jules session ${session.url ?? session.name} on ${lookup.repo}${this.deps.requirePlanApproval ? ' (its plan waits for your approval)' : ''}`);
    return { runId: request.runId, agentId: this.id, ref: session.name };
  }

  async poll(handle: AgentRunHandle): Promise<AgentRunStatus> {
    const id = sessionIdOf(handle.ref);
    if (this.cancelled.has(handle.runId)) return { state: 'failed', failure: 'cancelled', message: `cancelled; Jules session ${handle.ref} archived`, usage: { sessionId: handle.ref } };
    let session: JulesSession;
    try {
      session = await this.client.getSession(id);
    } catch (error) {
      if (JulesApiError.is(error) && error.status === 404) return { state: 'failed', failure: 'fatal', message: `Jules session ${handle.ref} no longer exists`, usage: {} };
      throw error;
    }
    for (const activity of await this.feed.readNew(id)) this.emit(handle.runId, describeActivity(activity));
    const status = julesRunStatus(session, this.feed.view(id));
    if (isTerminalJulesState(session.state)) this.feed.forget(id);
    return status;
  }

  /** Polls until the session ends; errors are waited out (as long as Jules asks), a refused key ends the run. */
  async wait(handle: AgentRunHandle, onStatus?: (status: AgentRunStatus) => void): Promise<AgentRunStatus> {
    const status = await this.waiter.wait(handle, onStatus);
    this.outputs.delete(handle.runId);
    return status;
  }

  /** The pull request the session reported when it completed, if it did (the loop checks it before it trusts it). */
  async reportedPullRequest(handle: AgentRunHandle): Promise<JulesReportedPullRequest | undefined> {
    const session = await this.client.getSession(sessionIdOf(handle.ref));
    const pull = session.state === 'COMPLETED' ? session.outputs?.find(output => output.pullRequest !== undefined)?.pullRequest : undefined;
    return pull === undefined ? undefined : { url: pull.url, headRef: pull.headRef };
  }

  /** Approves the plan the session waits on (`:approvePlan`); Jules refuses it in any other state. */
  async approvePlan(handle: AgentRunHandle): Promise<void> {
    await this.client.approvePlan(sessionIdOf(handle.ref));
    this.emit(handle.runId, 'you approved the plan');
    this.waiter.wake(handle.runId);
  }

  /** `:sendMessage`: answers a question, or steers the session. */
  async followUp(handle: AgentRunHandle, message: string): Promise<void> {
    await this.client.sendMessage(sessionIdOf(handle.ref), message.trim());
    this.emit(handle.runId, `sent to Jules: ${message.trim()}`);
    this.waiter.wake(handle.runId);
  }

  /**
   * The API has no cancel: ATO stops following the run (it ends as cancelled) and archives the session
   * (`:archive`), so it leaves Jules's list. Idempotent; an unknown session is already gone.
   */
  async cancel(handle: AgentRunHandle): Promise<void> {
    this.cancelled.add(handle.runId);
    this.waiter.wake(handle.runId);
    try {
      await this.client.archive(sessionIdOf(handle.ref));
      this.emit(handle.runId, `archived Jules session ${handle.ref}`);
    } catch (error) {
      if (!(JulesApiError.is(error) && error.status === 404)) throw error;
    }
  }

  /** Stops every `wait` (on deactivate); sessions go on in Jules and are found again by their handles. */
  dispose(): void {
    this.waiter.dispose();
  }

  /** Newest first: the first live session with the task's marker. */
  private async findLiveSession(taskId: string): Promise<JulesSession | undefined> {
    let pageToken: string | undefined;
    for (let page = 0; page < maxSessionPages; page++) {
      const listed = await this.client.listSessions(pageToken);
      const found = listed.items.find(session => isSessionForTask(session, taskId) && !isTerminalJulesState(session.state));
      if (found !== undefined) return found;
      pageToken = listed.nextPageToken;
      if (pageToken === undefined) return undefined;
    }
    return undefined;
  }

  /** Found once and kept; a miss or an error is asked again next time (the app may have been installed since). */
  private source(fresh: boolean): Promise<JulesSourceLookup> {
    if (fresh || this.sourceLookup === undefined) {
      const lookup = findJulesSource(this.client, this.deps.workspaceRoot, this.deps.githubApiUrl);
      this.sourceLookup = lookup;
      lookup.then(result => { if (result.kind === 'missing') this.sourceLookup = undefined; }, () => { this.sourceLookup = undefined; });
    }
    return this.sourceLookup;
  }

  private emit(runId: string, text: string): void {
    this.log.info('%s: %s', runId, text);
    try {
      this.outputs.get(runId)?.({ stream: 'event', text });
    } catch {
      // onOutput must not throw; if it does, the run goes on.
    }
  }
}

/** A refused key ends the run (`auth`); anything else is waited out, as long as a 429's Retry-After asks. */
export function judgeJulesError(error: unknown): PollErrorVerdict {
  if (!JulesApiError.is(error)) return {};
  if (error.failure === 'auth') return { end: { state: 'failed', failure: 'auth', message: error.message, usage: {} } };
  return error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs };
}
