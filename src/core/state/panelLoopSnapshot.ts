import { plainText } from '../../shared/codeSpans';
import { isExternalUrl, type PanelLoop, type PanelLoopAction, type PanelPullCare } from '../../shared/loopSnapshot';
import { maxShownExcerptChars, type PanelPullAuthor, type PanelPullCareState } from '../../shared/pullCare';
import type { NeedsYouItem } from '../../shared/protocol';
import type { Redactor } from '../logging/redactor';
import type { LoopCounts, LoopNeedsYou, LoopState, PlannedAction, PullCareView, WorkRef } from '../loop/engine/loopModel';
import type { PullAuthor, PullCareState } from '../loop/tracks/maintenance/maintenanceDecision';
import { focusLabel, focusUrl, workLabel } from '../loop/tracks/planning/workNames';
import { needsYouLink, pullRequestPage } from '../views/loopLinks';
import { tickError } from '../views/loopText';
import { describeAction } from '../loop/engine/describeAction';

/** The panel's care states and authors must be exactly the track's (compile-time check). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const pullCareStatesAgree: Same<PullCareState, PanelPullCareState> = true;
export const pullAuthorsAgree: Same<PullAuthor, PanelPullAuthor> = true;

/** The panel shows the loop's words as text: a reason's code ticks (`ato.merge.auto`) are dropped. */
function nullablePlain(text: string | undefined): string | null {
  return text === undefined ? null : plainText(text);
}

function action(planned: PlannedAction | undefined): PanelLoopAction | null {
  return planned === undefined ? null : { kind: planned.kind, summary: describeAction(planned), reason: plainText(planned.reason) };
}

/**
 * The loop part of the panel's snapshot and the loop's needs-you items, redacted (GitHub text can quote
 * anything, an agent's log included). Links the panel may not open become null, and the item's action
 * with them.
 */
export function loopSnapshot(loop: LoopState, offReason: string | null, redactor: Redactor): { readonly loop: PanelLoop; readonly needsYou: NeedsYouItem[] } {
  // A link that quotes a secret is dropped rather than redacted: a redacted URL is no URL.
  const link = (url: string | undefined | null): string | null => url !== undefined && url !== null && isExternalUrl(url) && redactor.redact(url) === url ? url : null;
  const stage = loop.stage;
  const panel: PanelLoop = {
    mode: loop.mode,
    offReason,
    running: loop.running,
    pausedUnfocused: loop.running && loop.pausedUnfocused === true,
    ticking: loop.ticking,
    error: nullablePlain(tickError(loop)),
    stage: stage === undefined ? null : {
      stage: stage.stage,
      reason: plainText(stage.reason),
      focus: stage.focus === undefined ? null : {
        kind: stage.focus.kind,
        label: focusLabel(stage.focus),
        title: stage.focus.title,
        issue: ref(stage.focus.issue, link),
        pullRequest: ref(stage.focus.pullRequest, link),
        url: link(focusUrl(stage.focus)),
      },
      action: action(stage.action),
    },
    lastTickAt: loop.lastTickAt ?? null,
    nextTickAt: loop.nextTickAt ?? null,
    plan: loop.plan === undefined ? null : {
      at: loop.plan.at,
      stage: loop.plan.stage?.stage ?? null,
      tracks: loop.plan.tracks.map(track => ({ track: track.track, action: action(track.action ?? track.held?.action), waitsFor: track.held?.waitsFor ?? null, reason: plainText(track.reason) })),
    },
    lastReport: loop.lastReport === undefined ? null : {
      at: loop.lastTickAt ?? loop.lastReport.plan.at,
      outcomes: loop.lastReport.outcomes.map(outcome => ({ track: outcome.track, summary: describeAction(outcome.action), result: outcome.result, message: plainText(outcome.message) })),
      requests: nonNegative(loop.lastReport.requests),
      points: nonNegative(loop.lastReport.points),
    },
    rateLimit: {
      core: loop.rateLimit.core === undefined ? null : budget(loop.rateLimit.core),
      graphql: loop.rateLimit.graphql === undefined ? null : budget(loop.rateLimit.graphql),
    },
    redPullRequests: loop.redPullRequests.filter(pr => validNumber(pr.number)).map(pr => ({
      number: pr.number,
      title: pr.title,
      url: link(pr.url),
      isDraft: pr.isDraft,
      failingChecks: pr.failingChecks.map(check => ({ name: check.name, url: link(check.url) })),
      fixAttempts: nonNegative(pr.fixAttempts),
      care: pr.care === undefined ? null : careOf(pr.care, redactor),
    })),
    followedPullRequests: loop.followedPullRequests.filter(pr => validNumber(pr.number)).map(pr => ({
      number: pr.number,
      title: pr.title,
      url: link(pr.url),
      author: pr.author,
      isDraft: pr.isDraft,
      workKind: pr.work.kind,
      work: workLabel(pr.work),
      ci: pr.ci,
      failingChecks: pr.failingChecks.map(check => ({ name: check.name, url: link(check.url) })),
      pendingChecks: [...pr.pendingChecks],
      ready: pr.verdict.ready,
      rules: pr.verdict.rules.map(rule => ({ rule: rule.rule, ok: rule.ok, detail: rule.detail })),
    })),
    counts: loop.counts === undefined ? null : countsOf(loop.counts),
    lease: loop.lease === undefined ? null : { ...loop.lease },
  };
  const items = loop.needsYou.map((item, index) => needsYouItem(item, index, link));
  return redactor.redactValue({ loop: panel, needsYou: items });
}

