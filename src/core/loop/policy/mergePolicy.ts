import type { PullRequestSummary } from '../../forges/github/githubModel';
import type { CiReport, ClassifiedCheck } from './ciState';
import type { MergePolicy, MergeRuleResult, MergeVerdict } from '../engine/loopModel';
import type { MergeRefusal } from './mergeRefusals';
import { protectedPathHits } from './protectedPaths';
import { reviewersWhose, reviewSignal } from './pullRequestSignals';
import { isWipTitle } from './wip';
import { upToDateRule } from './mergeTrain';
import { hasLabel } from '../texts/atoLabels';

/**
 * Applies the merge policy (PRODUCT §4 "PR ready") to one PR: every rule, each with a human reason, in a
 * fixed order (open, not WIP, review signal, reviews, not conflicted, up to date (merge train only), checks
 * green, merge state, protected paths, required label, not refused). "Ready" also agrees with GitHub: a requested-changes review, missing
 * required approvals or code-owner reviews, a merge state GitHub calls blocked, and a merge GitHub refused
 * (`refusal`, until the PR changes) are not ready. `ci` must be `ciState(pr.checks)`: the checks of the PR's
 * head commit, so a merge pinned to `pr.headSha` merges exactly what was checked. A draft is not a rule: ATO
 * marks it ready before merging.
 */
export function mergeVerdict(pr: PullRequestSummary, policy: MergePolicy, ci: CiReport, refusal?: MergeRefusal): MergeVerdict {
  const rules: MergeRuleResult[] = [
    openRule(pr),
    wipRule(pr),
    reviewRule(pr, policy),
    reviewsRule(pr),
    conflictRule(pr),
    // The train's rule shows only with the train on: with it off the verdict is what it always was.
    ...(policy.train ? [upToDateRule(pr)] : []),
    checksRule(pr, policy, ci),
    mergeStateRule(pr, policy),
    protectedPathsRule(pr, policy),
    labelRule(pr, policy),
    refusalRule(refusal),
  ];
  return { ready: rules.every(rule => rule.ok), rules };
}

/** The reasons a verdict is not ready, one clause per unmet rule, e.g. "checks pending: ci/build". */
export function unmetReasons(verdict: MergeVerdict): string[] {
  return verdict.rules.filter(rule => !rule.ok).map(rule => rule.detail);
}

/**
 * Rules only a person can satisfy: those the policy forbids ATO and a merge GitHub refused, always; and once
 * nothing else is missing, what waiting will not change — no CI at all, a review GitHub requires, a merge
 * GitHub blocks for its own reasons. (A PR still being worked on may not have started its CI or asked for
 * its review yet, so it only waits.)
 */
export function blockedForAto(verdict: MergeVerdict): MergeRuleResult[] {
  const unmet = verdict.rules.filter(rule => !rule.ok);
  const always = unmet.filter(rule => rule.needsPerson === 'always');
  const rest = unmet.filter(rule => rule.needsPerson !== 'always');
  return rest.length > 0 && rest.every(rule => rule.needsPerson === 'whenLast') ? [...always, ...rest] : always;
}

function openRule(pr: PullRequestSummary): MergeRuleResult {
  const detail = pr.state === 'open' ? 'open' : pr.state === 'merged' ? 'already merged' : 'closed without merging';
  return { rule: 'open', ok: pr.state === 'open', detail };
}

function wipRule(pr: PullRequestSummary): MergeRuleResult {
  const wip = isWipTitle(pr.title);
  return { rule: 'notWip', ok: !wip, detail: wip ? 'the title marks it work in progress' : 'not marked work in progress' };
}

function reviewRule(pr: PullRequestSummary, policy: MergePolicy): MergeRuleResult {
  if (!policy.requireReviewSignal) return { rule: 'reviewSignal', ok: true, detail: 'no review signal required by the policy' };
  const signal = reviewSignal(pr);
  return { rule: 'reviewSignal', ok: signal.ok, detail: signal.detail };
}

