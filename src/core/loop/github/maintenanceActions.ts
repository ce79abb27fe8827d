import type { GitHubMaintenance } from '../../forges/github/githubMaintenance';
import type { PullRequestSummary } from '../../forges/github/githubModel';
import type { GitHubPort } from '../../forges/github/githubPort';
import type { ExecutionResult } from '../engine/loopBackend';
import type { IntentLog } from '../engine/intentLog';
import type { MaintenancePlannedAction } from '../engine/loopModel';
import { ciState } from '../policy/ciState';
import { fixRequestText, type JobLogQuote } from '../texts/fixRequestText';
import { draftAnalysisText, handedToAgentText, rebaseRequestText, reviewFollowUpText } from '../texts/maintenanceTexts';
import { formatMarker, type MaintenanceMarker } from '../texts/markers';
import { logExcerpt } from '../tracks/maintenance/logExcerpt';
import type { FollowUpRequest, MaintenanceAgents } from '../tracks/maintenance/maintenanceAgents';
import { hasRecord, recordsFromComments, type ReadRecord } from '../tracks/maintenance/maintenanceRecords';

export interface MaintenanceActionContext {
  readonly port: GitHubPort;
  readonly maintenance: GitHubMaintenance;
  /** The port to local agents, Jules and the draft analyser (absent: those follow-ups are not taken). */
  readonly agents: MaintenanceAgents | undefined;
  readonly intents: IntentLog;
  /** The token's user: only its comments are ATO's records. */
  readonly viewerLogin: string | undefined;
  readonly checkpoint: (name: string) => void | Promise<void>;
}

/** Failed jobs quoted per fix request, and the tail of each log read (errors come late in a log). */
const maxJobsQuoted = 3;
const maxLogBytes = 256 * 1024;
const excerptChars = 4_000;

type Kind<K extends MaintenancePlannedAction['kind']> = Extract<MaintenancePlannedAction, { kind: K }>;

/**
 * Carries out one maintenance action (issue 11). Each looks before it writes: the PR's head is read again (a
 * moved head makes the action stale) and ATO's marker comments on the PR are read back, so a second run — after
 * a crash, or by a racing loop that got the lease second — finds the record and writes nothing.
 */
export async function executeMaintenanceAction(context: MaintenanceActionContext, action: MaintenancePlannedAction): Promise<ExecutionResult> {
  const pr = await context.port.getPullRequest(action.pullNumber);
  if (pr.state !== 'open') return { result: 'skipped', message: `PR #${String(pr.number)} is ${pr.state}: nothing to maintain.` };
  if (pr.headSha !== action.headSha) return { result: 'skipped', message: `PR #${String(pr.number)}'s head moved to ${pr.headSha.slice(0, 7)} since the plan: the next tick decides again.` };
  const intent = await context.intents.begin(action.kind, `${action.kind}:${String(pr.number)}:${intentDetail(action)}`, { pull: pr.number, head: pr.headSha });
  const result = await run(context, action, pr);
  await context.intents.finish(intent);
  return result;
}

function intentDetail(action: MaintenancePlannedAction): string {
  switch (action.kind) {
    case 'requestFix': return `${String(action.attempt)}:${action.headSha}`;
    case 'sendReviewFollowUp': return String(action.reviewId);
    case 'analyzeDraft':
    case 'updateBranch':
    case 'askRebase':
      return action.headSha;
  }
}

async function run(context: MaintenanceActionContext, action: MaintenancePlannedAction, pr: PullRequestSummary): Promise<ExecutionResult> {
  switch (action.kind) {
    case 'requestFix': return requestFix(context, action, pr);
    case 'analyzeDraft': return analyzeDraft(context, action, pr);
    case 'updateBranch': return updateBranch(context, action, pr);
    case 'askRebase': return askRebase(context, action, pr);
    case 'sendReviewFollowUp': return sendReviewFollowUp(context, action, pr);
  }
}

