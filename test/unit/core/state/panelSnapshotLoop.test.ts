import assert from 'node:assert/strict';
import { initialLoopState } from '../../../../src/core/loop/engine/loopModel';
import { redactedMarker, Redactor } from '../../../../src/core/logging/redactor';
import { buildPanelSnapshot } from '../../../../src/core/state/panelSnapshot';
import { fullPanelUpdate } from '../../../../src/core/state/panelUpdates';
import { parseToWebviewMessage, type PanelSnapshot } from '../../../../src/shared/protocol';
import { aBusyLoopState, aFollowedPullRequest, aLoopState, aPlan, aRedPullRequest, awaitingApproval, closedOutside, evilText, invalidRemoteTask, mergeAction, readyToMerge, repoUrl, requeueOffered, someCounts } from '../../../support/loopStates';
import { aBusyState, aRun } from '../../../support/panelState';
import { anAtoState, planningExamples } from '../../../support/stateBuilders';

const parses = (snapshot: PanelSnapshot): boolean => parseToWebviewMessage(JSON.parse(JSON.stringify(fullPanelUpdate(snapshot)))).ok;

describe('buildPanelSnapshot: the loop', () => {
  it('an off loop says why, first reason first', () => {
    const reason = (overrides: Parameters<typeof anAtoState>[0]): string | null => buildPanelSnapshot(anAtoState(overrides), new Redactor()).loop.offReason;
    assert.match(reason({}) ?? '', /loop engine has not started/);
    assert.match(reason({ trusted: false }) ?? '', /Restricted Mode/);
    assert.match(reason({ planning: planningExamples.missing }) ?? '', /no planning folder yet/);
    assert.match(reason({ planning: planningExamples.partial }) ?? '', /incomplete \(vision\/goal\.md, issue_queue\/pending missing\)/);
    assert.match(reason({ planning: planningExamples.error }) ?? '', /EACCES/);
    assert.equal(reason({ loop: { ...initialLoopState, error: 'Another window runs the planning loop for this folder.' } }), 'Another window runs the planning loop for this folder.');
    assert.match(reason({ loop: { ...initialLoopState, error: 'GitHub said 401', lastTickAt: '2026-11-21T10:00:00.000Z' } }) ?? '', /stopped on an error: GitHub said 401/);
    assert.equal(reason({ loop: aLoopState() }), null, 'no reason when the loop is on');
    assert.equal(reason({ loop: aLoopState({ error: 'HTTP 502' }) }), null, 'a failed tick is an error, not a reason');
    const notice = 'This repository has no `origin` remote.';
    assert.equal(reason({ loop: { ...initialLoopState, mode: 'local', error: notice } }), notice, 'an engine that could not start here');
  });

  it('sends an error only for a failed tick; before any tick the engine\'s error is the reason it is not running', () => {
    const failed = buildPanelSnapshot(anAtoState({ loop: aLoopState({ error: 'HTTP 502' }) }), new Redactor()).loop;
    assert.deepEqual([failed.error, failed.offReason], ['HTTP 502', null]);
    const notice = buildPanelSnapshot(anAtoState({ loop: { ...initialLoopState, mode: 'local', error: 'no origin remote' } }), new Redactor()).loop;
    assert.deepEqual([notice.mode, notice.error, notice.offReason], ['local', null, 'no origin remote']);
  });

  it('maps stage, focus, plan, last tick, budget, red PRs and lease, and passes the protocol', () => {
    const snapshot = buildPanelSnapshot(anAtoState({ loop: aLoopState() }), new Redactor());
    const loop = snapshot.loop;
    assert.deepEqual(loop.stage, {
      stage: '2c',
      reason: 'PR #12 is ready',
      focus: {
        kind: 'task', label: 'Task add-login · issue #3 · PR #12', title: 'Add a login form',
        issue: { number: 3, title: 'Add a login form', url: `${repoUrl}/issues/3` },
        pullRequest: { number: 12, title: '[WIP] Add a login form', url: `${repoUrl}/pull/12` },
        url: `${repoUrl}/pull/12`,
      },
      action: { kind: 'mergePullRequest', summary: 'Merge PR #12 at abcdef1, then close #3', reason: 'checks green, review requested' },
    });
    assert.deepEqual(loop.plan?.tracks, [
      { track: 'runs', action: null, waitsFor: null, reason: 'no run is active' },
      { track: 'planning', action: { kind: 'mergePullRequest', summary: 'Merge PR #12 at abcdef1, then close #3', reason: 'checks green, review requested' }, waitsFor: null, reason: 'PR #12 is ready' },
    ]);
    assert.equal(loop.plan.stage, '2c');
    assert.deepEqual(loop.lastReport, { at: '2026-11-21T10:00:00.000Z', outcomes: [{ track: 'planning', summary: 'Merge PR #12 at abcdef1, then close #3', result: 'done', message: 'merged at abcdef1' }], requests: 4, points: 1 });
    assert.deepEqual(loop.rateLimit, { core: { limit: 5000, remaining: 4321, resetAt: '2026-11-21T11:00:00.000Z' }, graphql: { limit: 5000, remaining: 120, resetAt: '2026-11-21T10:30:00.000Z' } });
    assert.deepEqual(loop.redPullRequests[0], {
      number: 21, title: 'Fix the build 21', url: `${repoUrl}/pull/21`, isDraft: false,
      failingChecks: [{ name: 'test (ubuntu)', url: `${repoUrl}/actions/runs/2101` }, { name: 'lint', url: null }], fixAttempts: 1, care: null,
    });
    assert.deepEqual([loop.mode, loop.running, loop.ticking, loop.error, loop.lease?.holder], ['github', false, false, null, 'alice@laptop']);
    assert.ok(parses(snapshot));
  });

  it('carries the followed PRs with CI and every rule of the verdict, the counts, and a merge that waits for you in the plan', () => {
    const plan = aPlan({ tracks: [{ track: 'planning', action: undefined, reason: 'Auto-merge is off.', held: { action: mergeAction, waitsFor: 'you' } }] });
    const snapshot = buildPanelSnapshot(anAtoState({ loop: aLoopState({ plan }) }), new Redactor());
    assert.deepEqual(snapshot.loop.followedPullRequests, [{
      number: 12, title: 'Add a login form 12', url: `${repoUrl}/pull/12`, author: 'Copilot', isDraft: false, workKind: 'task', work: 'Task add-login',
      ci: 'pending', failingChecks: [], pendingChecks: ['ci/build'], ready: false,
      rules: [{ rule: 'open', ok: true, detail: 'open' }, { rule: 'reviewSignal', ok: false, detail: 'no review requested and no approval' }, { rule: 'checksGreen', ok: false, detail: 'checks pending: ci/build' }],
    }]);
    assert.deepEqual(snapshot.loop.counts, someCounts);
    assert.deepEqual(snapshot.loop.plan?.tracks, [{ track: 'planning', action: { kind: 'mergePullRequest', summary: 'Merge PR #12 at abcdef1, then close #3', reason: 'checks green, review requested' }, waitsFor: 'you', reason: 'Auto-merge is off.' }]);
    assert.equal(buildPanelSnapshot(anAtoState({ loop: aLoopState({ counts: undefined }) }), new Redactor()).loop.counts, null);
    assert.ok(parses(snapshot));
  });

  it('puts the loop\'s needs-you items first, each with its one action and its GitHub page', () => {
    const snapshot = buildPanelSnapshot(anAtoState({ loop: aLoopState(), runs: [aRun(3, 'failed')] }), new Redactor());
    assert.deepEqual(snapshot.needsYou.map(item => [item.kind, item.key, item.label, item.action, item.url]), [
      ['readyToMerge', 'loop:readyToMerge:12', 'Merge', { type: 'loop.merge', pullNumber: 12 }, `${repoUrl}/pull/12`],
      ['workflowsAwaitingApproval', 'loop:workflowsAwaitingApproval:14', 'Approve on GitHub', { type: 'openExternal', url: `${repoUrl}/pull/14/checks` }, `${repoUrl}/pull/14`],
      ['issueClosedOutsideLoop', 'loop:issueClosedOutsideLoop:9', 'Open', { type: 'openExternal', url: `${repoUrl}/issues/9` }, null],
      ['invalidTask', 'loop:invalidTask:bad', '', null, null],
      ['runFailed', 'run-00003', 'Show Log', { type: 'showRunLog', runId: 'run-00003' }, null],
    ]);
    assert.ok(parses(snapshot));
  });

  it('a task the loop offers to requeue (GitHub mode): Requeue, the same message as a local requeue, and its GitHub page', () => {
    const snapshot = buildPanelSnapshot(anAtoState({ loop: aLoopState({ needsYou: [requeueOffered, { ...requeueOffered, taskId: 'x'.repeat(201) }] }) }), new Redactor());
    assert.deepEqual(snapshot.needsYou.map(item => [item.key, item.label, item.action, item.url]), [
      ['loop:runFailed:12', 'Requeue', { type: 'requeueTask', taskId: 'add-login' }, `${repoUrl}/pull/12`],
      // An id no message can carry: the page instead of the requeue.
      ['loop:runFailed:12', 'Open', { type: 'openExternal', url: `${repoUrl}/pull/12` }, null],
    ]);
    assert.ok(parses(snapshot));
  });

  it('drops links the panel may not open (and the action that needed them), keeping the rest of the snapshot', () => {
    const loop = aLoopState({
      stage: { ...aPlan().stage!, focus: { kind: 'task', title: 'x', issue: { number: 1, title: 'x', url: 'javascript:alert(1)' } } },
      followedPullRequests: [aFollowedPullRequest(7, { url: 'vscode://settings', failingChecks: [{ name: 'x', url: 'file:///etc/passwd' }] })],
      redPullRequests: [aRedPullRequest(5, { url: 'file:///etc/passwd', failingChecks: [{ name: 'x', url: 'https://github.com/a b' }] })],
      needsYou: [
        { ...awaitingApproval, url: 'data:text/html,<b>x</b>' },
        { ...closedOutside, url: 'vscode://settings' },
        { ...readyToMerge, pullNumber: -1 },
      ],
    });
    const snapshot = buildPanelSnapshot(anAtoState({ loop }), new Redactor());
    assert.equal(snapshot.loop.stage?.focus?.url, null);
    assert.equal(snapshot.loop.stage.focus.issue?.url, null);
    assert.deepEqual([snapshot.loop.followedPullRequests[0]?.url, snapshot.loop.followedPullRequests[0]?.failingChecks[0]?.url], [null, null]);
    assert.equal(snapshot.loop.redPullRequests[0]?.url, null);
    assert.equal(snapshot.loop.redPullRequests[0].failingChecks[0]?.url, null);
    assert.deepEqual(snapshot.needsYou.map(item => [item.action, item.url]), [[null, null], [null, null], [null, `${repoUrl}/pull/12`]]);
    assert.ok(parses(snapshot));
  });

  it('keeps GitHub text as it is (the panel renders it as text), and redacts secrets; a link quoting a secret is dropped', () => {
    const secret = 'sekrit-loop-value';
    const redactor = new Redactor();
    redactor.addSecret(secret);
    const loop = aLoopState({
      error: `502 from ${secret}`,
      stage: { ...aPlan().stage!, reason: evilText, focus: { kind: 'task', title: evilText, pullRequest: { number: 12, title: evilText, url: `${repoUrl}/pull/12?t=${secret}` } } },
      followedPullRequests: [aFollowedPullRequest(12, { title: evilText, author: secret, verdict: { ready: false, rules: [{ rule: 'checksGreen', ok: false, detail: `checks failing: ${secret}` }] } })],
      redPullRequests: [aRedPullRequest(5, { title: evilText, failingChecks: [{ name: `${evilText} ${secret}`, url: null }] })],
      needsYou: [{ ...readyToMerge, title: evilText, detail: secret }],
    });
    const snapshot = buildPanelSnapshot(anAtoState({ loop }), redactor);
    const text = JSON.stringify(snapshot);
    assert.ok(!text.includes(secret));
    assert.ok(text.includes(redactedMarker));
    assert.equal(snapshot.loop.stage?.reason, evilText);
    assert.equal(snapshot.loop.stage.focus?.title, evilText);
    assert.equal(snapshot.loop.stage.focus.url, null);
    assert.equal(snapshot.loop.stage.focus.pullRequest?.title, evilText);
    assert.equal(snapshot.loop.followedPullRequests[0]?.title, evilText);
    assert.equal(snapshot.loop.redPullRequests[0]?.title, evilText);
    assert.equal(snapshot.needsYou[0]?.title, evilText);
    assert.ok(parses(snapshot));
  });

  it('reuses the loop part while the loop state is the same, and the queue part when only the loop changed', () => {
    const { state } = aBusyState(500, 20);
    const redactor = new Redactor();
    const loop = aLoopState();
    const first = buildPanelSnapshot({ ...state, loop }, redactor);
    const sameLoop = buildPanelSnapshot({ ...state, runs: state.runs.slice(1), loop }, redactor);
    assert.equal(sameLoop.loop, first.loop);
    const loopChanged = buildPanelSnapshot({ ...state, loop: { ...loop, ticking: true } }, redactor);
    assert.notEqual(loopChanged.loop, first.loop);
    assert.equal(loopChanged.loop.ticking, true);
    assert.equal(loopChanged.queue, first.queue, 'the task list is not rebuilt for a loop change');
    assert.deepEqual(loopChanged.needsYou.filter(item => item.kind === 'invalidTask' && !item.key.startsWith('loop:')).length, 10);
  });

  it('follows the off reason when the state around an off loop changes', () => {
    const redactor = new Redactor();
    const before = buildPanelSnapshot(anAtoState(), redactor);
    const after = buildPanelSnapshot(anAtoState({ trusted: false }), redactor);
    assert.notEqual(before.loop.offReason, after.loop.offReason);
  });

  it('carries 10,000 red PRs and 10,000 ready PRs through the protocol', () => {
    const snapshot = buildPanelSnapshot(anAtoState({ loop: aBusyLoopState(10_000) }), new Redactor());
    assert.equal(snapshot.loop.redPullRequests.length, 10_000);
    assert.equal(snapshot.needsYou.filter(item => item.kind === 'readyToMerge').length, 10_000);
    assert.ok(parses(snapshot));
  });

  it('never sends a negative or fractional count the protocol would refuse', () => {
    const loop = aLoopState({
      lastReport: { plan: aPlan(), outcomes: [], requests: -1, points: 1.5 },
      rateLimit: { core: { resource: 'core', limit: -5, remaining: Number.NaN, resetAt: 'x' }, graphql: undefined },
      redPullRequests: [aRedPullRequest(1, { fixAttempts: -2 }), aRedPullRequest(0)],
    });
    const snapshot = buildPanelSnapshot(anAtoState({ loop }), new Redactor());
    assert.deepEqual([snapshot.loop.lastReport?.requests, snapshot.loop.lastReport?.points], [0, 0]);
    assert.deepEqual(snapshot.loop.rateLimit.core, { limit: 0, remaining: 0, resetAt: 'x' });
    assert.deepEqual(snapshot.loop.redPullRequests.map(pr => [pr.number, pr.fixAttempts]), [[1, 0]], 'a PR without a valid number is left out');
    assert.ok(parses(snapshot));
  });

  it('every needs-you kind of the loop is a kind of the protocol', () => {
    for (const item of [readyToMerge, awaitingApproval, closedOutside, invalidRemoteTask,
      { ...closedOutside, kind: 'runFailed' as const }, { ...closedOutside, kind: 'fixAttemptsExhausted' as const }, { ...closedOutside, kind: 'mergeBlocked' as const }]) {
      assert.ok(parses(buildPanelSnapshot(anAtoState({ loop: aLoopState({ needsYou: [item] }) }), new Redactor())), item.kind);
    }
  });
});
