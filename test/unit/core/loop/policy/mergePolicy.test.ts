import assert from 'node:assert/strict';
import type { PullRequestSummary } from '../../../../../src/core/forges/github/githubModel';
import { ciState } from '../../../../../src/core/loop/policy/ciState';
import { defaultMergePolicy, type MergePolicy, type MergeRuleResult, type MergeVerdict } from '../../../../../src/core/loop/engine/loopModel';
import { blockedForAto, mergeVerdict, unmetReasons } from '../../../../../src/core/loop/policy/mergePolicy';
import { isWipTitle, withoutWipPrefix } from '../../../../../src/core/loop/policy/wip';
import { aCheckRun, aPullRequest, aSignal, aStatus, someChecks } from '../../../../support/githubBuilders';

function verdictOf(pr: PullRequestSummary, policy: Partial<MergePolicy> = {}): MergeVerdict {
  return mergeVerdict(pr, { ...defaultMergePolicy, ...policy }, ciState(pr.checks));
}

function rule(verdict: MergeVerdict, name: MergeRuleResult['rule']): MergeRuleResult {
  const found = verdict.rules.find(candidate => candidate.rule === name);
  assert.ok(found, `no rule ${name}`);
  return found;
}

describe('isWipTitle', () => {
  const table: [string, boolean][] = [
    ['WIP', true],
    ['WIP add login', true],
    ['WIP: add login', true],
    ['wip: add login', true],
    ['Wip - add login', true],
    ['[WIP] Add login', true],
    ['[wip] add login', true],
    ['[ WIP ] add login', true],
    ['  WIP leading blanks', true],
    ['WIPE the cache', false],
    ['WIPs are fine', false],
    ['Add WIP detection', false],
    ['Wiping logs', false],
    ['Add login', false],
    ['', false],
    ['[WIPE] nope', false],
  ];
  for (const [title, wip] of table) {
    it(`${JSON.stringify(title)} → ${wip ? 'WIP' : 'not WIP'}`, () => {
      assert.equal(isWipTitle(title), wip);
    });
  }

  it('strips the prefix for title comparisons', () => {
    assert.equal(withoutWipPrefix('[WIP] Add login'), 'Add login');
    assert.equal(withoutWipPrefix('WIP: Add login'), 'Add login');
    assert.equal(withoutWipPrefix('WIPE it'), 'WIPE it');
  });
});

