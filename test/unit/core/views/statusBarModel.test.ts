import assert from 'node:assert/strict';
import { needsYouCount, statusBarView } from '../../../../src/core/views/statusBarModel';
import type { AtoState } from '../../../../src/core/state/atoState';
import { initialLoopState } from '../../../../src/core/loop/engine/loopModel';
import { aLoopState } from '../../../support/loopStates';
import { aBusyState } from '../../../support/panelState';
import { aRunRecord } from '../../../support/runRecords';
import { anAtoState, planningExamples, planningKinds } from '../../../support/stateBuilders';

describe('statusBarView', () => {
  const expected: Readonly<Record<AtoState['planning']['kind'], { text: RegExp; tone: 'normal' | 'warning' | 'error' }>> = {
    noWorkspace: { text: /^\$\(hubot\) ATO$/, tone: 'normal' },
    unknown: { text: /^\$\(loading~spin\) ATO$/, tone: 'normal' },
    missing: { text: /no planning folder/, tone: 'normal' },
    partial: { text: /planning incomplete/, tone: 'warning' },
    ready: { text: /\b3 pending\b.*\b2 /, tone: 'normal' },
    error: { text: /^\$\(error\) ATO$/, tone: 'error' },
  };

  for (const kind of planningKinds) {
    it(`shows the planning folder: ${kind}`, () => {
      const view = statusBarView(anAtoState({ planning: planningExamples[kind] }));
      assert.match(view.text, expected[kind].text);
      assert.equal(view.tone, expected[kind].tone);
      assert.ok(view.tooltip.length > 0);
    });
  }

  it('says what is missing and why reading failed in the tooltip', () => {
    assert.match(statusBarView(anAtoState({ planning: planningExamples.partial })).tooltip, /vision\/goal\.md, issue_queue\/pending/);
    assert.match(statusBarView(anAtoState({ planning: planningExamples.error })).tooltip, /EACCES/);
  });

  it('tells GitHub mode from local mode when ready', () => {
    const mode = (github: AtoState['auth']['github']): string => statusBarView(anAtoState({ auth: { github, gitlab: false, jules: false, anthropic: false } })).tooltip;
    assert.match(mode({ kind: 'session', account: 'octocat' }), /GitHub mode/);
    assert.match(mode({ kind: 'token' }), /GitHub mode/);
    assert.match(mode({ kind: 'none' }), /local mode/);
    assert.match(mode({ kind: 'unknown' }), /local mode/);
    assert.match(mode({ kind: 'none' }), /3 pending, 2 dispatched, 7 complete/);
  });

  it('puts Restricted Mode first, whatever the planning state', () => {
    for (const kind of planningKinds) {
      const view = statusBarView(anAtoState({ trusted: false, planning: planningExamples[kind], settingsProblems: [{ setting: 'ato.x', message: 'bad' }] }));
      assert.equal(view.text, '$(shield) ATO: Restricted Mode');
      assert.match(view.tooltip, /shows the planning folder and the loop's state but takes no action.*Click to manage workspace trust\.$/);
      assert.equal(view.tone, 'warning');
      assert.equal(view.command, 'workbench.trust.manage', 'a click opens the Workspace Trust editor');
    }
    assert.equal(statusBarView(anAtoState()).command, 'ato.openControlPanel');
  });

  it('puts settings problems before the planning state, listing each message', () => {
    const view = statusBarView(anAtoState({ settingsProblems: [{ setting: 'ato.a', message: 'first' }, { setting: 'ato.b', message: 'second' }] }));
    assert.match(view.text, /check settings/);
    assert.equal(view.tooltip, 'first\nsecond');
  });
});

describe('statusBarView: needs you', () => {
  it('counts invalid files, runs waiting for an answer and tasks whose latest run failed, in warning colour', () => {
    const runs = [
      { ...aRunRecord({ runId: 'r3', taskId: 'a' }), state: 'failed' as const },
      { ...aRunRecord({ runId: 'r2', taskId: 'a' }), state: 'failed' as const },
      { ...aRunRecord({ runId: 'r1', taskId: 'b' }), state: 'needsYou' as const },
      { ...aRunRecord({ runId: 'r0', taskId: 'c' }), state: 'succeeded' as const },
    ];
    const state = anAtoState({ runs });
    assert.equal(needsYouCount(state), 2, 'a failed task counts once (its latest run), plus the run that waits');
    const view = statusBarView(state);
    assert.match(view.text, /\$\(bell-dot\) 2$/);
    assert.equal(view.tone, 'warning');
    assert.equal(statusBarView(anAtoState()).tone, 'normal');
  });
});

describe('statusBarView: a failure with another try scheduled', () => {
  it('does not count a failed run whose retry or hand-over is already scheduled', () => {
    const failed = { ...aRunRecord({ runId: 'r1', taskId: 'a' }), state: 'failed' as const };
    assert.equal(needsYouCount(anAtoState({ runs: [{ ...failed, followUp: { kind: 'retry', at: '2026-11-21T10:00:10.000Z', reason: 'rate limited' } }] })), 0);
    assert.equal(needsYouCount(anAtoState({ runs: [{ ...failed, followUp: { kind: 'nextAgent', reason: 'fatal on claude-code' } }] })), 0);
    assert.equal(needsYouCount(anAtoState({ runs: [{ ...failed, followUp: { kind: 'needsYou', reason: 'no agent left' } }] })), 1);
  });
});

describe('statusBarView: the loop', () => {
  it('shows the stage, pending tasks, active runs, red PRs and the needs-you count, paused by its icon', () => {
    const { state } = aBusyState(30, 14);
    const view = statusBarView({ ...state, loop: aLoopState() });
    // 3 pending on the planning branch; 4 of 14 runs running or preparing; 4 loop items + 1 invalid file + 2 runs asking + 2 failed.
    assert.equal(view.text, '$(debug-pause) ATO 2c: 3 pending · 4 running · $(git-pull-request) 2 red · $(bell-dot) 9');
    assert.equal(view.tone, 'warning', 'something needs you');
    assert.match(view.tooltip, /^ATO loop \(GitHub mode\) — paused\nStage 2c · Development: PR #12 is ready\n/);
    assert.match(view.tooltip, /2 pull requests with failing checks/);
  });

  it('counts pending tasks on the planning branch in GitHub mode, in the working tree otherwise', () => {
    const { state } = aBusyState(30, 14);
    // The working tree has 24 pending task files, 23 of them valid tasks (the invalid one is counted apart); the planning branch has 3.
    assert.match(statusBarView({ ...state, loop: aLoopState() }).text, /: 3 pending · /);
    assert.match(statusBarView({ ...state, loop: aLoopState({ counts: undefined }) }).text, /: 23 pending · /, 'before a tick read the branch');
    assert.match(statusBarView({ ...state, loop: aLoopState({ mode: 'local' }) }).text, /: 23 pending · /);
  });

  it('spins while a tick runs, says when the next one is, and has no warning colour with nothing waiting', () => {
    const view = statusBarView(anAtoState({ loop: aLoopState({ running: true, ticking: true, needsYou: [], redPullRequests: [] }) }));
    assert.equal(view.text, '$(sync~spin) ATO 2c: 3 pending');
    assert.equal(view.tone, 'normal');
    assert.match(view.tooltip, /a tick is running/);
    assert.match(view.tooltip, /Next tick at \d\d:\d\d\./);
    assert.match(statusBarView(anAtoState({ loop: aLoopState({ running: true, needsYou: [] }) })).text, /^\$\(hubot\) ATO 2c/);
  });

  it('turns to the error colour while the loop fails, with the reason in the tooltip', () => {
    const view = statusBarView(anAtoState({ loop: aLoopState({ error: 'GitHub answered 502', needsYou: [] }) }));
    assert.match(view.text, /^\$\(error\) ATO 2c/);
    assert.equal(view.tone, 'error');
    assert.match(view.tooltip, /The last tick failed: GitHub answered 502/);
    const off = statusBarView(anAtoState({ loop: { ...initialLoopState, error: 'GitHub answered 401', lastTickAt: '2026-11-21T10:00:00.000Z' } }));
    assert.equal(off.tone, 'error');
    assert.match(off.tooltip, /The loop failed: GitHub answered 401/);
  });

  it('an engine that cannot run here says why (before any tick): a notice, not an error', () => {
    const notice = 'This repository has no `origin` remote: the loop works on the local planning folder.';
    const view = statusBarView(anAtoState({ loop: { ...initialLoopState, mode: 'local', error: notice } }));
    assert.equal(view.text, '$(circle-slash) ATO');
    assert.equal(view.tone, 'normal');
    assert.match(view.tooltip, /^ATO loop \(local mode\) — not running\nThis repository has no `origin` remote/);
    const off = statusBarView(anAtoState({ loop: { ...initialLoopState, error: 'Another window runs the planning loop for this folder.' } }));
    assert.equal(off.tone, 'normal');
    assert.doesNotMatch(off.tooltip, /failed/);
  });

  it('counts the loop\'s needs-you items, and shows the loop even without a local planning folder', () => {
    assert.equal(needsYouCount(anAtoState({ loop: aLoopState() })), 4);
    assert.match(statusBarView(anAtoState({ planning: planningExamples.missing, loop: aLoopState({ mode: 'local' }) })).tooltip, /local mode/);
    assert.equal(statusBarView(anAtoState({ loop: aLoopState({ stage: undefined, needsYou: [], redPullRequests: [], counts: undefined }) })).text, '$(debug-pause) ATO');
  });

  it('keeps Restricted Mode first', () => {
    assert.match(statusBarView(anAtoState({ trusted: false, loop: aLoopState() })).text, /Restricted Mode/);
  });
});
