import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CheckContext } from '../../../../../src/core/forges/github/githubModel';
import { checkOutcome, ciState, type CheckOutcome } from '../../../../../src/core/loop/policy/ciState';
import type { CiState } from '../../../../../src/core/loop/engine/loopModel';
import { redPullRequests } from '../../../../../src/core/loop/tracks/maintenance/redPullRequests';
import { aCheckRun, aPullRequest, aSnapshot, aStatus, someChecks } from '../../../../support/githubBuilders';

/** Every way a check run or a status can stand, with the outcome PRODUCT §4 gives it. */
const runCases: readonly { status: string; conclusion: string | null; outcome: CheckOutcome }[] = [
  { status: 'COMPLETED', conclusion: 'SUCCESS', outcome: 'passing' },
  { status: 'COMPLETED', conclusion: 'NEUTRAL', outcome: 'passing' },
  { status: 'COMPLETED', conclusion: 'SKIPPED', outcome: 'passing' },
  { status: 'COMPLETED', conclusion: 'FAILURE', outcome: 'failing' },
  { status: 'COMPLETED', conclusion: 'TIMED_OUT', outcome: 'failing' },
  { status: 'COMPLETED', conclusion: 'STARTUP_FAILURE', outcome: 'failing' },
  { status: 'COMPLETED', conclusion: 'CANCELLED', outcome: 'cancelled' },
  { status: 'COMPLETED', conclusion: 'ACTION_REQUIRED', outcome: 'pending' },
  { status: 'COMPLETED', conclusion: 'STALE', outcome: 'pending' },
  { status: 'COMPLETED', conclusion: null, outcome: 'pending' },
  { status: 'QUEUED', conclusion: null, outcome: 'pending' },
  { status: 'IN_PROGRESS', conclusion: null, outcome: 'pending' },
  { status: 'WAITING', conclusion: null, outcome: 'pending' },
  { status: 'PENDING', conclusion: null, outcome: 'pending' },
  { status: 'REQUESTED', conclusion: null, outcome: 'pending' },
];
const statusCases: readonly { state: string; outcome: CheckOutcome }[] = [
  { state: 'SUCCESS', outcome: 'passing' },
  { state: 'FAILURE', outcome: 'failing' },
  { state: 'ERROR', outcome: 'failing' },
  { state: 'PENDING', outcome: 'pending' },
  { state: 'EXPECTED', outcome: 'pending' },
];

function allContexts(name: string): { context: CheckContext; outcome: CheckOutcome }[] {
  return [
    ...runCases.map(c => ({ context: aCheckRun(name, { status: c.status, conclusion: c.conclusion }), outcome: c.outcome })),
    ...statusCases.map(c => ({ context: aStatus(name, c.state), outcome: c.outcome })),
  ];
}

/** The combined state the rules give for a set of distinct checks' outcomes. */
function expectedState(outcomes: readonly CheckOutcome[]): CiState {
  if (outcomes.length === 0) return 'noCi';
  if (outcomes.includes('failing')) return 'red';
  if (outcomes.some(outcome => outcome === 'pending' || outcome === 'cancelled')) return 'pending';
  return 'green';
}

