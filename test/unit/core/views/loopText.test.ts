import assert from 'node:assert/strict';
import type { PlannedAction } from '../../../../src/core/loop/engine/loopModel';
import { pullNumberOf, urlOf } from '../../../../src/core/views/loopCommandArgs';
import { checksPageUrl, loopUrls, needsYouLink, pullRequestChecksUrl, pullRequestPage, pullRequestUrl } from '../../../../src/core/views/loopLinks';
import { describePlan, formatClock, loopUnavailableReason, stageLabel, summarizeTickReport } from '../../../../src/core/views/loopText';
import { focusLabel, focusUrl } from '../../../../src/core/loop/tracks/planning/workNames';
import { aLoopState, aPlan, aReport, awaitingApproval, closedOutside, dispatchAction, mergeAction, readyToMerge, repoUrl } from '../../../support/loopStates';
import { anAtoState, planningExamples } from '../../../support/stateBuilders';
import { describeAction } from '../../../../src/core/loop/engine/describeAction';

describe('loop text', () => {
  it('describes every kind of action', () => {
    const actions: readonly [PlannedAction, string][] = [
      [{ kind: 'ensureGapIssue', reason: 'r' }, 'Open a gap-analysis issue and assign an agent'],
      [{ kind: 'ensureGapIssue', reason: 'r', repairIssue: 4 }, 'Repair gap-analysis issue #4'],
      [{ kind: 'promoteTask', reason: 'r', taskId: 'add-login', path: 'planning/issue_queue/pending/add-login.task.md' }, 'Promote task add-login'],
      [dispatchAction, 'Dispatch issue #7 to an agent'],
      [mergeAction, 'Merge PR #12 at abcdef1, then close #3'],
      [{ ...mergeAction, markReady: true, closeIssues: [] }, 'Mark PR #12 ready and merge it at abcdef1'],
      [{ ...mergeAction, headSha: '', closeIssues: [] }, 'Merge PR #12'],
      [{ kind: 'completeTask', reason: 'r', taskId: 't', path: 'p', pullNumber: 5, issueNumber: undefined }, 'Move task t to complete/ (PR #5)'],
      [{ kind: 'openCapabilityIssue', reason: 'r', pullNumber: 5 }, 'Open a capability-update issue for PR #5'],
      [{ kind: 'closeIssue', reason: 'r', issueNumber: 8 }, 'Close issue #8'],
    ];
    for (const [action, text] of actions) assert.equal(describeAction(action), text);
  });

  it('labels stages and focuses', () => {
    assert.equal(stageLabel('1a'), '1a · Gap analysis');
    assert.equal(stageLabel('2b'), '2b · Development');
    assert.equal(stageLabel('3c'), '3c · Capability update');
    const issue = { number: 4, title: 'i', url: `${repoUrl}/issues/4` };
    const pullRequest = { number: 3, title: 'p', url: `${repoUrl}/pull/3` };
    assert.equal(focusLabel({ kind: 'gapAnalysis', title: 't' }), 'Gap analysis');
    assert.equal(focusLabel({ kind: 'gapAnalysis', title: 't', issue }), 'Gap analysis · issue #4');
    assert.equal(focusLabel({ kind: 'task', title: 't', taskId: 'x', issue, pullRequest }), 'Task x · issue #4 · PR #3');
    assert.equal(focusLabel({ kind: 'capabilityUpdate', title: 't', sourcePullRequest: 2, pullRequest }), 'Capability update for PR #2 · PR #3');
    assert.equal(focusUrl({ kind: 'task', title: 't', taskId: 'x', issue, pullRequest }), pullRequest.url, 'the PR first');
    assert.equal(focusUrl({ kind: 'task', title: 't', taskId: 'x', issue }), issue.url);
    assert.equal(focusUrl({ kind: 'task', title: 't', taskId: 'x' }), undefined);
  });

  it('summarises a tick: its outcomes, or why it did nothing; failures flagged', () => {
    assert.deepEqual(summarizeTickReport(aReport()), { text: 'Planning: Merge PR #12 at abcdef1, then close #3 — done: merged at abcdef1', failed: false });
    const failed = summarizeTickReport(aReport({ outcomes: [{ track: 'runs', action: dispatchAction, result: 'failed', message: 'HTTP 502' }] }));
    assert.deepEqual(failed, { text: 'Runs: Dispatch issue #7 to an agent — failed: HTTP 502', failed: true });
    const idle = summarizeTickReport(aReport({ outcomes: [], plan: aPlan({ tracks: [{ track: 'runs', action: undefined, reason: 'no run is active' }, { track: 'planning', action: undefined, reason: 'PR #12 waits for CI' }] }) }));
    assert.deepEqual(idle, { text: 'Nothing to do — Runs: no run is active; Planning: PR #12 waits for CI', failed: false });
    assert.equal(summarizeTickReport(aReport({ outcomes: [], plan: aPlan({ tracks: [] }) })).text, 'Nothing to do.');
    const held = aPlan({ tracks: [{ track: 'runs', action: undefined, reason: 'No local agent run in flight.' }, { track: 'planning', action: undefined, reason: 'Auto-merge is off.', held: { action: mergeAction, waitsFor: 'you' } }] });
    assert.equal(summarizeTickReport(aReport({ outcomes: [], plan: held })).text, 'Nothing to do — Runs: No local agent run in flight; Planning: Merge PR #12 at abcdef1, then close #3 (waits for you) — Auto-merge is off');
  });

  it('writes a plan as lines for the output channel', () => {
    assert.deepEqual(describePlan(aPlan()), [
      'Next tick (preview at 2026-11-21T10:00:00.000Z):',
      '  Stage 2c · Development: PR #12 is ready',
      '  Runs: nothing — no run is active',
      '  Planning: Merge PR #12 at abcdef1, then close #3 — PR #12 is ready',
    ]);
    assert.deepEqual(describePlan(aPlan({ stage: undefined, tracks: [] })).slice(1), ['  No track has anything to do.']);
  });

  it('says why no loop runs, in order of what to fix first', () => {
    assert.match(loopUnavailableReason(anAtoState({ trusted: false, planning: planningExamples.missing })), /Restricted Mode/);
    assert.match(loopUnavailableReason(anAtoState({ planning: planningExamples.noWorkspace })), /no folder is open/);
    assert.match(loopUnavailableReason(anAtoState({ planning: planningExamples.unknown })), /still reading/);
    assert.match(loopUnavailableReason(anAtoState({ planning: planningExamples.missing })), /Initialize Planning Folder/);
    // With a GitHub loop on, a missing local folder is no reason (the loop reads the remote's).
    assert.match(loopUnavailableReason(anAtoState({ planning: planningExamples.missing, loop: aLoopState() })), /engine has not started/);
    assert.match(loopUnavailableReason(anAtoState({ loop: aLoopState({ error: 'boom' }) })), /stopped on an error: boom/);
    assert.equal(loopUnavailableReason(anAtoState({ loop: aLoopState({ error: 'no origin remote', lastTickAt: undefined, lastReport: undefined }) })), 'no origin remote');
    assert.match(loopUnavailableReason(anAtoState()), /engine has not started in this window/);
  });

  it('formats a wall-clock time, and passes anything else through', () => {
    const iso = '2026-11-21T10:05:00.000Z';
    const date = new Date(iso);
    assert.equal(formatClock(iso), `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`);
    assert.equal(formatClock('soon'), 'soon');
  });
});