async function records(context: MaintenanceActionContext, pr: PullRequestSummary): Promise<ReadRecord[]> {
  return recordsFromComments(pr.number, await context.port.listComments(pr.number), context.viewerLogin);
}

function marker(record: MaintenanceMarker): string {
  return formatMarker({ kind: 'maintenance', record });
}

/** The follow-up sent to `agentId` (an agent ATO runs, or Jules), then the marker comment that records it. */
async function handToAgent(context: MaintenanceActionContext, name: string, agentId: string | undefined, request: FollowUpRequest, what: string, record: MaintenanceMarker): Promise<string | ExecutionResult> {
  const { agents } = context;
  if (agents === undefined || agentId === undefined) return { result: 'failed', message: `PR #${String(request.pullNumber)}: no agent hook reaches ${agentId ?? 'the agent that wrote it'} here; it needs you.` };
  // The port is idempotent by (PR, kind, attempt): after a crash before the record, this returns the first run.
  const reference = agentId === 'jules' ? `session ${(await agents.sendToJules(request)).sessionId}` : `run ${(await agents.startLocalFollowUp(request, agentId)).runId}`;
  await context.checkpoint(`${name}:afterAgent`);
  await context.port.createComment(request.pullNumber, handedToAgentText({ what, agentId, reference, prompt: request.prompt, marker: marker(record) }));
  await context.checkpoint(`${name}:afterComment`);
  return reference;
}

function followUp(pr: PullRequestSummary, kind: FollowUpRequest['kind'], attempt: number, prompt: string): FollowUpRequest {
  return { kind, pullNumber: pr.number, pullUrl: pr.url, title: pr.title, headRef: pr.headRefName, headSha: pr.headSha, baseRef: pr.baseRefName, attempt, prompt };
}

async function requestFix(context: MaintenanceActionContext, action: Kind<'requestFix'>, pr: PullRequestSummary): Promise<ExecutionResult> {
  const attempt = { kind: 'fix' as const, attempt: action.attempt, headSha: pr.headSha };
  if (hasRecord(await records(context, pr), attempt)) return { result: 'skipped', message: `Fix attempt ${String(action.attempt)} on PR #${String(pr.number)} was asked already.` };
  await context.checkpoint('requestFix:read');
  const failing = ciState(pr.checks).failing;
  const logs = await jobLogs(context, pr.headSha);
  const record: MaintenanceMarker = { request: 'fix', pr: pr.number, attempt: action.attempt, headSha: pr.headSha, ...(action.agentId === undefined ? {} : { agent: action.agentId }) };
  const base = { pullNumber: pr.number, headSha: pr.headSha, attempt: action.attempt, maxAttempts: action.maxAttempts, checks: failing.map(check => ({ name: check.name, conclusion: (check.conclusion ?? check.status).toLowerCase(), ...(check.url === null ? {} : { url: check.url }) })), logs };
  const agent = action.agentId ?? action.author;
  if (agent === 'copilot') {
    await context.checkpoint('requestFix:beforeComment');
    await context.port.createComment(pr.number, fixRequestText({ ...base, mention: '@copilot', marker: marker(record) }));
    await context.checkpoint('requestFix:afterComment');
    return { result: 'done', message: `Asked Copilot to fix CI on PR #${String(pr.number)} (attempt ${String(action.attempt)} of ${String(action.maxAttempts)}, ${String(logs.length)} job log excerpt(s)).` };
  }
  const handed = await handToAgent(context, 'requestFix', action.agentId, followUp(pr, 'fix', action.attempt, fixRequestText(base)), `fix attempt ${String(action.attempt)}`, record);
  if (typeof handed !== 'string') return handed;
  return { result: 'done', message: `Asked ${agent} to fix CI on PR #${String(pr.number)} (attempt ${String(action.attempt)} of ${String(action.maxAttempts)}, ${handed}).` };
}