describe('ciState', () => {
  describe('one check', () => {
    for (const { context, outcome } of allContexts('ci')) {
      const what = context.kind === 'status' ? `status ${context.status}` : `check run ${context.status}/${String(context.conclusion)}`;
      it(`${what} is ${outcome}`, () => {
        assert.equal(checkOutcome(context), outcome);
        assert.equal(ciState(someChecks([context])).state, expectedState([outcome]));
      });
    }

    it('reads values in any case', () => {
      assert.equal(checkOutcome(aCheckRun('a', { status: 'completed', conclusion: 'timed_out' })), 'failing');
      assert.equal(checkOutcome(aStatus('b', 'error')), 'failing');
    });

    it('treats an unknown conclusion or state as pending, never green or red', () => {
      assert.equal(checkOutcome(aCheckRun('a', { conclusion: 'SOMETHING_NEW' })), 'pending');
      assert.equal(checkOutcome(aStatus('b', 'WHATEVER')), 'pending');
    });
  });

  it('combines every pair of distinct checks (exhaustive table)', () => {
    const left = allContexts('left');
    const right = allContexts('right');
    let pairs = 0;
    for (const a of left) {
      for (const b of right) {
        const expected = expectedState([a.outcome, b.outcome]);
        assert.equal(ciState(someChecks([a.context, b.context])).state, expected, `${JSON.stringify(a.context)} + ${JSON.stringify(b.context)}`);
        assert.equal(ciState(someChecks([b.context, a.context])).state, expected);
        pairs++;
      }
    }
    assert.equal(pairs, 400);
  });

  it('cancelled alone is not red, and red wins over cancelled and pending', () => {
    const cancelled = aCheckRun('a', { conclusion: 'CANCELLED' });
    assert.equal(ciState(someChecks([cancelled])).state, 'pending');
    assert.deepEqual(ciState(someChecks([cancelled])).cancelled, ['a']);
    assert.equal(ciState(someChecks([cancelled, aCheckRun('b', { status: 'IN_PROGRESS', conclusion: null }), aStatus('c', 'ERROR')])).state, 'red');
  });

  it('gives the same state and lists for any order of the same checks (property)', () => {
    const outcomes = fc.constantFrom(...allContexts('x').map(({ context }) => context));
    const check = fc.record({
      base: outcomes,
      name: fc.constantFrom('build', 'lint', 'test', 'ci/status'),
      startedAt: fc.option(fc.integer({ min: 0, max: 5 }).map(minute => `2026-11-21T10:0${String(minute)}:00Z`), { nil: null }),
    }).map(({ base, name, startedAt }): CheckContext => ({ ...base, name, startedAt, url: `https://ci.example/${name}/${String(startedAt)}` }));
    fc.assert(fc.property(fc.array(check, { maxLength: 12 }).chain(list => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))), ([list, shuffled]) => {
      const a = ciState(someChecks(list));
      const b = ciState(someChecks(shuffled));
      assert.equal(b.state, a.state);
      assert.deepEqual(b.failing, a.failing);
      assert.deepEqual(b.pending, a.pending);
      assert.deepEqual(b.cancelled, a.cancelled);
      assert.deepEqual(b.checks, a.checks);
    }), { numRuns: 2000 });
  });

  describe('re-runs of one name count once', () => {
    const at = (minute: number): string => `2026-11-21T10:${String(minute).padStart(2, '0')}:00Z`;
    const table: { name: string; runs: CheckContext[]; state: CiState }[] = [
      { name: 'a newer success beats an older failure', runs: [aCheckRun('build', { conclusion: 'FAILURE', startedAt: at(1) }), aCheckRun('build', { startedAt: at(5) })], state: 'green' },
      { name: 'a newer failure beats an older success', runs: [aCheckRun('build', { startedAt: at(1) }), aCheckRun('build', { conclusion: 'FAILURE', startedAt: at(5) })], state: 'red' },
      { name: 'an in-progress re-run beats an older completed failure', runs: [aCheckRun('build', { conclusion: 'FAILURE', startedAt: at(1) }), aCheckRun('build', { status: 'IN_PROGRESS', conclusion: null, startedAt: at(5) })], state: 'pending' },
      { name: 'a queued re-run (not started) beats a completed one', runs: [aCheckRun('build', { conclusion: 'FAILURE', startedAt: at(1) }), aCheckRun('build', { status: 'QUEUED', conclusion: null, startedAt: null })], state: 'pending' },
      { name: 'a newer completed run beats an older stuck in-progress one', runs: [aCheckRun('build', { status: 'IN_PROGRESS', conclusion: null, startedAt: at(1) }), aCheckRun('build', { startedAt: at(5) })], state: 'green' },
      { name: 'on a tie, the run still going counts', runs: [aCheckRun('build', { startedAt: at(3) }), aCheckRun('build', { status: 'IN_PROGRESS', conclusion: null, startedAt: at(3) })], state: 'pending' },
      { name: 'on a tie between finished runs, the failing one counts', runs: [aCheckRun('build', { startedAt: at(3) }), aCheckRun('build', { conclusion: 'FAILURE', startedAt: at(3) })], state: 'red' },
      { name: 'a newer status replaces an older one of the same context', runs: [aStatus('ci/ext', 'FAILURE', { startedAt: at(1) }), aStatus('ci/ext', 'SUCCESS', { startedAt: at(2) })], state: 'green' },
      { name: 'a check run and a status of the same name are different checks', runs: [aStatus('build', 'FAILURE', { startedAt: at(1) }), aCheckRun('build', { startedAt: at(2) })], state: 'red' },
    ];
    for (const row of table) {
      it(row.name, () => {
        for (const runs of [row.runs, [...row.runs].reverse()]) {
          const report = ciState(someChecks(runs));
          assert.equal(report.state, row.state);
          assert.equal(report.checks.length, new Set(runs.map(run => `${run.kind}:${run.name}`)).size);
        }
      });
    }
  });

  it('is noCi only with no check, no status and nothing required', () => {
    assert.equal(ciState(someChecks([], { rollupState: null })).state, 'noCi');
    assert.equal(ciState(someChecks([], { rollupState: null, requiredContexts: ['build'] })).state, 'pending');
    assert.equal(ciState(someChecks([], { rollupState: null, awaitingApproval: 1 })).state, 'pending');
  });

  it('uses the rollup state when no context is listed', () => {
    assert.equal(ciState(someChecks([], { rollupState: 'SUCCESS' })).state, 'green');
    assert.equal(ciState(someChecks([], { rollupState: 'FAILURE' })).state, 'red');
    assert.equal(ciState(someChecks([], { rollupState: 'PENDING' })).state, 'pending');
  });

  it('counts a required context that has not reported as pending, by name', () => {
    const report = ciState(someChecks([aCheckRun('lint')], { requiredContexts: ['lint', 'build', 'ci/ext'] }));
    assert.equal(report.state, 'pending');
    assert.deepEqual(report.missingRequired, ['build', 'ci/ext']);
    assert.equal(report.checks.find(check => check.context.name === 'lint')?.required, true);
  });

  it('is pending while workflow runs await approval, but red stays red', () => {
    assert.equal(ciState(someChecks([aCheckRun('build')], { awaitingApproval: 2 })).state, 'pending');
    assert.equal(ciState(someChecks([aCheckRun('build', { conclusion: 'FAILURE' })], { awaitingApproval: 2 })).state, 'red');
  });

  it('does not call a truncated list green unless the rollup says so', () => {
    assert.equal(ciState(someChecks([aCheckRun('build')], { truncated: true, rollupState: 'PENDING' })).state, 'pending');
    assert.equal(ciState(someChecks([aCheckRun('build')], { truncated: true, rollupState: 'FAILURE' })).state, 'red');
    assert.equal(ciState(someChecks([aCheckRun('build')], { truncated: true, rollupState: 'SUCCESS' })).state, 'green');
  });

  it('lists failing checks with their urls, pending ones by name, sorted by name', () => {
    const report = ciState(someChecks([aCheckRun('z-test', { conclusion: 'TIMED_OUT' }), aStatus('a-ext', 'ERROR'), aCheckRun('m-lint', { status: 'QUEUED', conclusion: null })]));
    assert.deepEqual(report.failing.map(check => [check.name, check.url]), [['a-ext', 'https://status.example/a-ext'], ['z-test', 'https://ci.example/z-test']]);
    assert.deepEqual(report.pending, ['m-lint']);
  });
});

