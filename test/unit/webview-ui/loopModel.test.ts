import assert from 'node:assert/strict';
import { initialLoopState, type LoopState } from '../../../src/core/loop/engine/loopModel';
import { Redactor } from '../../../src/core/logging/redactor';
import { buildPanelSnapshot } from '../../../src/core/state/panelSnapshot';
import { isMutatingMessage, parseToHostMessage, type PanelSnapshot } from '../../../src/shared/protocol';
import { restrictedReason } from '../../../webview-ui/src/listModel';
import { buildLoopModel, formatRelative, type LoopViewModel } from '../../../webview-ui/src/loopModel';
import { aLoopState, aPlan, aReport, dispatchAction, evilText, mergeAction } from '../../support/loopStates';
import { anAtoState } from '../../support/stateBuilders';

const now = Date.parse('2026-11-21T10:02:00.000Z');

function snapshotOf(loop: LoopState, trusted = true): PanelSnapshot {
  return buildPanelSnapshot(anAtoState({ loop, trusted }), new Redactor());
}

const model = (loop: Partial<LoopState> = {}, trusted = true): LoopViewModel => buildLoopModel(snapshotOf(aLoopState(loop), trusted), now);
const buttons = (view: LoopViewModel): [string, string | undefined][] => view.buttons.map(b => [b.id, b.disabledReason]);

