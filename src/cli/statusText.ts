import { ciStateLabels, loopCountsText, verdictText } from '../shared/loopWords';
import { attemptsText, pullCareLabels } from '../shared/pullCare';
import type { StatusDocument, StatusLoop } from '../core/state/statusDocument';

type AvailableLoop = Extract<StatusLoop, { available: true }>;

/**
 * `ato status` for people: the workspace and planning folder, setting problems, then the loop — stage and
 * reason, focus, the next tick's steps (a merge waiting for you included), counts from the planning branch,
 * followed PRs with their CI and verdict, red PRs, needs-you and the rate-limit budget. The same document as
 * `--json`; GitHub text is printed as text.
 */
export function renderStatus(document: StatusDocument): string {
  const lines = [`workspace: ${document.workspace}`, planningLine(document)];
  for (const problem of document.settingsProblems) lines.push(`setting: ${problem.message}`);
  const loop = document.loop;
  if (!loop.available) lines.push(`loop: ${loop.mode === 'off' ? 'off' : `${loop.mode}, not running`} — ${loop.reason}`);
  else lines.push(...loopLines(loop));
  return `${lines.join('\n')}\n`;
}

function planningLine(document: StatusDocument): string {
  const planning = document.planning;
  if (planning.kind !== 'ready') return `planning: ${planning.kind}`;
  // The loop's truth is its planning branch: the working tree's counts would contradict its own.
  if (document.loop.available) return 'planning: ready (the loop reads the planning branch; counts below)';
  const invalid = planning.queue.invalid ?? 0;
  return `planning: ready (${String(planning.queue.pending)} pending, ${String(planning.queue.processed)} dispatched, ${String(planning.queue.complete)} complete${invalid > 0 ? `, ${String(invalid)} invalid` : ''})`;
}

function loopLines(loop: AvailableLoop): string[] {
  const lines = [
    `loop: ${loop.repository}, planning branch ${loop.branch}`,
    `stage ${loop.stage} · ${loop.stageName}: ${loop.reason}`,
  ];
  if (loop.focus !== null) {
    lines.push(`focus: ${loop.focus.label} — ${loop.focus.title}`);
    // The issue's and the PR's own titles, when they are not the work's (the label has their numbers).
    if (loop.focus.issue !== null && loop.focus.issue.title !== loop.focus.title) lines.push(`  issue #${String(loop.focus.issue.number)}: ${loop.focus.issue.title}`);
    if (loop.focus.pullRequest !== null && loop.focus.pullRequest.title !== loop.focus.title) lines.push(`  PR #${String(loop.focus.pullRequest.number)}: ${loop.focus.pullRequest.title}`);
  }
  lines.push('next tick:');
  for (const step of loop.next) {
    const what = step.summary === null ? 'nothing' : step.waitsFor === 'you' ? `${step.summary} (waits for you)` : step.waitsFor === 'trust' ? `${step.summary} (not taken: untrusted)` : step.summary;
    lines.push(`  ${step.track}: ${what} — ${step.reason}`);
  }
  lines.push(`counts on ${loop.branch}: ${loopCountsText(loop.counts).text}`);
  lines.push(loop.followedPullRequests.length === 0 ? 'pull requests the loop follows: none' : 'pull requests the loop follows:');
  for (const pr of loop.followedPullRequests) {
    lines.push(`  #${String(pr.number)} ${pr.title} (by ${pr.author}) — ${pr.work.label} · ${ciStateLabels[pr.ci]} · ${verdictText(pr.verdict.rules)}`);
    for (const rule of pr.verdict.rules) lines.push(`      ${rule.ok ? '✓' : '✗'} ${rule.detail}`);
  }
  lines.push(loop.redPullRequests.length === 0 ? 'red PRs: none' : 'red PRs:');
  for (const pr of loop.redPullRequests) lines.push(`  #${String(pr.number)} ${pr.title} — ${pr.care === null ? '' : `${careLine(pr.care)} — `}failing: ${pr.failingChecks.map(check => check.name).join(', ') || 'none named'}${pr.isDraft ? ' (draft)' : ''}`);
  lines.push(loop.needsYou.length === 0 ? 'needs you: nothing' : 'needs you:');
  for (const item of loop.needsYou) lines.push(`  ${item.title} — ${item.detail}${item.url === null ? '' : ` ${item.url}`}`);
  const budgets = [['core', loop.rateLimit.core], ['GraphQL', loop.rateLimit.graphql]] as const;
  const shown = budgets.flatMap(([name, value]) => value === null ? [] : [`${name} ${String(value.remaining)}/${String(value.limit)} (resets ${value.resetAt})`]);
  lines.push(`budget: ${shown.length === 0 ? 'not known yet' : shown.join(' · ')}`);
  if (loop.lease !== null && !loop.lease.mine) lines.push(`lease: held by ${loop.lease.holder} until ${loop.lease.expiresAt}`);
  return lines;
}

/** "fixing, attempt 2 of 3 (last: copilot at …, a1b2c3d): <reason>" — one line per PR under care. */
function careLine(care: NonNullable<Extract<StatusLoop, { available: true }>['redPullRequests'][number]['care']>): string {
  const last = care.lastFix === null ? '' : ` (last: ${care.lastFix.agent} at ${care.lastFix.at}, ${care.lastFix.headSha.slice(0, 7)})`;
  return `${pullCareLabels[care.state]}, ${attemptsText(care.attempts, care.maxAttempts)}${last}: ${care.reason}`;
}