function needsYouItem(item: LoopNeedsYou, index: number, link: (url: string | undefined) => string | null): NeedsYouItem {
  const target = link(needsYouLink(item)) ?? undefined;
  const page = link(item.url === undefined ? undefined : pullRequestPage(item.url));
  const key = `loop:${item.kind}:${item.pullNumber ?? item.issueNumber ?? item.taskId ?? `#${index}`}`;
  const base = { kind: item.kind, key, title: plainText(item.title), detail: plainText(item.detail) };
  if (item.kind === 'readyToMerge' || item.action === 'merge') {
    const pullNumber = item.pullNumber;
    return validNumber(pullNumber)
      ? { ...base, label: 'Merge', action: { type: 'loop.merge', pullNumber }, url: page }
      : { ...base, label: 'Merge', action: null, url: page };
  }
  // A task whose run failed (or whose issue was closed): one click puts it back in pending/ on the planning branch.
  if (item.action === 'requeue' && item.taskId !== undefined && item.taskId.length >= 1 && item.taskId.length <= 200) {
    return { ...base, label: 'Requeue', action: { type: 'requeueTask', taskId: item.taskId }, url: target ?? page };
  }
  if (item.kind === 'workflowsAwaitingApproval') {
    return { ...base, label: 'Approve on GitHub', action: target === undefined ? null : { type: 'openExternal', url: target }, url: page === target ? null : page };
  }
  if (target !== undefined) return { ...base, label: 'Open', action: { type: 'openExternal', url: target }, url: null };
  // Nothing to click: the detail says what to do (e.g. fix the task file on the default branch).
  return { ...base, label: '', action: null, url: null };
}

function ref(item: WorkRef | undefined, link: (url: string) => string | null): { number: number; title: string; url: string | null } | null {
  return item === undefined || !validNumber(item.number) ? null : { number: item.number, title: item.title, url: link(item.url) };
}

function countsOf(counts: LoopCounts): NonNullable<PanelLoop['counts']> {
  return {
    pending: nonNegative(counts.pending),
    processed: nonNegative(counts.processed),
    complete: nonNegative(counts.complete),
    invalid: nonNegative(counts.invalid),
    unpromoted: nonNegative(counts.unpromoted),
    openAtoIssues: nonNegative(counts.openAtoIssues),
    openPullRequests: nonNegative(counts.openPullRequests),
    followedPullRequests: nonNegative(counts.followedPullRequests),
    localDrafts: nonNegative(counts.localDrafts),
  };
}

function validNumber(value: number | undefined): value is number {
  return value !== undefined && Number.isSafeInteger(value) && value > 0 && value <= 2_147_483_647;
}

function nonNegative(value: number): number {
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}

function budget(value: { readonly limit: number; readonly remaining: number; readonly resetAt: string }): { limit: number; remaining: number; resetAt: string } {
  return { limit: nonNegative(value.limit), remaining: nonNegative(value.remaining), resetAt: value.resetAt };
}

/**
 * A PR's care as the panel shows it. The excerpt is a CI log (hostile text): bounded here (the whole snapshot is
 * redacted after), shown as text; a bound cut says so at its end.
 */
function careOf(care: PullCareView, redactor: Redactor): PanelPullCare {
  // Redacted before the bound: a redaction that lengthens the text cannot push it past what the schema allows.
  const excerpt = care.logExcerpt === undefined || care.logExcerpt === '' ? null : boundedExcerpt(redactor.redact(care.logExcerpt));
  return {
    state: care.state,
    attempts: nonNegative(care.attempts),
    maxAttempts: nonNegative(care.maxAttempts),
    reason: plainText(care.reason),
    author: care.author,
    lastFix: care.lastFix === undefined ? null : { attempt: nonNegative(care.lastFix.attempt), headSha: care.lastFix.headSha, agent: care.lastFix.agent, at: care.lastFix.at },
    logExcerpt: excerpt,
  };
}

const cutMark = '\n… (cut)';

function boundedExcerpt(text: string): string {
  return text.length <= maxShownExcerptChars ? text : `${text.slice(0, maxShownExcerptChars - cutMark.length)}${cutMark}`;
}