describe('loop header model', () => {
  it('marks exactly one current step, in its group, for every stage', () => {
    for (const stage of ['1a', '1b', '1c', '2a', '2b', '2c', '3a', '3b', '3c'] as const) {
      const view = model({ stage: { ...aPlan().stage!, stage } });
      assert.deepEqual(view.stepper.map(group => group.label), ['Gap analysis', 'Development', 'Capability update']);
      const current = view.stepper.flatMap(group => group.steps).filter(step => step.current);
      assert.deepEqual(current.map(step => step.id), [stage]);
      assert.deepEqual(view.stepper.filter(group => group.current).map(group => group.id), [stage.startsWith('1') ? 'gap' : stage.startsWith('2') ? 'development' : 'capability']);
      assert.ok(view.stepper.every(group => group.steps.every(step => step.meaning.length > 0)));
    }
    const unknown = model({ stage: undefined });
    assert.ok(unknown.stepper.every(group => !group.current && group.steps.every(step => !step.current)));
    assert.equal(unknown.stage, undefined);
  });

  it('shows the stage with its reason and the focus with its link', () => {
    const view = model();
    assert.deepEqual(view.stage, { label: 'Stage 2c · Development', meaning: 'A task PR is ready to merge', reason: 'PR #12 is ready' });
    assert.deepEqual(view.focus, {
      label: 'Task add-login · issue #3 · PR #12',
      title: 'Add a login form',
      url: 'https://github.com/octo/repo/pull/12',
      refs: [
        { kind: 'issue', caption: 'Issue #3', url: 'https://github.com/octo/repo/issues/3' },
        { kind: 'pullRequest', caption: 'PR #12: [WIP] Add a login form', url: 'https://github.com/octo/repo/pull/12' },
      ],
    });
  });

  it('shows the counts from the planning branch, explained in the tooltip; none before a tick read them', () => {
    const counts = model().counts;
    assert.equal(counts?.text, '3 pending · 1 processed · 2 complete · 1 invalid · 2 unpromoted · 2 open ATO issues · 1 of 5 open PRs followed');
    assert.match(counts.tooltip, /^Read from the planning branch and GitHub, not from your working tree:/);
    assert.equal(model({ counts: undefined }).counts, undefined);
  });

  it('names a merge that waits for you in the plan, with why', () => {
    const plan = aPlan({ tracks: [{ track: 'planning', action: undefined, reason: 'Auto-merge is off.', held: { action: mergeAction, waitsFor: 'you' } }] });
    assert.deepEqual(model({ plan }).plan?.lines, [{ icon: 'bell', text: 'Planning: Merge PR #12 at abcdef1, then close #3 — waits for you', detail: 'Auto-merge is off.', tone: 'warning' }]);
    const untrusted = aPlan({ tracks: [{ track: 'planning', action: undefined, reason: 'Not taken.', held: { action: mergeAction, waitsFor: 'trust' } }] });
    assert.equal(model({ plan: untrusted }).plan?.lines[0]?.text, 'Planning: Merge PR #12 at abcdef1, then close #3 — not taken (untrusted)');
  });

  it('tells the states apart: paused, running, ticking (spinning), error with its message', () => {
    assert.deepEqual([model().state.kind, model().state.label], ['paused', 'Paused']);
    assert.deepEqual([model({ running: true }).state.kind, model({ running: true }).state.label], ['running', 'Running']);
    const ticking = model({ ticking: true });
    assert.deepEqual([ticking.state.kind, ticking.state.spin, ticking.state.label], ['ticking', true, 'Ticking…']);
    const error = model({ error: 'GitHub answered 502' });
    assert.deepEqual([error.state.kind, error.state.tone, error.state.detail], ['error', 'error', 'GitHub answered 502']);
    assert.equal(model().mode, 'GitHub');
    assert.equal(model({ mode: 'local' }).mode, 'Local mode');
  });

  it('start or pause, run one tick, preview: each posts its loop message, and all pass the protocol', () => {
    const paused = model();
    assert.deepEqual(paused.buttons.map(b => b.message), [{ type: 'loop.start' }, { type: 'loop.tick' }, { type: 'loop.preview' }]);
    assert.deepEqual(model({ running: true }).buttons[0]?.message, { type: 'loop.pause' });
    for (const button of [...paused.buttons, ...model({ running: true }).buttons]) {
      assert.equal(button.disabledReason, undefined);
      assert.ok(parseToHostMessage(button.message).ok);
      assert.ok(isMutatingMessage(button.message));
    }
  });

  it('Restricted Mode shows the state but disables every button with the reason', () => {
    const view = model({}, false);
    assert.equal(view.state.kind, 'untrusted');
    assert.match(view.state.detail ?? '', /takes no action/);
    assert.deepEqual(buttons(view), [['start', restrictedReason], ['tick', restrictedReason], ['preview', restrictedReason]]);
    assert.equal(view.stage?.reason, 'PR #12 is ready', 'the state is still shown');
    assert.ok(view.plan !== undefined && view.report !== undefined);
  });

  it('an off loop says why and disables its buttons with that reason', () => {
    const view = buildLoopModel(snapshotOf(initialLoopState), now);
    assert.equal(view.state.kind, 'off');
    assert.match(view.state.detail ?? '', /loop engine has not started/);
    for (const [, reason] of buttons(view)) assert.match(reason ?? '', /^The loop is off: .*has not started/);
    assert.deepEqual([view.ticks, view.budget, view.plan, view.report, view.mode], ['', [], undefined, undefined, undefined]);
  });

  it('while a tick runs, a second tick or a preview waits; pause stays possible', () => {
    assert.deepEqual(buttons(model({ ticking: true, running: true })), [['pause', undefined], ['tick', 'A tick is running.'], ['preview', 'A tick is running.']]);
  });

  it('shows the last and next tick in relative time', () => {
    assert.equal(model({ running: true }).ticks, 'last tick 2 min ago · next tick in 3 min');
    assert.equal(model().ticks, 'last tick 2 min ago · paused: no tick scheduled');
    assert.equal(model({ running: true, lastTickAt: undefined, nextTickAt: undefined }).ticks, 'no tick yet · next tick not scheduled');
    assert.equal(model({ running: true, nextTickAt: '2026-11-21T10:01:00.000Z' }).ticks, 'last tick 2 min ago · next tick due now');
  });

  it('renders the plan: each track\'s action and why, or why nothing', () => {
    const plan = model().plan;
    assert.equal(plan?.heading, 'Plan at stage 2c · 2 min ago');
    assert.deepEqual(plan.lines.map(line => [line.icon, line.text, line.detail]), [
      ['circle-slash', 'Runs: nothing to do', 'no run is active'],
      ['git-merge', 'Planning: Merge PR #12 at abcdef1, then close #3', 'PR #12 is ready'],
    ]);
    assert.deepEqual(model({ plan: aPlan({ tracks: [], stage: undefined }) }).plan, { heading: 'Plan · 2 min ago', lines: [{ icon: 'circle-slash', text: 'No track has anything to do.', detail: '', tone: 'normal' }] });
    assert.equal(model({ plan: undefined }).plan, undefined);
  });

  it('renders the last tick\'s outcomes and what it cost', () => {
    const report = model({ lastReport: aReport({ outcomes: [{ track: 'runs', action: dispatchAction, result: 'failed', message: 'HTTP 502' }, { track: 'planning', action: dispatchAction, result: 'skipped', message: 'lease held elsewhere' }], requests: 1, points: 0 }) }).report;
    assert.equal(report?.heading, 'Last tick · 2 min ago · 1 request, 0 points');
    assert.deepEqual(report.lines.map(line => [line.icon, line.text, line.detail, line.tone]), [
      ['error', 'Runs: Dispatch issue #7 to an agent — failed', 'HTTP 502', 'error'],
      ['circle-slash', 'Planning: Dispatch issue #7 to an agent — skipped', 'lease held elsewhere', 'normal'],
    ]);
    assert.equal(model({ lastReport: aReport({ outcomes: [] }) }).report?.lines[0]?.text, 'It took no action.');
  });

  it('shows the rate-limit budget with its reset, warning when it runs low', () => {
    assert.deepEqual(model().budget.map(line => [line.text, line.detail, line.tone]), [
      ['Core API: 4,321 / 5,000 left', 'resets in 58 min', 'normal'],
      ['GraphQL API: 120 / 5,000 left', 'resets in 28 min', 'warning'],
    ]);
    assert.equal(model({ rateLimit: { core: { resource: 'core', limit: 5000, remaining: 0, resetAt: '2026-11-21T11:00:00.000Z' }, graphql: undefined } }).budget[0]?.tone, 'error');
    assert.match(model({ rateLimit: { core: undefined, graphql: undefined } }).budget[0]?.text ?? '', /No rate-limit budget yet/);
    assert.match(model({ mode: 'local', rateLimit: { core: undefined, graphql: undefined } }).budget[0]?.text ?? '', /Local mode: the loop makes no GitHub requests/);
  });

  it('warns when another loop holds the lease', () => {
    assert.equal(model().lease, undefined);
    assert.deepEqual(model({ lease: { holder: 'ci@runner', mine: false, expiresAt: '2026-11-21T10:12:00.000Z' } }).lease, { icon: 'lock', text: 'Another loop holds the lease: ci@runner', detail: 'expires in 10 min', tone: 'warning' });
  });

  it('passes GitHub text through untouched, for the view to render as text', () => {
    const view = model({ stage: { ...aPlan().stage!, reason: evilText, focus: { kind: 'gapAnalysis', title: evilText } } });
    assert.equal(view.stage?.reason, evilText);
    assert.equal(view.focus?.title, evilText);
    assert.equal(view.focus.url, null);
  });
});