describe('mergeVerdict', () => {
  it('passes every rule of a clean PR, each with a reason, in a fixed order', () => {
    const verdict = verdictOf(aPullRequest());
    assert.equal(verdict.ready, true);
    assert.deepEqual(verdict.rules.map(r => r.rule), ['open', 'notWip', 'reviewSignal', 'reviews', 'notConflicted', 'checksGreen', 'mergeState', 'protectedPaths', 'requiredLabel', 'notRefused']);
    for (const r of verdict.rules) assert.notEqual(r.detail, '');
    assert.deepEqual(unmetReasons(verdict), []);
  });

  it('refuses closed and merged PRs', () => {
    assert.equal(rule(verdictOf(aPullRequest({ state: 'closed' })), 'open').ok, false);
    assert.equal(rule(verdictOf(aPullRequest({ state: 'merged' })), 'open').detail, 'already merged');
  });

  it('refuses a WIP title', () => {
    const verdict = verdictOf(aPullRequest({ title: '[WIP] Add login' }));
    assert.equal(verdict.ready, false);
    assert.equal(rule(verdict, 'notWip').ok, false);
    assert.equal(verdictOf(aPullRequest({ title: 'WIPE the cache' })).ready, true);
  });

  describe('review signal', () => {
    const none = { reviewRequests: [], reviews: [], timeline: [] };
    const table: { name: string; pr: Partial<PullRequestSummary>; ok: boolean }[] = [
      { name: 'nothing at all', pr: none, ok: false },
      { name: 'a pending review request', pr: { ...none, reviewRequests: ['alice'] }, ok: true },
      { name: 'a review request seen only in the timeline', pr: { ...none, timeline: [aSignal('reviewRequested', '2026-11-21T10:30:00Z')] }, ok: true },
      { name: "Copilot's work-finished event", pr: { ...none, timeline: [aSignal('copilotWorkStarted', '2026-11-21T10:00:00Z'), aSignal('copilotWorkFinished', '2026-11-21T10:30:00Z')] }, ok: true },
      { name: 'an approval by someone with write access', pr: { ...none, reviews: [{ author: 'bob', state: 'APPROVED', authorCanPush: true }] }, ok: true },
      { name: 'an approval by someone without write access', pr: { ...none, reviews: [{ author: 'mallory', state: 'APPROVED', authorCanPush: false }] }, ok: false },
      { name: 'an approved review decision', pr: { ...none, reviewDecision: 'approved' }, ok: true },
      { name: 'ready-for-review alone', pr: { ...none, timeline: [aSignal('readyForReview', '2026-11-21T10:30:00Z')] }, ok: false },
      { name: 'Copilot started again after a finish', pr: { ...none, timeline: [aSignal('copilotWorkFinished', '2026-11-21T10:30:00Z'), aSignal('copilotWorkStarted', '2026-11-21T11:00:00Z')] }, ok: false },
      { name: 'Copilot still working, even with a stale request pending', pr: { ...none, reviewRequests: ['alice'], timeline: [aSignal('reviewRequested', '2026-11-21T09:00:00Z'), aSignal('copilotWorkStarted', '2026-11-21T10:00:00Z')] }, ok: false },
      { name: 'a review request after the agent started again', pr: { ...none, timeline: [aSignal('copilotWorkStarted', '2026-11-21T10:00:00Z'), aSignal('reviewRequested', '2026-11-21T11:00:00Z')] }, ok: true },
    ];
    for (const row of table) {
      it(`${row.name} → ${row.ok ? 'ok' : 'missing'}`, () => {
        assert.equal(rule(verdictOf(aPullRequest(row.pr)), 'reviewSignal').ok, row.ok);
      });
    }

    it('is not needed when the policy does not ask for it', () => {
      assert.equal(verdictOf(aPullRequest(none), { requireReviewSignal: false }).ready, true);
    });

    it('names who was asked, and where it was seen', () => {
      assert.match(rule(verdictOf(aPullRequest({ ...none, reviewRequests: ['alice'] })), 'reviewSignal').detail, /alice/);
      assert.match(rule(verdictOf(aPullRequest({ ...none, timeline: [aSignal('reviewRequested', '2026-11-21T10:30:00Z')] })), 'reviewSignal').detail, /timeline/);
    });
  });

  it('lets a draft with a review request be ready (it is marked ready before merging)', () => {
    assert.equal(verdictOf(aPullRequest({ isDraft: true, mergeStateStatus: 'DRAFT', reviewRequests: ['alice'] })).ready, true);
  });

  describe('conflicts', () => {
    const table: { name: string; pr: Partial<PullRequestSummary>; ok: boolean; detail: RegExp }[] = [
      { name: 'mergeable: conflicting', pr: { mergeable: 'conflicting', mergeStateStatus: 'DIRTY' }, ok: false, detail: /conflicts/ },
      { name: 'mergeStateStatus DIRTY alone', pr: { mergeable: 'mergeable', mergeStateStatus: 'DIRTY' }, ok: false, detail: /conflicts/ },
      { name: 'mergeable: unknown (not ready yet)', pr: { mergeable: 'unknown', mergeStateStatus: 'UNKNOWN' }, ok: false, detail: /still working out/ },
      { name: 'behind the base, no conflict', pr: { mergeable: 'mergeable', mergeStateStatus: 'BEHIND' }, ok: true, detail: /no merge conflicts/ },
    ];
    for (const row of table) {
      it(`${row.name} → ${row.ok ? 'ok' : 'blocked'}`, () => {
        const result = rule(verdictOf(aPullRequest(row.pr)), 'notConflicted');
        assert.equal(result.ok, row.ok);
        assert.match(result.detail, row.detail);
      });
    }
  });

  describe('checks on the head', () => {
    it('requires every required check green and none missing', () => {
      const pr = aPullRequest({ checks: someChecks([aCheckRun('build', { required: true }), aCheckRun('flaky', { conclusion: 'FAILURE' })], { requiredContexts: ['build', 'deploy-preview'] }) });
      const result = rule(verdictOf(pr), 'checksGreen');
      assert.equal(result.ok, false);
      assert.equal(result.detail, 'required checks not reported: deploy-preview');
    });

    it('ignores a failing optional check in `required` mode, not in `all` mode', () => {
      const pr = aPullRequest({ checks: someChecks([aCheckRun('build', { required: true }), aCheckRun('flaky', { conclusion: 'FAILURE' })], { requiredContexts: ['build'] }) });
      assert.equal(rule(verdictOf(pr), 'checksGreen').ok, true);
      const all = rule(verdictOf(pr, { requiredChecks: 'all' }), 'checksGreen');
      assert.equal(all.ok, false);
      assert.equal(all.detail, 'checks failing: flaky');
    });

    it('falls back to every check when nothing is required (no branch protection)', () => {
      const pr = aPullRequest({ checks: someChecks([aCheckRun('build', { conclusion: 'FAILURE' })]) });
      assert.equal(rule(verdictOf(pr), 'checksGreen').ok, false);
    });

    it('names pending, cancelled and failing checks', () => {
      const pr = aPullRequest({ checks: someChecks([aCheckRun('ci/build', { status: 'IN_PROGRESS', conclusion: null }), aCheckRun('lint', { conclusion: 'CANCELLED' }), aStatus('ext', 'ERROR')]) });
      assert.equal(rule(verdictOf(pr), 'checksGreen').detail, 'checks failing: ext; checks pending: ci/build; checks cancelled: lint');
    });

    it('no CI is not green: refused by default (ato.merge.allowNoChecks off), accepted only when the policy allows it', () => {
      const pr = aPullRequest({ checks: someChecks([], { rollupState: null }) });
      assert.equal(defaultMergePolicy.allowNoChecks, false);
      const refused = rule(verdictOf(pr), 'checksGreen');
      assert.equal(refused.ok, false);
      assert.match(refused.detail, /^no CI: no check or status reported on /);
      assert.equal(rule(verdictOf(pr, { allowNoChecks: true }), 'checksGreen').ok, true);
    });

    it('no CI on a PR that is otherwise ready is for a person; on one still in progress it only waits', () => {
      const noCi = someChecks([], { rollupState: null });
      const ready = aPullRequest({ checks: noCi });
      assert.deepEqual(blockedForAto(verdictOf(ready)).map(r => r.rule), ['checksGreen']);
      const working = aPullRequest({ title: '[WIP] Add login', checks: noCi });
      assert.deepEqual(blockedForAto(verdictOf(working)), []);
      const approval = aPullRequest({ checks: someChecks([], { rollupState: null, awaitingApproval: 1 }) });
      assert.deepEqual(blockedForAto(verdictOf(approval)), [], 'runs awaiting approval are their own needs-you item');
    });

    it('holds while workflow runs await approval', () => {
      const result = rule(verdictOf(aPullRequest({ checks: someChecks([aCheckRun('build')], { awaitingApproval: 1 }) })), 'checksGreen');
      assert.equal(result.ok, false);
      assert.equal(result.detail, '1 workflow run awaiting approval');
    });

    it('says which head it checked', () => {
      assert.match(rule(verdictOf(aPullRequest({ headSha: 'abc1234def' })), 'checksGreen').detail, /abc1234/);
    });
  });

  describe('"ready" agrees with GitHub', () => {
    const writer = (author: string, state: string) => ({ author, state, authorCanPush: true });
    const stranger = (author: string, state: string) => ({ author, state, authorCanPush: false });

    it('a reviewer with write access who requested changes holds the merge, even where GitHub requires no review', () => {
      const pr = aPullRequest({ reviewDecision: null, reviews: [writer('bob', 'CHANGES_REQUESTED'), writer('carol', 'APPROVED')] });
      const verdict = verdictOf(pr);
      assert.equal(verdict.ready, false);
      assert.equal(rule(verdict, 'reviews').detail, 'changes requested by bob');
      assert.deepEqual(blockedForAto(verdict), [], 'the agent or the author answers it: the loop waits');
    });

    it('changes requested by someone without write access count for nothing (as on GitHub)', () => {
      assert.equal(verdictOf(aPullRequest({ reviews: [stranger('mallory', 'CHANGES_REQUESTED')] })).ready, true);
    });

    it('GitHub\'s CHANGES_REQUESTED decision holds the merge', () => {
      assert.equal(rule(verdictOf(aPullRequest({ reviewDecision: 'changesRequested' })), 'reviews').detail, 'changes requested');
    });

    it('missing required approvals: how many, from whom, and a person is asked once nothing else is missing', () => {
      const pr = aPullRequest({ reviewDecision: 'reviewRequired', mergeStateStatus: 'BLOCKED', reviewRules: { approvals: 2, codeOwners: false }, reviews: [writer('bob', 'APPROVED'), stranger('mallory', 'APPROVED')] });
      const verdict = verdictOf(pr);
      assert.equal(rule(verdict, 'reviews').detail, 'GitHub requires 2 approving reviews from people with write access (1 so far)');
      assert.equal(rule(verdict, 'mergeState').detail, 'GitHub reports the merge as blocked (branch protection or rulesets)');
      assert.deepEqual(blockedForAto(verdict).map(r => r.rule), ['reviews', 'mergeState']);
      const stillWorking = verdictOf({ ...pr, title: '[WIP] Add login' });
      assert.deepEqual(blockedForAto(stillWorking), []);
    });

    it('a code owner\'s review GitHub requires', () => {
      const pr = aPullRequest({ reviewDecision: 'reviewRequired', reviewRules: { approvals: 1, codeOwners: true }, reviews: [writer('bob', 'APPROVED')] });
      assert.equal(rule(verdictOf(pr), 'reviews').detail, 'GitHub requires a code owner\'s approval');
    });

    it('merge states GitHub does not merge: BLOCKED and BEHIND; UNSTABLE, HAS_HOOKS and CLEAN merge', () => {
      assert.equal(rule(verdictOf(aPullRequest({ mergeStateStatus: 'BLOCKED' })), 'mergeState').ok, false);
      assert.equal(rule(verdictOf(aPullRequest({ mergeStateStatus: 'BEHIND' })), 'mergeState').detail, 'behind main: GitHub requires it to be up to date');
      for (const state of ['UNSTABLE', 'HAS_HOOKS', 'CLEAN', 'DRAFT']) assert.equal(rule(verdictOf(aPullRequest({ mergeStateStatus: state })), 'mergeState').ok, true, state);
    });

    it('a merge GitHub refused holds, with GitHub\'s message, and needs a person', () => {
      const pr = aPullRequest();
      const verdict = mergeVerdict(pr, defaultMergePolicy, ciState(pr.checks), { pullNumber: pr.number, message: 'At least 1 approving review is required by reviewers with write access.', stateKey: '', at: '2026-11-21T10:00:00Z' });
      assert.equal(verdict.ready, false);
      assert.equal(rule(verdict, 'notRefused').detail, 'GitHub refused to merge it: At least 1 approving review is required by reviewers with write access.');
      assert.deepEqual(blockedForAto(verdict).map(r => r.rule), ['notRefused']);
    });
  });

  describe('protected paths', () => {
    it('refuses a PR that changes a workflow (default policy)', () => {
      const verdict = verdictOf(aPullRequest({ changedFiles: ['src/a.ts', '.github/workflows/ci.yml'] }));
      assert.equal(verdict.ready, false);
      assert.equal(rule(verdict, 'protectedPaths').detail, 'changes protected paths: .github/workflows/ci.yml (.github/workflows/**)');
      assert.deepEqual(blockedForAto(verdict).map(r => r.rule), ['protectedPaths']);
    });

    it('a rename out of .github/workflows/ touches the protected path (GitHub names only the new path)', () => {
      const verdict = verdictOf(aPullRequest({ changedFiles: ['ci-disabled.yml'], renames: [{ path: 'ci-disabled.yml', previousPath: '.github/workflows/ci.yml' }] }));
      assert.equal(verdict.ready, false);
      assert.equal(rule(verdict, 'protectedPaths').detail, 'changes protected paths: .github/workflows/ci.yml (renamed to ci-disabled.yml) (.github/workflows/**)');
      assert.deepEqual(blockedForAto(verdict).map(r => r.rule), ['protectedPaths']);
      assert.equal(verdictOf(aPullRequest({ changedFiles: ['src/b.ts'], renames: [{ path: 'src/b.ts', previousPath: 'src/a.ts' }] })).ready, true);
    });

    it('a rename whose previous path is not known fails closed', () => {
      const result = rule(verdictOf(aPullRequest({ changedFiles: ['ci-disabled.yml'], renames: [{ path: 'ci-disabled.yml', previousPath: null }] })), 'protectedPaths');
      assert.deepEqual([result.ok, result.detail], [false, 'renamed files whose previous path is not known: ci-disabled.yml']);
      assert.equal(rule(verdictOf(aPullRequest({ renames: [{ path: 'x', previousPath: null }] }), { protectedPaths: [] }), 'protectedPaths').ok, true, 'nothing to protect');
    });

    it('fails closed when the changed-file list is truncated', () => {
      assert.equal(rule(verdictOf(aPullRequest({ changedFiles: ['src/a.ts'], changedFilesTruncated: true })), 'protectedPaths').ok, false);
    });

    it('passes with no patterns configured', () => {
      assert.equal(rule(verdictOf(aPullRequest({ changedFiles: ['.github/workflows/ci.yml'] }), { protectedPaths: [] }), 'protectedPaths').ok, true);
    });
  });

  it('requires the configured label (case-insensitively)', () => {
    assert.equal(rule(verdictOf(aPullRequest({ labels: [] }), { requiredLabel: 'ato:merge' }), 'requiredLabel').ok, false);
    assert.equal(rule(verdictOf(aPullRequest({ labels: ['ATO:Merge'] }), { requiredLabel: 'ato:merge' }), 'requiredLabel').ok, true);
    assert.equal(rule(verdictOf(aPullRequest({ labels: [] })), 'requiredLabel').ok, true);
  });

  it('lists every unmet rule', () => {
    const verdict = verdictOf(aPullRequest({ title: 'WIP x', mergeable: 'conflicting', reviewRequests: [], timeline: [], checks: someChecks([aCheckRun('build', { status: 'QUEUED', conclusion: null })]) }));
    assert.deepEqual(verdict.rules.filter(r => !r.ok).map(r => r.rule), ['notWip', 'reviewSignal', 'notConflicted', 'checksGreen']);
    assert.equal(unmetReasons(verdict).length, 4);
  });
});
