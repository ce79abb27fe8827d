import assert from 'node:assert/strict';
import type { IssueComment } from '../../../../../../src/core/forges/github/githubModel';
import { describeAction } from '../../../../../../src/core/loop/engine/describeAction';
import type { TrustFacts } from '../../../../../../src/core/loop/policy/pullRequestTrust';
import { formatMarker, readMarkers } from '../../../../../../src/core/loop/texts/markers';
import { fixNowAction } from '../../../../../../src/core/loop/tracks/maintenance/fixNow';
import { planMaintenance, type PullReading } from '../../../../../../src/core/loop/tracks/maintenance/maintenancePlan';
import { firstFencedBlock, recordsFromComments } from '../../../../../../src/core/loop/tracks/maintenance/maintenanceRecords';
import { pullsInScope, type PullInScope } from '../../../../../../src/core/loop/tracks/maintenance/pullsUnderCare';
import { aCheckRun, aPullRequest, someChecks } from '../../../../../support/githubBuilders';

const head = 'a'.repeat(40);
const otherHead = 'b'.repeat(40);
const red = someChecks([aCheckRun('build', { conclusion: 'FAILURE' })], { rollupState: 'FAILURE' });

function comment(body: string, author = 'octocat', id = 1): IssueComment {
  return { id, body, author, createdAt: '2026-12-01T10:00:00Z', url: `https://github.com/o/r/pull/1#issuecomment-${String(id)}` };
}

function fixMarker(pr: number, attempt: number, sha = head): string {
  return formatMarker({ kind: 'maintenance', record: { request: 'fix', pr, attempt, headSha: sha, agent: 'copilot' } });
}

/** The refusal's text (a planned action instead fails the match). */
function why(answer: ReturnType<typeof fixNowAction>): string {
  return typeof answer === 'string' ? answer : `planned ${answer.kind}`;
}

const trust: TrustFacts = { agentAccounts: [], allowForks: false, viewerLogin: 'octocat', writeAccess: new Map([['alice', true]]) };

