import assert from 'node:assert/strict';
import type { PullRequestSummary } from '../../../../../src/core/forges/github/githubModel';
import { ciState } from '../../../../../src/core/loop/policy/ciState';
import { defaultMergePolicy, type MergeRuleResult, type MergeVerdict } from '../../../../../src/core/loop/engine/loopModel';
import { blockedForAto, mergeVerdict, unmetReasons } from '../../../../../src/core/loop/policy/mergePolicy';
import { isBehindBase } from '../../../../../src/core/loop/policy/mergeTrain';
import { aPullRequest } from '../../../../support/githubBuilders';
import { parseOrThrow } from '../../../../../src/core/forges/github/githubClient';
import { mapPullRequest } from '../../../../../src/core/forges/github/graphqlMapping';
import { pullRequestNodeSchema } from '../../../../../src/core/forges/github/graphqlSchemas';
import { graphqlPullRequest } from '../../forges/github/payloads';

function verdictOf(pr: PullRequestSummary, train: boolean): MergeVerdict {
  return mergeVerdict(pr, { ...defaultMergePolicy, train }, ciState(pr.checks));
}

function rule(verdict: MergeVerdict, name: MergeRuleResult['rule']): MergeRuleResult | undefined {
  return verdict.rules.find(candidate => candidate.rule === name);
}

const clean = aPullRequest();
const behind = aPullRequest({ canUpdateBranch: true, mergeStateStatus: 'CLEAN' });
const behindProtected = aPullRequest({ mergeStateStatus: 'BEHIND' });
const conflicting = aPullRequest({ mergeable: 'conflicting', mergeStateStatus: 'DIRTY', canUpdateBranch: true });

describe('merge train: rule upToDate', () => {
  it('train off: the verdicts are what they were (no upToDate rule; a PR behind without protection is ready)', () => {
    for (const pr of [clean, behind, behindProtected, conflicting]) assert.equal(rule(verdictOf(pr, false), 'upToDate'), undefined);
    assert.equal(verdictOf(clean, false).ready, true);
    assert.equal(verdictOf(behind, false).ready, true);
    assert.equal(verdictOf(behindProtected, false).ready, false);
    assert.deepEqual(blockedForAto(verdictOf(behindProtected, false)).map(r => r.rule), ['mergeState']);
    assert.deepEqual(verdictOf(clean, false).rules.map(r => r.rule), verdictOf(clean, true).rules.map(r => r.rule).filter(name => name !== 'upToDate'));
  });

  it('train on, clean: ready, the rule passes with its reason, after notConflicted', () => {
    const verdict = verdictOf(clean, true);
    assert.equal(verdict.ready, true);
    const names = verdict.rules.map(r => r.rule);
    assert.equal(names.indexOf('upToDate'), names.indexOf('notConflicted') + 1);
    assert.deepEqual(rule(verdict, 'upToDate'), { rule: 'upToDate', ok: true, detail: 'up to date with main (merge train)' });
  });

  it('train on, behind (viewerCanUpdateBranch): not ready, with the reason; no person needed', () => {
    const verdict = verdictOf(behind, true);
    assert.equal(verdict.ready, false);
    assert.deepEqual(unmetReasons(verdict), ['behind main: the merge train updates it first, then waits for CI on the new head']);
    assert.deepEqual(blockedForAto(verdict), []);
  });

  it('train on, behind as GitHub reports it (strict protection): not ready, and the train (not a person) updates it', () => {
    const verdict = verdictOf(behindProtected, true);
    assert.equal(verdict.ready, false);
    assert.equal(rule(verdict, 'upToDate')?.ok, false);
    assert.deepEqual(blockedForAto(verdict), []);
  });

  it('train on, conflicting: not ready; it waits for its agent (no person needed)', () => {
    const verdict = verdictOf(conflicting, true);
    assert.equal(verdict.ready, false);
    assert.equal(rule(verdict, 'notConflicted')?.ok, false);
    assert.deepEqual(blockedForAto(verdict), []);
  });

  it('isBehindBase reads both signals and nothing else', () => {
    assert.equal(isBehindBase({ mergeStateStatus: 'behind', canUpdateBranch: false }), true);
    assert.equal(isBehindBase({ mergeStateStatus: 'CLEAN', canUpdateBranch: true }), true);
    assert.equal(isBehindBase({ mergeStateStatus: 'CLEAN', canUpdateBranch: false }), false);
    assert.equal(isBehindBase({ mergeStateStatus: null }), false);
  });

  it('GitHub\'s viewerCanUpdateBranch reaches the summary as canUpdateBranch (absent: not read, not behind)', () => {
    const map = (fields: Record<string, unknown>): PullRequestSummary => mapPullRequest(parseOrThrow(pullRequestNodeSchema, graphqlPullRequest(5, fields), 'test', 200), () => undefined);
    assert.equal(map({ viewerCanUpdateBranch: true }).canUpdateBranch, true);
    assert.equal(map({ viewerCanUpdateBranch: false }).canUpdateBranch, false);
    assert.equal(map({}).canUpdateBranch, undefined);
    assert.equal(isBehindBase(map({ viewerCanUpdateBranch: true })), true);
  });
});
