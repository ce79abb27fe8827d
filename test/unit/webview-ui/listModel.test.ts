import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Redactor } from '../../../src/core/logging/redactor';
import { buildPanelSnapshot } from '../../../src/core/state/panelSnapshot';
import { isPanelTask, panelTaskSchema, type PanelSnapshot, type PanelTask } from '../../../src/shared/protocol';
import { buildFollowedPullRequestRows, buildNeedsYouRows, buildQueueRows, buildRedPullRequestRows, buildRunRows, formatCost, formatElapsed, matchesFilter, restrictedReason, runDetail, type ListRow } from '../../../webview-ui/src/listModel';
import { initialUiState, parseUiState, reduceUiState, type UiState } from '../../../webview-ui/src/uiState';
import { aBusyLoopState, aFollowedPullRequest, aLoopState } from '../../support/loopStates';
import { aBusyState, aRun } from '../../support/panelState';
import { anAtoState } from '../../support/stateBuilders';

function task(overrides: Partial<PanelTask> = {}): PanelTask {
  return { id: 'a', title: 'A task', folder: 'pending', valid: true, diagnostics: 0, firstError: null, priority: 'high', type: 'feature', agent: 'auto', blocked: null, path: 'issue_queue/pending/a.task.md', mtime: '2026-11-21T10:00:00.000Z', ...overrides };
}

function snapshot(overrides: Partial<PanelSnapshot> = {}): PanelSnapshot {
  return { ...buildPanelSnapshot(anAtoState(), new Redactor()), ...overrides };
}

const withTasks = (tasks: PanelTask[], trusted = true): PanelSnapshot => snapshot({ trusted, queue: { revision: 1, counts: { pending: 0, processed: 0, complete: 0, invalid: 0 }, items: tasks } });
const ui = (overrides: Partial<UiState> = {}): UiState => ({ ...initialUiState, collapsed: [], ...overrides });
const keys = (rows: readonly ListRow[]): string[] => rows.map(row => row.key);