describe('maintenance records and care', () => {
  describe('markers', () => {
    it('round-trips every field and refuses what is not ATO\'s exact syntax', () => {
      const record = { request: 'reviewFollowUp' as const, pr: 12, attempt: 2, headSha: head, agent: 'claude-code', reviewId: 77 };
      assert.deepEqual(readMarkers(formatMarker({ kind: 'maintenance', record })), [{ kind: 'maintenance', record }]);
      assert.deepEqual(readMarkers(`<!-- ato:maintenance=fix pr=12 attempt=1 head=${head.slice(1)} -->`), [], 'a short sha');
      assert.deepEqual(readMarkers(`<!-- ato:maintenance=delete pr=12 attempt=1 head=${head} -->`), [], 'an unknown request');
      assert.deepEqual(readMarkers(`<!-- ato:maintenance=fix pr=12 attempt=1 head=${head} agent=Bad/Id -->`), []);
      assert.throws(() => formatMarker({ kind: 'maintenance', record: { request: 'fix', pr: 1, attempt: 1, headSha: 'nope' } }));
    });
  });

  describe('recordsFromComments', () => {
    it('reads only the token user\'s markers for this PR, outside fences', () => {
      const records = recordsFromComments(7, [
        comment(`@copilot fix it\n\n\`\`\`text\nlog line\n\`\`\`\n\n${fixMarker(7, 1)}`, 'octocat', 1),
        comment(fixMarker(7, 2), 'mallory', 2),
        comment(fixMarker(8, 3), 'octocat', 3),
        comment(`\`\`\`\n${fixMarker(7, 4)}\n\`\`\``, 'octocat', 4),
      ], 'OctoCat');
      assert.deepEqual(records.map(record => [record.kind, record.attempt, record.commentId, record.quoted]), [['fix', 1, 1, 'log line']]);
    });

    it('no viewer known: no records (never guessed)', () => {
      assert.deepEqual(recordsFromComments(7, [comment(fixMarker(7, 1))], undefined), []);
    });

    it('firstFencedBlock takes the first block, longer fences included', () => {
      assert.equal(firstFencedBlock('a\n````text\nx ``` y\n````\nb'), 'x ``` y');
      assert.equal(firstFencedBlock('no fence'), undefined);
    });
  });

  describe('pullsInScope', () => {
    const copilot = aPullRequest({ number: 1, headSha: head });
    const person = aPullRequest({ number: 2, author: { login: 'alice', isBot: false }, authorAssociation: 'COLLABORATOR' });
    const stranger = aPullRequest({ number: 3, author: { login: 'mallory', isBot: false }, authorAssociation: 'CONTRIBUTOR' });
    const fork = aPullRequest({ number: 4, isCrossRepository: true, headRepository: 'x/r' });
    const local = aPullRequest({ number: 5, author: { login: 'octocat', isBot: false }, headRefName: 'ato/add-login', body: '<!-- ato:task=add-login -->', closingIssues: [40] });
    const issues = [{ number: 40, title: 'Add login', body: '<!-- ato:task=add-login -->\n<!-- ato:agent=claude-code -->', url: '', state: 'open' as const, labels: [], assignees: [], linkedPullRequests: [], stateReason: null, createdAt: '', updatedAt: '', author: 'octocat', timeline: [] }];

    it('default scope: ATO agents\' PRs and followed PRs; a writer\'s unfollowed PR, a stranger\'s and a fork\'s are out', () => {
      const scope = pullsInScope([copilot, person, stranger, fork, local], issues as never, trust, 'atoPullRequests', new Map());
      assert.deepEqual(scope.map(entry => [entry.pr.number, entry.author, entry.agentId]), [[1, 'copilot', 'copilot'], [5, 'local', 'claude-code']]);
    });

    it('a followed person\'s PR is in scope as a person\'s; `writers` adds every writer\'s PR', () => {
      assert.deepEqual(pullsInScope([person], [], trust, 'atoPullRequests', new Map([[2, undefined]])).map(entry => entry.author), ['person']);
      assert.deepEqual(pullsInScope([person, stranger], [], trust, 'writers', new Map()).map(entry => entry.pr.number), [2]);
    });

    it('a PR a Jules session reported is Jules\'s', () => {
      const jules = aPullRequest({ number: 6, author: { login: 'google-labs-jules', isBot: true }, headRefName: 'jules/x' });
      assert.deepEqual(pullsInScope([jules], [], { ...trust, agentPullRequests: new Map([[6, 'jules/x']]) }, 'atoPullRequests', new Map()).map(entry => entry.author), ['jules']);
    });
  });

  describe('planMaintenance', () => {
    const redCopilot: PullInScope = { pr: aPullRequest({ number: 1, headSha: head, checks: red }), author: 'copilot', agentId: 'copilot' };
    const options = { maxFixAttempts: 2, agentsHook: false, activeFollowUps: new Set<number>() };

    it('plans a fix for the red Copilot PR with its agent, attempt and budget; it is in flight once asked', () => {
      const plan = planMaintenance([{ candidate: redCopilot, records: [], reviewId: undefined }], options);
      assert.deepEqual(plan.track.action, { kind: 'requestFix', reason: plan.track.action?.reason, pullNumber: 1, headSha: head, attempt: 1, maxAttempts: 2, author: 'copilot', agentId: 'copilot' });
      assert.equal(describeAction(plan.track.action), `Ask copilot to fix CI on PR #1 at aaaaaaa (attempt 1 of 2)`);
      assert.equal(plan.inFlight, false);
      const asked = planMaintenance([{ candidate: redCopilot, records: [{ kind: 'fix', attempt: 1, headSha: head, at: 't', commentId: 1 }], reviewId: undefined }], options);
      assert.equal(asked.track.action, undefined);
      assert.equal(asked.cares.get(1)?.view.state, 'fixing');
      assert.equal(asked.inFlight, true);
    });

    it('the spent budget is a needs-you item with the history', () => {
      const readings: PullReading[] = [{ candidate: { ...redCopilot, pr: { ...redCopilot.pr, headSha: 'c'.repeat(40) } }, records: [
        { kind: 'fix', attempt: 1, headSha: head, at: 't1', commentId: 1, agent: 'copilot' },
        { kind: 'fix', attempt: 2, headSha: otherHead, at: 't2', commentId: 2, agent: 'copilot' },
      ], reviewId: undefined }];
      const plan = planMaintenance(readings, options);
      assert.equal(plan.track.action, undefined);
      assert.equal(plan.needsYou.length, 1);
      assert.equal(plan.needsYou[0]?.kind, 'fixAttemptsExhausted');
      assert.match(plan.needsYou.map(item => item.detail).join(), /attempt 1 at aaaaaaa to copilot \(t1\); attempt 2 at bbbbbbb to copilot \(t2\)/);
      assert.deepEqual(plan.cares.get(1)?.view.lastFix, { attempt: 2, headSha: otherHead, agent: 'copilot', at: 't2' });
    });

    it('a local agent\'s red PR without the agents hook: needs you, "no agent hook", no action', () => {
      const local: PullInScope = { pr: aPullRequest({ number: 3, headSha: head, checks: red }), author: 'local', agentId: 'claude-code' };
      const plan = planMaintenance([{ candidate: local, records: [], reviewId: undefined }], options);
      assert.equal(plan.track.action, undefined);
      assert.equal(plan.cares.get(3)?.view.state, 'needsYou');
      assert.match(plan.cares.get(3)?.view.reason ?? '', /no agent hook/);
      const hooked = planMaintenance([{ candidate: local, records: [], reviewId: undefined }], { ...options, agentsHook: true });
      assert.equal(hooked.track.action?.kind, 'requestFix');
      const busy = planMaintenance([{ candidate: local, records: [], reviewId: undefined }], { ...options, agentsHook: true, activeFollowUps: new Set([3]) });
      assert.equal(busy.track.action, undefined, 'a follow-up run in flight: wait');
    });

    it('an update-branch GitHub refused for conflicts at this head asks for a rebase next', () => {
      const behind: PullInScope = { pr: aPullRequest({ number: 4, headSha: head, mergeStateStatus: 'BEHIND' }), author: 'copilot', agentId: 'copilot' };
      assert.equal(planMaintenance([{ candidate: behind, records: [], reviewId: undefined }], options).track.action?.kind, 'updateBranch');
      const refused = planMaintenance([{ candidate: behind, records: [{ kind: 'updateBranch', attempt: 0, headSha: head, outcome: 'conflict', at: 't', commentId: 1 }], reviewId: undefined }], options);
      assert.equal(refused.track.action?.kind, 'askRebase');
    });

    it('"Fix now": the next attempt to the chosen agent; refused for a green PR and outside the scope', () => {
      const plan = planMaintenance([{ candidate: redCopilot, records: [{ kind: 'fix', attempt: 1, headSha: head, at: 't', commentId: 1 }], reviewId: undefined }], options);
      const now = fixNowAction(plan, [redCopilot], 1, undefined, false);
      assert.ok(typeof now !== 'string');
      assert.equal(now.kind === 'requestFix' ? now.attempt : 0, 2);
      assert.match(why(fixNowAction(plan, [redCopilot], 1, 'claude-code', false)), /No agent hook/);
      assert.match(why(fixNowAction(plan, [redCopilot], 9, undefined, true)), /not one ATO may fix/);
      const green: PullInScope = { ...redCopilot, pr: { ...redCopilot.pr, checks: someChecks([aCheckRun('build')]) } };
      const greenPlan = planMaintenance([{ candidate: green, records: [], reviewId: undefined }], options);
      assert.match(why(fixNowAction(greenPlan, [green], 1, undefined, true)), /not red/);
    });
  });
});