/** What GitHub asks of reviews: no writer's latest review requests changes; required approvals and code owners. */
function reviewsRule(pr: PullRequestSummary): MergeRuleResult {
  const changes = reviewersWhose(pr, 'CHANGES_REQUESTED');
  if (changes.length > 0 || pr.reviewDecision === 'changesRequested') {
    return { rule: 'reviews', ok: false, detail: `changes requested${changes.length > 0 ? ` by ${changes.join(', ')}` : ''}` };
  }
  if (pr.reviewDecision === 'reviewRequired') {
    const approvals = reviewersWhose(pr, 'APPROVED').length;
    const needed = pr.reviewRules.approvals;
    const detail = approvals < needed
      ? `GitHub requires ${plural(needed, 'approving review')} from people with write access (${String(approvals)} so far)`
      : pr.reviewRules.codeOwners ? 'GitHub requires a code owner\'s approval' : 'GitHub requires an approving review';
    return { rule: 'reviews', ok: false, detail, needsPerson: 'whenLast' };
  }
  return { rule: 'reviews', ok: true, detail: pr.reviewDecision === 'approved' ? 'approved as GitHub requires' : 'no changes requested' };
}

/**
 * GitHub's own verdict on merging: `BLOCKED` (branch protection or rulesets: reviews, checks, signatures,
 * conversations…) and `BEHIND` (it must be up to date with its base) are not ready.
 */
function mergeStateRule(pr: PullRequestSummary, policy: MergePolicy): MergeRuleResult {
  const state = pr.mergeStateStatus?.toUpperCase();
  if (state === 'BLOCKED') return { rule: 'mergeState', ok: false, detail: 'GitHub reports the merge as blocked (branch protection or rulesets)', needsPerson: 'whenLast' };
  // With the train on, updating a PR that is behind is the train's work (rule upToDate), not a person's.
  if (state === 'BEHIND') return { rule: 'mergeState', ok: false, detail: `behind ${pr.baseRefName}: GitHub requires it to be up to date`, ...(policy.train ? {} : { needsPerson: 'whenLast' as const }) };
  return { rule: 'mergeState', ok: true, detail: state === undefined ? 'no merge state reported' : `merge state ${state.toLowerCase()}` };
}

function refusalRule(refusal: MergeRefusal | undefined): MergeRuleResult {
  return refusal === undefined
    ? { rule: 'notRefused', ok: true, detail: 'GitHub has not refused a merge' }
    : { rule: 'notRefused', ok: false, detail: `GitHub refused to merge it: ${refusal.message}`, needsPerson: 'always' };
}

function conflictRule(pr: PullRequestSummary): MergeRuleResult {
  if (pr.mergeable === 'conflicting' || pr.mergeStateStatus?.toUpperCase() === 'DIRTY') {
    return { rule: 'notConflicted', ok: false, detail: `merge conflicts with ${pr.baseRefName}` };
  }
  if (pr.mergeable === 'unknown') return { rule: 'notConflicted', ok: false, detail: 'GitHub is still working out whether it can merge' };
  return { rule: 'notConflicted', ok: true, detail: 'no merge conflicts' };
}

/**
 * `required`: every required context green and none missing; with no required context at all (no branch
 * protection) it falls back to every check, so a repository without protection never merges red PRs.
 * `all`: every check green. No CI at all passes only when the policy allows it. Workflow runs awaiting
 * approval always hold the merge: CI has not run on this head yet.
 */
