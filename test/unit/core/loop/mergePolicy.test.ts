import assert from 'node:assert/strict';
import type { PullRequestSummary } from '../../../../src/core/forges/github/githubModel';
import { ciState } from '../../../../src/core/loop/ciState';
import { defaultMergePolicy, type MergePolicy, type MergeRuleResult, type MergeVerdict } from '../../../../src/core/loop/loopModel';
import { blockedForAto, mergeVerdict, unmetReasons } from '../../../../src/core/loop/mergePolicy';
import { isWipTitle, withoutWipPrefix } from '../../../../src/core/loop/wip';
import { aCheckRun, aPullRequest, aSignal, aStatus, someChecks } from '../../../support/githubBuilders';

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
    assert.deepEqual(verdict.rules.map(r => r.rule), ['open', 'notWip', 'reviewSignal', 'notConflicted', 'checksGreen', 'protectedPaths', 'requiredLabel']);
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
    const none = { reviewRequests: [], approvals: [], timeline: [] };
    const table: { name: string; pr: Partial<PullRequestSummary>; ok: boolean }[] = [
      { name: 'nothing at all', pr: none, ok: false },
      { name: 'a pending review request', pr: { ...none, reviewRequests: ['alice'] }, ok: true },
      { name: 'a review request seen only in the timeline', pr: { ...none, timeline: [aSignal('reviewRequested', '2026-11-21T10:30:00Z')] }, ok: true },
      { name: "Copilot's work-finished event", pr: { ...none, timeline: [aSignal('copilotWorkStarted', '2026-11-21T10:00:00Z'), aSignal('copilotWorkFinished', '2026-11-21T10:30:00Z')] }, ok: true },
      { name: 'an approval', pr: { ...none, approvals: ['bob'] }, ok: true },
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
      assert.deepEqual(blockedForAto(verdictOf(ready), ciState(ready.checks)).map(r => r.rule), ['checksGreen']);
      const working = aPullRequest({ title: '[WIP] Add login', checks: noCi });
      assert.deepEqual(blockedForAto(verdictOf(working), ciState(working.checks)), []);
      const approval = aPullRequest({ checks: someChecks([], { rollupState: null, awaitingApproval: 1 }) });
      assert.deepEqual(blockedForAto(verdictOf(approval), ciState(approval.checks)), [], 'runs awaiting approval are their own needs-you item');
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

  describe('protected paths', () => {
    it('refuses a PR that changes a workflow (default policy)', () => {
      const verdict = verdictOf(aPullRequest({ changedFiles: ['src/a.ts', '.github/workflows/ci.yml'] }));
      assert.equal(verdict.ready, false);
      assert.equal(rule(verdict, 'protectedPaths').detail, 'changes protected paths: .github/workflows/ci.yml (.github/workflows/**)');
      assert.deepEqual(blockedForAto(verdict, ciState(aPullRequest().checks)).map(r => r.rule), ['protectedPaths']);
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
    const verdict = verdictOf(aPullRequest({ title: 'WIP x', mergeable: 'conflicting', reviewRequests: [], checks: someChecks([aCheckRun('build', { status: 'QUEUED', conclusion: null })]) }));
    assert.deepEqual(verdict.rules.filter(r => !r.ok).map(r => r.rule), ['notWip', 'reviewSignal', 'notConflicted', 'checksGreen']);
    assert.equal(unmetReasons(verdict).length, 4);
  });
});