describe('formatRelative', () => {
  it('says how long ago or how soon, coarsely', () => {
    const at = (offsetSeconds: number): string => formatRelative(new Date(now + offsetSeconds * 1000).toISOString(), now);
    assert.equal(at(0), 'just now');
    assert.equal(at(-3), 'just now');
    assert.equal(at(-45), '45 s ago');
    assert.equal(at(45), 'in 45 s');
    assert.equal(at(-150), '2 min ago');
    assert.equal(at(3 * 3600 + 120), 'in 3 h 2 min');
    assert.equal(at(-3 * 86_400), '3 d ago');
    assert.equal(formatRelative('whenever', now), 'whenever');
  });
});

describe('loop header model: an engine that cannot run here', () => {
  it('shows "Not running" with the engine\'s reason, no error, and disables the buttons with it', () => {
    const view = buildLoopModel(snapshotOf({ ...initialLoopState, mode: 'local', error: 'This repository has no `origin` remote.' }), now);
    assert.deepEqual([view.state.kind, view.state.label, view.state.tone, view.state.detail], ['off', 'Not running', 'normal', 'This repository has no `origin` remote.']);
    for (const [, reason] of buttons(view)) assert.equal(reason, 'The loop is not running: This repository has no `origin` remote.');
    assert.equal(view.ticks, '');
    assert.equal(view.mode, 'Local mode');
  });
});

describe('loop header model: no GitHub loop here collapses to one line (issue 14)', () => {
  it('local mode: one line saying how to turn the loop on, the engine\'s reason on hover', () => {
    const view = buildLoopModel(snapshotOf({ ...initialLoopState, mode: 'local', error: 'This repository has no `origin` remote.' }), now);
    assert.deepEqual(view.collapsed, { text: 'Local mode: the GitHub loop turns on with a GitHub origin remote and a sign-in (or token).', tooltip: 'This repository has no `origin` remote.' });
  });

  it('off: the line is the reason, which says what to do; Restricted Mode says to trust the folder', () => {
    assert.match(buildLoopModel(snapshotOf(initialLoopState), now).collapsed?.text ?? '', /^Loop off: .*has not started/);
    assert.equal(buildLoopModel(snapshotOf(initialLoopState, false), now).collapsed?.text, 'Loop off in Restricted Mode: trust this folder to let ATO run it.');
  });

  it('a GitHub loop keeps its full header, even when it cannot run in this window', () => {
    assert.equal(model().collapsed, undefined);
    assert.equal(model({ error: 'Another window runs the planning loop for this folder.' }).collapsed, undefined);
  });
  it('a loop held while the window is unfocused says so and how it resumes (the status bar\'s "paused (window unfocused)")', () => {
    const view = model({ running: true, pausedUnfocused: true });
    assert.equal(view.state.kind, 'pausedUnfocused');
    assert.equal(view.state.label, 'Paused (window unfocused)');
    assert.match(view.state.detail ?? '', /catches up with one tick as soon as this window has focus again/);
    assert.match(view.ticks, /no tick while unfocused$/);
    // Pause still pauses it for good; the user's own pause is not "unfocused".
    assert.deepEqual(view.buttons.map(b => b.id), ['pause', 'tick', 'preview']);
    assert.equal(model({ running: false, pausedUnfocused: true }).state.kind, 'paused');
    assert.equal(model({ running: true, pausedUnfocused: true, ticking: true }).state.kind, 'ticking');
  });
});