describe('list models', () => {
  describe('queue', () => {
    it('is empty without a queue or without tasks', () => {
      assert.deepEqual(buildQueueRows(snapshot(), ui()), []);
      assert.deepEqual(buildQueueRows(withTasks([]), ui()), []);
    });

    it('groups by folder with invalid files apart, newest first by default', () => {
      const rows = buildQueueRows(withTasks([
        task({ id: 'old', path: 'issue_queue/pending/old.md', mtime: '2026-01-01T00:00:00.000Z' }),
        task({ id: 'new', path: 'issue_queue/pending/new.md', mtime: '2026-02-01T00:00:00.000Z' }),
        task({ id: 'done', folder: 'complete', path: 'issue_queue/complete/done.md' }),
        task({ id: 'bad', valid: false, firstError: 'Unknown type', path: 'issue_queue/pending/bad.md' }),
      ]), ui());
      assert.deepEqual(keys(rows), ['queue:pending', 'task:issue_queue/pending/new.md', 'task:issue_queue/pending/old.md', 'queue:complete', 'task:issue_queue/complete/done.md', 'queue:invalid', 'task:issue_queue/pending/bad.md']);
      const bad = rows.at(-1);
      assert.ok(bad?.kind === 'task');
      assert.deepEqual([bad.status, bad.tone], ['Unknown type', 'error']);
      assert.deepEqual(bad.actions.map(a => a.message?.type), ['openTask']);
    });

    it('keeps queue order when asked, and collapses groups', () => {
      const tasks = [task({ id: 'x', path: 'issue_queue/pending/x.md', mtime: '2026-01-01T00:00:00.000Z' }), task({ id: 'y', path: 'issue_queue/pending/y.md', mtime: '2026-03-01T00:00:00.000Z' })];
      assert.deepEqual(keys(buildQueueRows(withTasks(tasks), ui({ sort: 'order' }))), ['queue:pending', 'task:issue_queue/pending/x.md', 'task:issue_queue/pending/y.md']);
      const collapsed = buildQueueRows(withTasks(tasks), ui({ collapsed: ['queue:pending'] }));
      assert.deepEqual(collapsed, [{ kind: 'group', key: 'queue:pending', group: 'queue:pending', label: 'Pending', count: 2, collapsed: true }]);
    });

    it('offers dispatch for valid pending tasks only; blocked ones say why; Restricted Mode disables it', () => {
      const rows = buildQueueRows(withTasks([task(), task({ id: 'b', path: 'issue_queue/pending/b.md', blocked: 'waits for x to complete' }), task({ id: 'p', folder: 'processed', path: 'issue_queue/processed/p.md' })]), ui());
      const byId = (id: string) => rows.find(row => row.kind === 'task' && row.task.id === id);
      const ready = byId('a');
      assert.ok(ready?.kind === 'task');
      assert.deepEqual(ready.actions.map(a => [a.message, a.disabledReason]), [[{ type: 'dispatchTask', taskId: 'a' }, undefined], [{ type: 'previewDispatch', taskId: 'a' }, undefined], [{ type: 'openTask', path: 'issue_queue/pending/a.task.md' }, undefined]]);
      const blocked = byId('b');
      assert.ok(blocked?.kind === 'task');
      assert.match(blocked.actions[0]?.disabledReason ?? '', /Blocked: waits for x/);
      assert.equal(blocked.tone, 'warning');
      const processed = byId('p');
      assert.deepEqual(processed?.kind === 'task' && processed.actions.map(a => a.message?.type), ['openTask']);
      const restricted = buildQueueRows(withTasks([task()], false), ui()).find(row => row.kind === 'task');
      assert.ok(restricted?.kind === 'task');
      assert.equal(restricted.actions[0]?.disabledReason, restrictedReason);
      assert.equal(restricted.actions.find(a => a.message?.type === 'previewDispatch')?.disabledReason, restrictedReason, 'a preview checks the agents: refused too');
      assert.equal(restricted.actions.find(a => a.message?.type === 'openTask')?.disabledReason, undefined, 'opening a file stays possible');
      assert.equal(restricted.selectable, false, 'nothing to select for a fan-out in Restricted Mode');
    });

    it('marks valid pending tasks selectable for a fan-out, and the selected ones', () => {
      const rows = buildQueueRows(withTasks([task(), task({ id: 'b', path: 'issue_queue/pending/b.md' }), task({ id: 'p', folder: 'processed', path: 'issue_queue/processed/p.md' })]), ui({ sort: 'order' }), new Set(['b', 'p']));
      const tasks = rows.flatMap(row => (row.kind === 'task' ? [[row.task.id, row.selectable, row.selected]] : []));
      assert.deepEqual(tasks, [['a', true, false], ['b', true, true], ['p', false, false]]);
    });

    it('disables open for a path the host would refuse', () => {
      const row = buildQueueRows(withTasks([task({ path: '../../etc/passwd' })]), ui()).find(r => r.kind === 'task');
      assert.ok(row?.kind === 'task');
      assert.equal(row.actions.at(-1)?.message, undefined);
      assert.match(row.actions.at(-1)?.disabledReason ?? '', /cannot be named/);
    });

    it('filters on title, id, path and agent, every word, case-insensitively', () => {
      const tasks = [task({ id: 'login', title: 'Add a LOGIN form', path: 'issue_queue/pending/login.md' }), task({ id: 'other', title: 'Other', path: 'issue_queue/pending/other.md', agent: 'jules' })];
      assert.deepEqual(keys(buildQueueRows(withTasks(tasks), ui({ filter: 'login FORM' }))), ['queue:pending', 'task:issue_queue/pending/login.md']);
      assert.deepEqual(keys(buildQueueRows(withTasks(tasks), ui({ filter: 'jules' }))), ['queue:pending', 'task:issue_queue/pending/other.md']);
      assert.deepEqual(buildQueueRows(withTasks(tasks), ui({ filter: 'nothing-like-it' })), []);
      assert.ok(matchesFilter('   ', ['x']));
    });

    it('handles 10,000 tasks: one row per task plus group headers (its speed is measured by bench/panel.bench.ts)', () => {
      const big = buildPanelSnapshot(aBusyState(10_000, 0).state, new Redactor());
      const rows = buildQueueRows(big, ui());
      assert.equal(rows.filter(row => row.kind === 'task').length, 10_000);
      assert.deepEqual(rows.filter(row => row.kind === 'group').map(row => row.key), ['queue:pending', 'queue:processed', 'queue:complete', 'queue:invalid']);
    });
  });

  describe('runs', () => {
    const runs = buildPanelSnapshot(anAtoState({ runs: [aRun(5, 'running'), aRun(4, 'needsYou'), aRun(3, 'failed'), aRun(2, 'succeeded')] }), new Redactor()).runs;

    it('is empty without runs', () => {
      assert.deepEqual(buildRunRows(snapshot(), ui()), []);
    });

    it('groups by state, needing you first, with log for all and cancel only while active', () => {
      const rows = buildRunRows(snapshot({ runs }), ui());
      assert.deepEqual(keys(rows), ['runs:needsYou', 'run:run-00004', 'runs:running', 'run:run-00005', 'runs:failed', 'run:run-00003', 'runs:succeeded', 'run:run-00002']);
      const actions = (id: string) => rows.find(row => row.key === id)?.kind === 'run' ? (rows.find(row => row.key === id) as Extract<ListRow, { kind: 'run' }>).actions.map(a => a.message?.type) : [];
      assert.deepEqual(actions('run:run-00005'), ['showRunLog', 'cancelRun']);
      assert.deepEqual(actions('run:run-00003'), ['showRunLog', 'viewRunDiff', 'openRunPullRequest', 'mergeRun', 'discardRun'], 'a finished local run with a branch can be landed');
      const restricted = buildRunRows(snapshot({ runs, trusted: false }), ui()).find(row => row.key === 'run:run-00005');
      assert.ok(restricted?.kind === 'run');
      assert.deepEqual(restricted.actions.map(a => a.disabledReason), [undefined, restrictedReason]);
      const restrictedLanding = buildRunRows(snapshot({ runs, trusted: false }), ui()).find(row => row.key === 'run:run-00003');
      assert.ok(restrictedLanding?.kind === 'run');
      assert.deepEqual(restrictedLanding.actions.map(a => a.disabledReason), [undefined, undefined, restrictedReason, restrictedReason, restrictedReason], 'the diff is only looked at; landing acts');
      const landed = buildRunRows(snapshot({ runs: runs.map(run => ({ ...run, landable: false, landing: 'merged' })) }), ui()).find(row => row.key === 'run:run-00003');
      assert.ok(landed?.kind === 'run');
      assert.deepEqual(landed.actions.map(a => a.message?.type), ['showRunLog'], 'landed: the actions go');
    });

    it('offers Requeue on the latest failed or cancelled run of a task waiting in processed/, and only there', () => {
      const processed = (id: string): PanelTask => task({ id, folder: 'processed', path: `issue_queue/processed/${id}.task.md` });
      const queue = { revision: 1, counts: { pending: 0, processed: 3, complete: 0, invalid: 0 }, items: [processed('task-1'), processed('task-2'), processed('task-4'), task({ id: 'task-5' })] };
      const panelRuns = buildPanelSnapshot(anAtoState({
        runs: [aRun(6, 'running', 'task-4'), aRun(5, 'failed', 'task-5'), aRun(4, 'failed', 'task-4'), aRun(2, 'cancelled', 'task-2'), aRun(1, 'failed', 'task-1'), aRun(0, 'succeeded', 'task-1')],
      }), new Redactor()).runs;
      const requeue = (trusted: boolean) => buildRunRows(snapshot({ runs: panelRuns, queue, trusted }), ui()).flatMap(row => row.kind === 'run' ? row.actions.filter(a => a.label === 'Requeue').map(a => [row.run.runId, a.message, a.disabledReason]) : []);
      assert.deepEqual(requeue(true), [
        ['run-00001', { type: 'requeueTask', taskId: 'task-1' }, undefined],
        ['run-00002', { type: 'requeueTask', taskId: 'task-2' }, undefined],
      ], 'not task-4 (a newer run is going), not task-5 (in pending/), not a succeeded run');
      assert.deepEqual(requeue(false).map(([, , reason]) => reason), [restrictedReason, restrictedReason]);
    });

    it('filters runs too', () => {
      assert.deepEqual(keys(buildRunRows(snapshot({ runs }), ui({ filter: 'run-00003' }))), ['runs:failed', 'run:run-00003']);
    });

    it('formats elapsed time (ticking without an end), cost and the detail line', () => {
      assert.equal(formatElapsed('2026-11-21T10:00:00Z', null, Date.parse('2026-11-21T10:00:12Z')), '12s');
      assert.equal(formatElapsed('2026-11-21T10:00:00Z', null, Date.parse('2026-11-21T10:03:05Z')), '3m 05s');
      assert.equal(formatElapsed('2026-11-21T10:00:00Z', '2026-11-21T11:02:00Z', 0), '1h 02m');
      assert.equal(formatElapsed('not a date', null, 0), '');
      assert.equal(formatCost(null), '');
      assert.equal(formatCost(0.125), '$0.125');
      assert.equal(formatCost(12.5), '$12.50');
      const failed = runs.find(run => run.state === 'failed');
      assert.ok(failed);
      assert.equal(runDetail(failed, 0), 'failed · 1m 30s · $0.030 · 3 turns · ato/task-3 · fatal: exit code 3');
    });
  });

  describe('needs you', () => {
    it('is empty when nothing needs you', () => {
      assert.deepEqual(buildNeedsYouRows(snapshot(), ui()), []);
    });

    it('gives each item its one action, disabled when the host could not name it', () => {
      const snap = buildPanelSnapshot(anAtoState({ runs: [aRun(3, 'failed')] }), new Redactor());
      const rows = buildNeedsYouRows({ ...snap, needsYou: [...snap.needsYou, { kind: 'runNeedsYou', key: 'x', title: 'x', detail: 'y', label: 'Show Log', action: null, url: null }] }, ui());
      assert.equal(rows.length, 2);
      assert.deepEqual(rows[0]?.kind === 'needsYou' && rows[0].actions.map(a => a.message), [{ type: 'showRunLog', runId: 'run-00003' }]);
      assert.deepEqual(rows[1]?.kind === 'needsYou' && rows[1].actions.map(a => [a.message, a.disabledReason !== undefined]), [[undefined, true]]);
    });
  });

  describe('UI state', () => {
    it('reduces filter, sort, group toggles and scroll, returning the same object when nothing changes', () => {
      let state = initialUiState;
      state = reduceUiState(state, { kind: 'filter', text: 'login' });
      assert.equal(state.filter, 'login');
      assert.equal(reduceUiState(state, { kind: 'filter', text: 'login' }), state);
      state = reduceUiState(state, { kind: 'sort', sort: 'order' });
      assert.equal(state.sort, 'order');
      state = reduceUiState(state, { kind: 'toggleGroup', group: 'queue:pending' });
      assert.ok(state.collapsed.includes('queue:pending'));
      state = reduceUiState(state, { kind: 'toggleGroup', group: 'queue:pending' });
      assert.ok(!state.collapsed.includes('queue:pending'));
      state = reduceUiState(state, { kind: 'scroll', list: 'queue', top: 220.4 });
      assert.equal(state.scroll['queue'], 220);
      assert.equal(reduceUiState(state, { kind: 'scroll', list: 'queue', top: 220 }), state);
    });

    it('round-trips through getState/setState, and falls back to defaults for anything else', () => {
      const state: UiState = { filter: 'x', sort: 'order', collapsed: ['runs:failed'], scroll: { queue: 44 } };
      assert.deepEqual(parseUiState(JSON.parse(JSON.stringify(state))), state);
      for (const bad of [undefined, null, 'x', 3, []]) assert.deepEqual(parseUiState(bad), initialUiState);
      assert.deepEqual(parseUiState({ filter: 7, sort: 'evil', collapsed: 'no', scroll: { queue: -1, other: 5, runs: Number.NaN } }), { ...initialUiState, scroll: {} });
    });
  });

  describe('the fast task check agrees with the task schema', () => {
    it('on valid tasks, single-field corruptions and arbitrary values', () => {
      const samples: unknown[] = [task(), task({ valid: false, firstError: 'x', priority: null, type: null, agent: null, blocked: null })];
      for (const key of Object.keys(task())) {
        for (const value of [undefined, null, 1, -1, 1.5, 'x', true, [], {}]) samples.push({ ...task(), [key]: value });
      }
      samples.push(null, [], 'task', Object.create(null));
      for (const sample of samples) assert.equal(isPanelTask(sample), panelTaskSchema.safeParse(sample).success, JSON.stringify(sample));
      fc.assert(fc.property(fc.anything(), value => isPanelTask(value) === panelTaskSchema.safeParse(value).success), { numRuns: 300 });
    });
  });
});