/** The excerpt around the first errors of each failed job's log on this head (Actions only; other CI has no log here). */
async function jobLogs(context: MaintenanceActionContext, headSha: string): Promise<JobLogQuote[]> {
  const jobs = (await context.maintenance.failedJobs(headSha)).slice(0, maxJobsQuoted);
  const quotes: JobLogQuote[] = [];
  for (const job of jobs) {
    const log = await context.maintenance.jobLog(job.jobId, maxLogBytes);
    const excerpt = logExcerpt(log.text, { maxChars: excerptChars });
    quotes.push({ job: job.name, excerpt: excerpt.text, shortened: excerpt.shortened || log.truncated });
  }
  return quotes;
}

async function updateBranch(context: MaintenanceActionContext, action: Kind<'updateBranch'>, pr: PullRequestSummary): Promise<ExecutionResult> {
  const outcome = await context.maintenance.updateBranch(pr.number, pr.headSha);
  await context.checkpoint('updateBranch:afterUpdate');
  switch (outcome) {
    case 'updated':
      return { result: 'done', message: `Updated PR #${String(pr.number)}'s branch with ${pr.baseRefName}; CI runs again on the new head.` };
    case 'upToDate':
      return { result: 'skipped', message: `PR #${String(pr.number)}'s branch is up to date with ${pr.baseRefName}.` };
    case 'headMoved':
      return { result: 'skipped', message: `PR #${String(pr.number)}'s head moved since ${action.headSha.slice(0, 7)}: the next tick decides again.` };
    case 'conflict': {
      const record = { kind: 'updateBranch' as const, attempt: 0, headSha: pr.headSha };
      if (!(await records(context, pr)).some(found => found.kind === 'updateBranch' && found.headSha === pr.headSha)) {
        await context.port.createComment(pr.number, `GitHub cannot update this branch with ${pr.baseRefName}: it conflicts. ATO asks its agent to rebase.\n\n${marker({ request: 'updateBranch', pr: pr.number, attempt: record.attempt, headSha: pr.headSha, outcome: 'conflict' })}`);
        await context.checkpoint('updateBranch:afterComment');
      }
      return { result: 'done', message: `PR #${String(pr.number)} conflicts with ${pr.baseRefName}: GitHub cannot update it; its agent is asked to rebase next.` };
    }
  }
}

async function askRebase(context: MaintenanceActionContext, action: Kind<'askRebase'>, pr: PullRequestSummary): Promise<ExecutionResult> {
  const record: MaintenanceMarker = { request: 'rebase', pr: pr.number, attempt: action.attempt, headSha: pr.headSha, ...(action.agentId === undefined ? {} : { agent: action.agentId }) };
  if ((await records(context, pr)).some(found => found.kind === 'rebase' && found.headSha === pr.headSha)) return { result: 'skipped', message: `PR #${String(pr.number)}'s agent was asked to rebase ${pr.headSha.slice(0, 7)} already.` };
  await context.checkpoint('askRebase:read');
  if ((action.agentId ?? action.author) === 'copilot') {
    await context.port.createComment(pr.number, rebaseRequestText({ mention: '@copilot', headSha: pr.headSha, baseRef: pr.baseRefName, marker: marker(record) }));
    await context.checkpoint('askRebase:afterComment');
    return { result: 'done', message: `Asked Copilot to rebase PR #${String(pr.number)} onto ${pr.baseRefName}.` };
  }
  const handed = await handToAgent(context, 'askRebase', action.agentId, followUp(pr, 'rebase', action.attempt, rebaseRequestText({ headSha: pr.headSha, baseRef: pr.baseRefName })), 'a rebase', record);
  if (typeof handed !== 'string') return handed;
  return { result: 'done', message: `Asked ${action.agentId ?? action.author} to rebase PR #${String(pr.number)} (${handed}).` };
}