describe('loop links', () => {
  it('finds the checks page and the PR page of a PR link, and leaves other links alone', () => {
    assert.equal(checksPageUrl(`${repoUrl}/pull/14`), `${repoUrl}/pull/14/checks`);
    assert.equal(checksPageUrl(`${repoUrl}/pull/14/`), `${repoUrl}/pull/14/checks`);
    assert.equal(checksPageUrl(`${repoUrl}/pull/14/files#diff`), `${repoUrl}/pull/14/checks`);
    assert.equal(checksPageUrl(`${repoUrl}/issues/9`), `${repoUrl}/issues/9`);
    assert.equal(pullRequestPage(`${repoUrl}/pull/14/checks?x=1`), `${repoUrl}/pull/14`);
    assert.equal(pullRequestPage(`${repoUrl}/actions/runs/1`), `${repoUrl}/actions/runs/1`);
  });

  it('sends workflow approvals to the checks page, and drops a link that is no http(s) URL', () => {
    assert.equal(needsYouLink(awaitingApproval), `${repoUrl}/pull/14/checks`);
    assert.equal(needsYouLink(closedOutside), `${repoUrl}/issues/9`);
    assert.equal(needsYouLink({ ...closedOutside, url: 'javascript:alert(1)' }), undefined);
    assert.equal(needsYouLink({ kind: 'issueClosedOutsideLoop', title: 't', detail: 'd' }), undefined);
  });

  it('finds a PR\'s page from red PRs, needs-you items or the focus', () => {
    const loop = aLoopState();
    assert.equal(pullRequestUrl(loop, 21), `${repoUrl}/pull/21`);
    assert.equal(pullRequestUrl(loop, 14), `${repoUrl}/pull/14`);
    assert.equal(pullRequestUrl(aLoopState({ needsYou: [], redPullRequests: [] }), 12), `${repoUrl}/pull/12`, 'from the focus');
    assert.equal(pullRequestUrl(loop, 999), undefined);
    assert.equal(pullRequestChecksUrl(loop, 14), `${repoUrl}/pull/14/checks`);
    assert.equal(pullRequestChecksUrl(loop, 21), `${repoUrl}/pull/21/checks`);
    assert.equal(pullRequestChecksUrl(loop, 999), undefined);
  });

  it('knows exactly the links the loop reported (and their PR and checks pages)', () => {
    const loop = aLoopState();
    const urls = loopUrls(loop);
    for (const url of [`${repoUrl}/pull/12`, `${repoUrl}/pull/14/checks`, `${repoUrl}/issues/9`, `${repoUrl}/pull/21`, `${repoUrl}/actions/runs/2101`, `${repoUrl}/actions/runs/2201`]) assert.ok(urls.has(url), url);
    for (const url of ['https://evil.example/', `${repoUrl}/pull/13`, `${repoUrl}/settings`]) assert.ok(!urls.has(url), url);
    assert.equal(loopUrls(loop), urls, 'cached per loop state');
    assert.equal(loopUrls(aLoopState({ needsYou: [{ ...readyToMerge, url: 'javascript:alert(1)' }], redPullRequests: [], followedPullRequests: [], stage: undefined })).size, 0);
  });
});

describe('loop command arguments', () => {
  it('takes a PR number from a number, its digits or a tree row, and nothing else', () => {
    assert.equal(pullNumberOf(12), 12);
    assert.equal(pullNumberOf('12'), 12);
    assert.equal(pullNumberOf({ ref: '12', label: 'x' }), 12);
    for (const bad of [undefined, null, 0, -1, 1.5, '1e3', '12abc', ' 12', Number.NaN, 2 ** 31, { ref: 'run-1' }, { id: 12 }, [12], `${repoUrl}/pull/12`]) assert.equal(pullNumberOf(bad), undefined, JSON.stringify(bad));
  });

  it('takes a link from a string or a tree row', () => {
    assert.equal(urlOf(`${repoUrl}/pull/1`), `${repoUrl}/pull/1`);
    assert.equal(urlOf({ url: `${repoUrl}/issues/9` }), `${repoUrl}/issues/9`);
    assert.equal(urlOf({ url: 3 }), undefined);
    assert.equal(urlOf(undefined), undefined);
  });
});
