import assert from 'node:assert/strict';
import { carePull, decideMaintenance, type PullUnderCare } from '../../../../../../src/core/loop/tracks/maintenance/maintenanceDecision';

const h1 = '1'.repeat(40);
const h2 = '2'.repeat(40);
const settings = { maxFixAttempts: 3 };

function pull(overrides: Partial<PullUnderCare> = {}): PullUnderCare {
  return { number: 7, draft: false, headSha: h1, author: 'copilot', ci: 'red', mergeState: 'clean', awaitingWorkflowApproval: false, records: [], ...overrides };
}

describe('maintenance track: what to do with each PR ATO may act on', () => {
  it('a red PR by Copilot: fix attempt 1 goes to Copilot; asked once per head, then it waits for a push', () => {
    const first = carePull(pull(), settings);
    assert.deepEqual(first.action, { kind: 'requestFix', pull: 7, attempt: 1, headSha: h1, author: 'copilot' });
    assert.equal(first.state, 'red');
    const asked = carePull(pull({ records: [{ kind: 'fix', attempt: 1, headSha: h1 }] }), settings);
    assert.equal(asked.action, undefined);
    assert.equal(asked.state, 'fixing');
    assert.match(asked.reason, /fix attempt 1 of 3 asked at 1111111; waiting for a push/);
  });

  it('verified before done: after a push the attempt is fixing while CI runs, fixed only when green, the next attempt when red', () => {
    const records = [{ kind: 'fix' as const, attempt: 1, headSha: h1 }];
    assert.equal(carePull(pull({ headSha: h2, ci: 'pending', records }), settings).state, 'fixing');
    assert.equal(carePull(pull({ headSha: h2, ci: 'none', records }), settings).state, 'fixing');
    const fixed = carePull(pull({ headSha: h2, ci: 'green', records }), settings);
    assert.equal(fixed.state, 'fixed');
    assert.equal(fixed.action, undefined);
    const again = carePull(pull({ headSha: h2, ci: 'red', records }), settings);
    assert.deepEqual(again.action, { kind: 'requestFix', pull: 7, attempt: 2, headSha: h2, author: 'copilot' });
  });

  it('the budget runs out: needs you with the count, no fourth attempt', () => {
    const records = [1, 2, 3].map(attempt => ({ kind: 'fix' as const, attempt, headSha: String(attempt).repeat(40) }));
    const spent = carePull(pull({ headSha: h2.replace(/2/g, '9'), records }), settings);
    assert.equal(spent.state, 'needsYou');
    assert.equal(spent.action, undefined);
    assert.match(spent.reason, /after 3 fix attempts \(the budget is 3\)/);
  });

  it('a red draft gets one read-only analysis per head', () => {
    assert.deepEqual(carePull(pull({ draft: true }), settings).action, { kind: 'analyzeDraft', pull: 7, headSha: h1 });
    assert.equal(carePull(pull({ draft: true, records: [{ kind: 'analysis', attempt: 1, headSha: h1 }] }), settings).action, undefined);
    assert.equal(carePull(pull({ draft: true, headSha: h2, records: [{ kind: 'analysis', attempt: 1, headSha: h1 }] }), settings).action?.kind, 'analyzeDraft');
  });

  it('behind: update-branch once per head, then the CI rules; conflicting: the agent is asked to rebase, a person\'s PR needs you', () => {
    assert.deepEqual(carePull(pull({ mergeState: 'behind', ci: 'green' }), settings).action, { kind: 'updateBranch', pull: 7, headSha: h1 });
    const tried = carePull(pull({ mergeState: 'behind', records: [{ kind: 'updateBranch', attempt: 1, headSha: h1 }] }), settings);
    assert.equal(tried.action?.kind, 'requestFix');
    assert.deepEqual(carePull(pull({ mergeState: 'conflicting', author: 'jules' }), settings).action, { kind: 'askRebase', pull: 7, headSha: h1, author: 'jules' });
    assert.equal(carePull(pull({ mergeState: 'conflicting', author: 'jules', records: [{ kind: 'rebase', attempt: 1, headSha: h1 }] }), settings).action, undefined);
    assert.equal(carePull(pull({ mergeState: 'conflicting', author: 'person' }), settings).state, 'needsYou');
  });

  it('changes requested: the review\'s comments go to the agent once per review', () => {
    const review = { changesRequested: { reviewId: 41 }, ci: 'green' as const };
    assert.deepEqual(carePull(pull({ ...review, author: 'local' }), settings).action, { kind: 'sendReviewFollowUp', pull: 7, reviewId: 41, author: 'local' });
    assert.equal(carePull(pull({ ...review, records: [{ kind: 'reviewFollowUp', attempt: 1, headSha: h1, reviewId: 41 }] }), settings).action, undefined);
    assert.equal(carePull(pull({ changesRequested: { reviewId: 42 }, records: [{ kind: 'reviewFollowUp', attempt: 1, headSha: h1, reviewId: 41 }] }), settings).action?.kind, 'sendReviewFollowUp');
  });

  it('workflow runs awaiting approval need you; a person\'s red PR is shown, not fixed', () => {
    const waiting = carePull(pull({ awaitingWorkflowApproval: true }), settings);
    assert.equal(waiting.state, 'needsYou');
    assert.equal(waiting.action, undefined);
    const human = carePull(pull({ author: 'person' }), settings);
    assert.equal(human.state, 'red');
    assert.equal(human.action, undefined);
  });

  it('one action per tick: the oldest PR that needs one; the same records decide the same after a restart', () => {
    const pulls = [pull({ number: 9 }), pull({ number: 3, records: [{ kind: 'fix', attempt: 1, headSha: h1 }] }), pull({ number: 5, ci: 'green' })];
    const decision = decideMaintenance(pulls, settings);
    assert.deepEqual(decision.action, { kind: 'requestFix', pull: 9, attempt: 1, headSha: h1, author: 'copilot' });
    assert.deepEqual(decision.pulls.map(care => [care.pull, care.state]), [[3, 'fixing'], [5, 'healthy'], [9, 'red']]);
    assert.deepEqual(decideMaintenance([...pulls].reverse(), settings), decision);
    assert.equal(decideMaintenance([pull({ ci: 'green' })], settings).action, undefined);
  });
});