async function sendReviewFollowUp(context: MaintenanceActionContext, action: Kind<'sendReviewFollowUp'>, pr: PullRequestSummary): Promise<ExecutionResult> {
  const record: MaintenanceMarker = { request: 'reviewFollowUp', pr: pr.number, attempt: action.attempt, headSha: pr.headSha, reviewId: action.reviewId, ...(action.agentId === undefined ? {} : { agent: action.agentId }) };
  if ((await records(context, pr)).some(found => found.kind === 'reviewFollowUp' && found.reviewId === action.reviewId)) return { result: 'skipped', message: `Review ${String(action.reviewId)}'s comments on PR #${String(pr.number)} were sent already.` };
  await context.checkpoint('sendReviewFollowUp:read');
  const reviewers = pr.reviews.filter(review => review.state.toUpperCase() === 'CHANGES_REQUESTED' && review.authorCanPush).map(review => review.author);
  const lower = new Set(reviewers.map(login => login.toLowerCase()));
  const comments = (await context.maintenance.reviewComments(pr.number))
    .filter(comment => action.reviewId === 0 ? lower.has(comment.author.toLowerCase()) : comment.reviewId === action.reviewId);
  const text = (mention?: string): string => reviewFollowUpText({ ...(mention === undefined ? {} : { mention }), reviewers, comments, ...(mention === undefined ? {} : { marker: marker(record) }) });
  if ((action.agentId ?? action.author) === 'copilot') {
    await context.port.createComment(pr.number, text('@copilot'));
    await context.checkpoint('sendReviewFollowUp:afterComment');
    return { result: 'done', message: `Sent review ${String(action.reviewId)}'s ${String(comments.length)} line comment(s) on PR #${String(pr.number)} to Copilot.` };
  }
  const handed = await handToAgent(context, 'sendReviewFollowUp', action.agentId, followUp(pr, 'reviewFollowUp', action.attempt, text()), `review ${String(action.reviewId)}'s comments`, record);
  if (typeof handed !== 'string') return handed;
  return { result: 'done', message: `Sent review ${String(action.reviewId)}'s comments on PR #${String(pr.number)} to ${action.agentId ?? action.author} (${handed}).` };
}

async function analyzeDraft(context: MaintenanceActionContext, action: Kind<'analyzeDraft'>, pr: PullRequestSummary): Promise<ExecutionResult> {
  if (context.agents === undefined) return { result: 'failed', message: `PR #${String(pr.number)}: no read-only analyser is wired here.` };
  if ((await records(context, pr)).some(found => found.kind === 'analysis' && found.headSha === pr.headSha)) return { result: 'skipped', message: `The red draft PR #${String(pr.number)} at ${pr.headSha.slice(0, 7)} was analysed already.` };
  await context.checkpoint('analyzeDraft:read');
  const failing = ciState(pr.checks).failing;
  const logs = await jobLogs(context, pr.headSha);
  const prompt = fixRequestText({ pullNumber: pr.number, headSha: pr.headSha, attempt: 0, maxAttempts: 0, checks: failing.map(check => ({ name: check.name, conclusion: (check.conclusion ?? check.status).toLowerCase() })), logs });
  const analysis = await context.agents.analyzeDraft({ pullNumber: pr.number, pullUrl: pr.url, title: pr.title, headRef: pr.headRefName, headSha: pr.headSha, prompt });
  await context.checkpoint('analyzeDraft:afterAnalysis');
  await context.port.createComment(pr.number, draftAnalysisText({ agentId: analysis.agentId, headSha: pr.headSha, analysis: analysis.body, marker: marker({ request: 'analysis', pr: pr.number, attempt: 0, headSha: pr.headSha, ...(/^[a-z0-9][a-z0-9._-]{0,63}$/.test(analysis.agentId) ? { agent: analysis.agentId } : {}) }) }));
  await context.checkpoint('analyzeDraft:afterComment');
  return { result: 'done', message: `Posted ${analysis.agentId}'s analysis of the red draft PR #${String(pr.number)} (${action.headSha.slice(0, 7)}).` };
}
