import { describeAction } from '../loop/engine/describeAction';
import type { Focus, FollowedPullRequest, LoopNeedsYou, LoopState, TickPlan, TrackPlan } from '../loop/engine/loopModel';
import { focusLabel, workLabel } from '../loop/tracks/planning/workNames';
import { stageGroupNames } from '../views/loopText';
import type { StatusLoop } from './statusDocument';

type AvailableLoop = Extract<StatusLoop, { available: true }>;

/**
 * The loop's part of `ato status --json` (statusDocument.ts): the stage, reason and focus of a fresh preview,
 * and what the state holds — next steps, counts, followed PRs, red PRs, needs-you, drafts, budgets, lease.
 */
export function loopStatusOf(loop: LoopState, plan: TickPlan, where: { readonly repository: string; readonly branch: string }): StatusLoop {
  const decision = plan.stage;
  if (loop.mode === 'off') return { available: false, mode: 'off', reason: 'No loop runs here.' };
  if (decision === undefined || loop.counts === undefined) return { available: false, mode: loop.mode, reason: loop.error ?? 'The loop has not read its planning branch yet.' };
  return {
    available: true,
    mode: loop.mode,
    repository: where.repository,
    branch: where.branch,
    stage: decision.stage,
    stageName: stageGroupNames[decision.stage[0] as '1' | '2' | '3'],
    reason: decision.reason,
    focus: decision.focus === undefined ? null : focusOf(decision.focus),
    next: plan.tracks.map(nextStep),
    counts: { ...loop.counts },
    followedPullRequests: loop.followedPullRequests.map(pullRequestOf),
    redPullRequests: loop.redPullRequests.map(pr => ({
      number: pr.number, title: pr.title, url: pr.url, isDraft: pr.isDraft, failingChecks: pr.failingChecks.map(check => ({ ...check })), fixAttempts: pr.fixAttempts,
      care: pr.care === undefined ? null : { state: pr.care.state, attempts: pr.care.attempts, maxAttempts: pr.care.maxAttempts, reason: pr.care.reason, author: pr.care.author, lastFix: pr.care.lastFix === undefined ? null : { ...pr.care.lastFix } },
    })),
    needsYou: loop.needsYou.map(needsYouOf),
    drafts: loop.drafts.map(draft => ({ ...draft })),
    rateLimit: {
      core: loop.rateLimit.core === undefined ? null : { limit: loop.rateLimit.core.limit, remaining: loop.rateLimit.core.remaining, resetAt: loop.rateLimit.core.resetAt },
      graphql: loop.rateLimit.graphql === undefined ? null : { limit: loop.rateLimit.graphql.limit, remaining: loop.rateLimit.graphql.remaining, resetAt: loop.rateLimit.graphql.resetAt },
    },
    lease: loop.lease === undefined ? null : { ...loop.lease },
  };
}

function focusOf(focus: Focus): NonNullable<AvailableLoop['focus']> {
  return {
    kind: focus.kind,
    label: focusLabel(focus),
    title: focus.title,
    taskId: focus.taskId ?? null,
    sourcePullRequest: focus.sourcePullRequest ?? null,
    issue: focus.issue === undefined ? null : { ...focus.issue },
    pullRequest: focus.pullRequest === undefined ? null : { ...focus.pullRequest },
  };
}

/** A held action (a merge waiting for you) is in `next` too, with whom it waits for. */
function nextStep(track: TrackPlan): AvailableLoop['next'][number] {
  const action = track.action ?? track.held?.action;
  return { track: track.track, action: action?.kind ?? null, summary: action === undefined ? null : describeAction(action), waitsFor: track.held?.waitsFor ?? null, reason: track.reason };
}

function pullRequestOf(pr: FollowedPullRequest): AvailableLoop['followedPullRequests'][number] {
  return {
    number: pr.number,
    title: pr.title,
    url: pr.url,
    author: pr.author,
    isDraft: pr.isDraft,
    headSha: pr.headSha,
    work: { kind: pr.work.kind, label: workLabel(pr.work), taskId: pr.work.taskId ?? null, sourcePullRequest: pr.work.sourcePullRequest ?? null, issueNumber: pr.work.issueNumber ?? null },
    ci: pr.ci,
    failingChecks: pr.failingChecks.map(check => ({ ...check })),
    pendingChecks: [...pr.pendingChecks],
    verdict: { ready: pr.verdict.ready, rules: pr.verdict.rules.map(rule => ({ rule: rule.rule, ok: rule.ok, detail: rule.detail })) },
  };
}

function needsYouOf(item: LoopNeedsYou): AvailableLoop['needsYou'][number] {
  return {
    kind: item.kind,
    title: item.title,
    detail: item.detail,
    url: item.url ?? null,
    pullNumber: item.pullNumber ?? null,
    issueNumber: item.issueNumber ?? null,
    taskId: item.taskId ?? null,
    action: item.action ?? null,
  };
}