describe('redPullRequests', () => {
  it('lists open PRs whose CI is red, with failing checks and fix attempts', () => {
    const red = aPullRequest({ number: 7, isDraft: true, checks: someChecks([aCheckRun('build', { conclusion: 'FAILURE' }), aCheckRun('lint')]) });
    const green = aPullRequest({ number: 8 });
    const pending = aPullRequest({ number: 9, checks: someChecks([aCheckRun('build', { status: 'IN_PROGRESS', conclusion: null })]) });
    const cancelled = aPullRequest({ number: 10, checks: someChecks([aCheckRun('build', { conclusion: 'CANCELLED' })]) });
    const other = aPullRequest({ number: 3, checks: someChecks([aStatus('ci/ext', 'ERROR')]) });
    const list = redPullRequests(aSnapshot({ openPullRequests: [red, green, pending, cancelled, other] }), new Map([[7, 2]]));
    assert.deepEqual(list, [
      { number: 3, title: other.title, url: other.url, isDraft: false, failingChecks: [{ name: 'ci/ext', url: 'https://status.example/ci/ext' }], fixAttempts: 0 },
      { number: 7, title: red.title, url: red.url, isDraft: true, failingChecks: [{ name: 'build', url: 'https://ci.example/build' }], fixAttempts: 2 },
    ]);
  });
});