describe('list models: the loop', () => {
  const loopSnapshot = (trusted = true): PanelSnapshot => buildPanelSnapshot(anAtoState({ trusted, loop: aLoopState() }), new Redactor());
  const actionsOf = (rows: readonly ListRow[], key: string): [string | undefined, string | undefined][] => {
    const row = rows.find(r => r.key === key);
    assert.ok(row !== undefined && row.kind !== 'group', key);
    return row.actions.map(a => [a.message === undefined ? undefined : JSON.stringify(a.message), a.disabledReason]);
  };

  it('needs you: one-click Merge and Open on GitHub for a ready PR; Approve opens the checks page; an item without an action has no button', () => {
    const rows = buildNeedsYouRows(loopSnapshot(), ui());
    assert.deepEqual(actionsOf(rows, 'needsYou:readyToMerge:loop:readyToMerge:12'), [
      [JSON.stringify({ type: 'loop.merge', pullNumber: 12 }), undefined],
      [JSON.stringify({ type: 'openExternal', url: 'https://github.com/octo/repo/pull/12' }), undefined],
    ]);
    assert.deepEqual(actionsOf(rows, 'needsYou:workflowsAwaitingApproval:loop:workflowsAwaitingApproval:14'), [
      [JSON.stringify({ type: 'openExternal', url: 'https://github.com/octo/repo/pull/14/checks' }), undefined],
      [JSON.stringify({ type: 'openExternal', url: 'https://github.com/octo/repo/pull/14' }), undefined],
    ]);
    assert.deepEqual(actionsOf(rows, 'needsYou:invalidTask:loop:invalidTask:bad'), []);
    const labels = rows.find(r => r.key === 'needsYou:readyToMerge:loop:readyToMerge:12');
    assert.deepEqual(labels?.kind === 'needsYou' && labels.actions.map(a => [a.label, a.icon]), [['Merge', 'git-merge'], ['Open on GitHub', 'link-external']]);
  });

  it('Restricted Mode disables Merge with the reason, but links still open', () => {
    const rows = buildNeedsYouRows(loopSnapshot(false), ui());
    assert.deepEqual(actionsOf(rows, 'needsYou:readyToMerge:loop:readyToMerge:12').map(([, reason]) => reason), [restrictedReason, undefined]);
    assert.deepEqual(actionsOf(rows, 'needsYou:workflowsAwaitingApproval:loop:workflowsAwaitingApproval:14').map(([, reason]) => reason), [undefined, undefined]);
  });

  it('red PRs: each PR then its failing checks, linked where GitHub gave a link; filtered by title, number or check name', () => {
    const rows = buildRedPullRequestRows(loopSnapshot(), ui());
    assert.deepEqual(keys(rows), ['redPr:21', 'redPr:21:check:0', 'redPr:21:check:1', 'redPr:22', 'redPr:22:check:0']);
    const pr = rows[0];
    assert.ok(pr?.kind === 'redPr');
    assert.equal(pr.detail, '2 failing checks · 1 fix attempt');
    assert.equal(rows[3]?.kind === 'redPr' && rows[3].detail, '1 failing check · 3 fix attempts · draft');
    assert.deepEqual(actionsOf(rows, 'redPr:21:check:0'), [[JSON.stringify({ type: 'openExternal', url: 'https://github.com/octo/repo/actions/runs/2101' }), undefined]]);
    assert.deepEqual(actionsOf(rows, 'redPr:21:check:1'), [], 'a check without a link');
    assert.deepEqual(keys(buildRedPullRequestRows(loopSnapshot(), ui({ filter: 'ubuntu' }))), ['redPr:21', 'redPr:21:check:0', 'redPr:21:check:1']);
    assert.deepEqual(keys(buildRedPullRequestRows(loopSnapshot(), ui({ filter: '#22' }))), ['redPr:22', 'redPr:22:check:0']);
    assert.deepEqual(buildRedPullRequestRows(snapshot(), ui()), []);
  });

  it('followed PRs: every one, red or not, with its work, CI and verdict, then each merge rule with its reason; filtered by title or work', () => {
    const green = aFollowedPullRequest(30, { ci: 'green', pendingChecks: [], verdict: { ready: true, rules: [{ rule: 'open', ok: true, detail: 'open' }, { rule: 'checksGreen', ok: true, detail: '1 check green on abcdef1' }] } });
    const snapshotWith = buildPanelSnapshot(anAtoState({ loop: aLoopState({ followedPullRequests: [aFollowedPullRequest(12), green] }) }), new Redactor());
    const rows = buildFollowedPullRequestRows(snapshotWith, ui());
    assert.deepEqual(keys(rows), ['followedPr:12', 'followedPr:12:rule:open', 'followedPr:12:rule:reviewSignal', 'followedPr:12:rule:checksGreen', 'followedPr:30', 'followedPr:30:rule:open', 'followedPr:30:rule:checksGreen']);
    assert.deepEqual(rows.flatMap(row => row.kind === 'followedPr' ? [[row.detail, row.tone]] : []), [['Task add-login · CI pending · 2 merge rules unmet', 'warning'], ['Task add-login · CI green · ready to merge', 'normal']]);
    assert.deepEqual(rows.flatMap(row => row.kind === 'rule' ? [[row.ok, row.detail]] : []).slice(0, 3), [[true, 'open'], [false, 'no review requested and no approval'], [false, 'checks pending: ci/build']]);
    assert.deepEqual(actionsOf(rows, 'followedPr:12'), [[JSON.stringify({ type: 'openExternal', url: 'https://github.com/octo/repo/pull/12' }), undefined]]);
    assert.deepEqual(keys(buildFollowedPullRequestRows(snapshotWith, ui({ filter: '#30' }))), ['followedPr:30', 'followedPr:30:rule:open', 'followedPr:30:rule:checksGreen']);
    assert.deepEqual(buildFollowedPullRequestRows(snapshot(), ui()), []);
  });

  it('handles 10,000 red PRs and 10,000 ready PRs', () => {
    const big = buildPanelSnapshot(anAtoState({ loop: aBusyLoopState(10_000) }), new Redactor());
    assert.equal(buildRedPullRequestRows(big, ui()).filter(row => row.kind === 'redPr').length, 10_000);
    assert.equal(buildNeedsYouRows(big, ui()).filter(row => row.kind === 'needsYou' && row.item.kind === 'readyToMerge').length, 10_000);
  });
});
