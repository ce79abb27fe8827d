import type { PullRequestSummary } from '../forges/github/githubModel';
import type { CiReport, ClassifiedCheck } from './ciState';
import type { MergePolicy, MergeRuleResult, MergeVerdict } from './loopModel';
import { protectedPathHits } from './protectedPaths';
import { reviewSignal } from './pullRequestSignals';
import { isWipTitle } from './wip';
import { hasLabel } from './atoLabels';

/**
 * Applies the merge policy (PRODUCT §4 "PR ready") to one PR: every rule, each with a human reason, in a
 * fixed order (open, not WIP, review signal, not conflicted, checks green, protected paths, required label).
 * `ci` must be `ciState(pr.checks)`: the checks of the PR's head commit, so a merge pinned to `pr.headSha`
 * merges exactly what was checked. A draft is not a rule: ATO marks it ready before merging.
 */
export function mergeVerdict(pr: PullRequestSummary, policy: MergePolicy, ci: CiReport): MergeVerdict {
  const rules: MergeRuleResult[] = [
    openRule(pr),
    wipRule(pr),
    reviewRule(pr, policy),
    conflictRule(pr),
    checksRule(pr, policy, ci),
    protectedPathsRule(pr, policy),
    labelRule(pr, policy),
  ];
  return { ready: rules.every(rule => rule.ok), rules };
}

/** The reasons a verdict is not ready, one clause per unmet rule, e.g. "checks pending: ci/build". */
export function unmetReasons(verdict: MergeVerdict): string[] {
  return verdict.rules.filter(rule => !rule.ok).map(rule => rule.detail);
}

/**
 * Rules only a person can satisfy (the policy forbids ATO to merge as things are). No CI at all on a PR that
 * is otherwise ready is one too: waiting changes nothing (PRODUCT §4: no CI is not green). A PR that is still
 * being worked on may simply not have started its CI yet, so it only waits.
 */
export function blockedForAto(verdict: MergeVerdict, ci: CiReport): MergeRuleResult[] {
  const unmet = verdict.rules.filter(rule => !rule.ok);
  const blocked = unmet.filter(rule => rule.rule === 'protectedPaths' || rule.rule === 'requiredLabel');
  const onlyChecks = unmet.length === 1 && unmet[0]?.rule === 'checksGreen' ? unmet[0] : undefined;
  if (onlyChecks !== undefined && ci.state === 'noCi' && ci.awaitingApproval === 0) blocked.push(onlyChecks);
  return blocked;
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
      : fail(`no CI: no check or status reported on ${head} (\`ato.merge.allowNoChecks\` is off)`);
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
    return { rule: 'protectedPaths', ok: false, detail: 'too many changed files to check them all against the protected paths' };
  }
  const hits = protectedPathHits(pr.changedFiles, policy.protectedPaths);
  if (hits.length === 0) return { rule: 'protectedPaths', ok: true, detail: 'no protected path changed' };
  const shown = hits.slice(0, 5).map(hit => `${hit.file} (${hit.pattern})`);
  const more = hits.length > shown.length ? ` and ${String(hits.length - shown.length)} more` : '';
  return { rule: 'protectedPaths', ok: false, detail: `changes protected paths: ${shown.join(', ')}${more}` };
}

function labelRule(pr: PullRequestSummary, policy: MergePolicy): MergeRuleResult {
  const label = policy.requiredLabel.trim();
  if (label === '') return { rule: 'requiredLabel', ok: true, detail: 'no label required' };
  return hasLabel(pr.labels, label)
    ? { rule: 'requiredLabel', ok: true, detail: `labelled ${label}` }
    : { rule: 'requiredLabel', ok: false, detail: `missing the label ${label}` };
}

function list(what: string, names: readonly string[]): string | undefined {
  return names.length === 0 ? undefined : `${what}: ${names.join(', ')}`;
}

function plural(count: number, noun: string): string {
  return `${String(count)} ${noun}${count === 1 ? '' : 's'}`;
}