function checksRule(pr: PullRequestSummary, policy: MergePolicy, ci: CiReport): MergeRuleResult {
  const head = pr.headSha.slice(0, 7);
  const fail = (detail: string): MergeRuleResult => ({ rule: 'checksGreen', ok: false, detail });
  if (ci.awaitingApproval > 0) return fail(`${plural(ci.awaitingApproval, 'workflow run')} awaiting approval`);
  if (ci.state === 'noCi') {
    return policy.allowNoChecks
      ? { rule: 'checksGreen', ok: true, detail: `no CI reported on ${head} (allowed by the policy)` }
      : { rule: 'checksGreen', ok: false, detail: `no CI: no check or status reported on ${head} (\`ato.merge.allowNoChecks\` is off)`, needsPerson: 'whenLast' };
  }
  const requiredChecks = ci.checks.filter(check => check.required);
  const onlyRequired = policy.requiredChecks === 'required' && (requiredChecks.length > 0 || ci.missingRequired.length > 0);
  const considered = onlyRequired ? requiredChecks : ci.checks;
  const problems = describeProblems(considered, ci.missingRequired);
  if (problems !== undefined) return fail(problems);
  if (!onlyRequired && ci.state !== 'green') return fail(`checks ${ci.state === 'red' ? 'failing' : 'not complete'} (${ci.truncated ? 'more checks than one page' : ci.state})`);
  const scope = onlyRequired ? `required check${requiredChecks.length === 1 ? '' : 's'}` : `check${considered.length === 1 ? '' : 's'}`;
  return { rule: 'checksGreen', ok: true, detail: `${String(considered.length)} ${scope} green on ${head}` };
}

function describeProblems(checks: readonly ClassifiedCheck[], missing: readonly string[]): string | undefined {
  const names = (outcome: ClassifiedCheck['outcome']): string[] => checks.filter(check => check.outcome === outcome).map(check => check.context.name);
  const parts = [
    list('checks failing', names('failing')),
    list('checks pending', names('pending')),
    list('checks cancelled', names('cancelled')),
    list('required checks not reported', missing),
  ].filter(part => part !== undefined);
  return parts.length === 0 ? undefined : parts.join('; ');
}

function protectedPathsRule(pr: PullRequestSummary, policy: MergePolicy): MergeRuleResult {
  if (policy.protectedPaths.length === 0) return { rule: 'protectedPaths', ok: true, detail: 'no protected paths configured' };
  if (pr.changedFilesTruncated) {
    return { rule: 'protectedPaths', ok: false, detail: 'too many changed files to check them all against the protected paths', needsPerson: 'always' };
  }
  // A rename moves a file out of where it was: where it was counts as changed (GitHub's RENAMED entry names only the new path).
  const unknown = pr.renames.filter(rename => rename.previousPath === null).map(rename => rename.path);
  if (unknown.length > 0) {
    return { rule: 'protectedPaths', ok: false, detail: `renamed files whose previous path is not known: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${String(unknown.length - 5)} more` : ''}`, needsPerson: 'always' };
  }
  const renamedTo = new Map(pr.renames.map(rename => [rename.previousPath ?? '', rename.path]));
  const hits = protectedPathHits([...pr.changedFiles, ...renamedTo.keys()], policy.protectedPaths);
  if (hits.length === 0) return { rule: 'protectedPaths', ok: true, detail: 'no protected path changed' };
  const shown = hits.slice(0, 5).map(hit => `${hit.file}${renamedTo.has(hit.file) ? ` (renamed to ${renamedTo.get(hit.file) ?? ''})` : ''} (${hit.pattern})`);
  const more = hits.length > shown.length ? ` and ${String(hits.length - shown.length)} more` : '';
  return { rule: 'protectedPaths', ok: false, detail: `changes protected paths: ${shown.join(', ')}${more}`, needsPerson: 'always' };
}

function labelRule(pr: PullRequestSummary, policy: MergePolicy): MergeRuleResult {
  const label = policy.requiredLabel.trim();
  if (label === '') return { rule: 'requiredLabel', ok: true, detail: 'no label required' };
  return hasLabel(pr.labels, label)
    ? { rule: 'requiredLabel', ok: true, detail: `labelled ${label}` }
    : { rule: 'requiredLabel', ok: false, detail: `missing the label ${label}`, needsPerson: 'always' };
}

function list(what: string, names: readonly string[]): string | undefined {
  return names.length === 0 ? undefined : `${what}: ${names.join(', ')}`;
}

function plural(count: number, noun: string): string {
  return `${String(count)} ${noun}${count === 1 ? '' : 's'}`;
}
