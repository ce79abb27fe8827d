import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redactor } from '../../../../src/core/logging/redactor';
import { QueueIndex } from '../../../../src/core/queue/queueIndex';
import type { AtoState } from '../../../../src/core/state/atoState';
import { buildPanelSnapshot } from '../../../../src/core/state/panelSnapshot';
import { parseTaskFile } from '../../../../src/core/tasks/parseTaskFile';
import { isNotInCheckoutUrl } from '../../../../src/core/state/shownQueue';
import { commandIds, treeItemContexts } from '../../../../src/core/views/commandIds';
import { statusBarView } from '../../../../src/core/views/statusBarModel';
import { panelSnapshotSchema } from '../../../../src/shared/protocol';
import { buildTreeModel, type TreeNodeModel } from '../../../../src/core/views/treeModel';
import { buildQueueRows, buildRunRows } from '../../../../webview-ui/src/listModel';
import { buildPanelModel } from '../../../../webview-ui/src/panelModel';
import { initialUiState } from '../../../../webview-ui/src/uiState';
import { aRun } from '../../../support/panelState';
import { anAtoState } from '../../../support/stateBuilders';
import { useTempDir } from '../../../support/tempDir';

const task = (id: string, title: string): string => `---\nid: ${id}\ntype: feature\npriority: medium\ncreated: 2026-11-21T10:00:00Z\n---\n# ${title}\n\n**Prompt:**\nDo it.\n`;

function find(rows: readonly TreeNodeModel[], id: string): TreeNodeModel | undefined {
  for (const row of rows) {
    if (row.id === id) return row;
    const inside = find(row.children ?? [], id);
    if (inside !== undefined) return inside;
  }
  return undefined;
}

/**
 * Issue 14 "one count, one naming, everywhere": the status bar, the tree and the panel are built from one
 * fixture (a real queue index over a planning folder with one valid and one invalid pending file, one
 * dispatched task and a run of it) and must say the same: valid pending tasks, invalid files apart, tasks by title.
 */
describe('one truth on screen: status bar, tree and panel from one state', () => {
  const dir = useTempDir('ato-onetruth-');

  async function fixture(): Promise<AtoState> {
    const planning = join(dir(), 'planning');
    for (const folder of ['pending', 'processed', 'complete']) await mkdir(join(planning, 'issue_queue', folder), { recursive: true });
    await writeFile(join(planning, 'issue_queue/pending/add-login.task.md'), task('add-login', 'Add a login form'));
    await writeFile(join(planning, 'issue_queue/pending/broken.task.md'), '---\nid: [not closed\n---\n');
    await writeFile(join(planning, 'issue_queue/processed/fix-typo.task.md'), task('fix-typo', 'Fix the typo in the footer'));
    const index = new QueueIndex({ planningRoot: planning, parse: parseTaskFile });
    await index.coldIndex();
    const queue = index.snapshot();
    index.dispose();
    // The planning folder's own file count (what inspectPlanningFolder saw before the index read it).
    return anAtoState({ planning: { kind: 'ready', path: planning, queue: { pending: 2, processed: 1, complete: 0 } }, queue, runs: [aRun(1, 'running', 'fix-typo')] });
  }

  it('counts valid pending tasks, and invalid files apart, the same in all three', async () => {
    const state = await fixture();
    const bar = statusBarView(state);
    const tree = buildTreeModel(state);
    const panel = buildPanelModel(buildPanelSnapshot(state, new Redactor()));
    const snapshot = buildPanelSnapshot(state, new Redactor());
    const groups = buildQueueRows(snapshot, initialUiState).flatMap(row => row.kind === 'group' ? [[row.label, row.count] as const] : []);

    assert.match(bar.text, /\b1 pending\b/, bar.text);
    assert.match(bar.tooltip, /\b1 invalid task file\b/, bar.tooltip);
    assert.equal(find(tree, 'queue')?.description, '1 pending · 1 invalid');
    assert.equal(find(tree, 'queue/pending')?.description, '1');
    assert.equal(find(tree, 'invalid')?.description, '1');
    const head = panel.sections.find(section => section.id === 'planning')?.rows.map(row => row.text);
    assert.deepEqual(head, ['1 pending', '1 dispatched', '0 complete', '1 invalid']);
    assert.deepEqual(groups, [['Pending', 1], ['Dispatched', 1], ['Invalid', 1]]);
  });

  it('names a run by its task title, with the id as the secondary text, in the tree and the panel', async () => {
    const state = await fixture();
    const treeRun = find(buildTreeModel(state), 'run/run-00001');
    assert.ok(treeRun !== undefined);
    assert.equal(treeRun.label, 'Fix the typo in the footer');
    assert.match(treeRun.description ?? '', /^fix-typo · /);
    const runRow = buildRunRows(buildPanelSnapshot(state, new Redactor()), initialUiState).find(row => row.kind === 'run');
    assert.ok(runRow?.kind === 'run');
    assert.equal(runRow.title, 'Fix the typo in the footer');
    assert.equal(runRow.secondary, 'fix-typo · jules');
  });

  it('names a failed run\'s task the same in the tree\'s and the panel\'s Needs you', async () => {
    const state = { ...(await fixture()), runs: [aRun(2, 'failed', 'fix-typo')] };
    const treeItem = find(buildTreeModel(state), 'needsYou/run/run-00002');
    const panelItem = buildPanelSnapshot(state, new Redactor()).needsYou.find(item => item.key === 'run-00002');
    assert.ok(treeItem !== undefined);
    assert.equal(treeItem.label, 'Fix the typo in the footer (fix-typo) failed on claude-code');
    assert.equal(panelItem?.title, treeItem.label);
  });

  it('GitHub mode: panel and tree show the queue the loop reads on its branch, labelled, with the checkout\'s differences', async () => {
    const local = await fixture();
    // The loop promoted add-login on origin/main; this checkout has not pulled since and has a draft of its own.
    const index = new QueueIndex({ planningRoot: join(dir(), 'branch'), parse: parseTaskFile });
    await mkdir(join(dir(), 'branch', 'issue_queue', 'processed'), { recursive: true });
    await writeFile(join(dir(), 'branch', 'issue_queue', 'processed', 'add-login.task.md'), task('add-login', 'Add a login form'));
    await writeFile(join(dir(), 'branch', 'issue_queue', 'processed', 'new-one.task.md'), task('new-one', 'A task only the branch has'));
    await index.coldIndex();
    const entries = [...index.entries()];
    index.dispose();
    const counts = { pending: 0, processed: 2, complete: 0, invalid: 0, unpromoted: 0, openAtoIssues: 1, openPullRequests: 0, followedPullRequests: 0, localDrafts: 1 };
    const loop = { ...local.loop, mode: 'github' as const, counts, drafts: [{ path: 'planning/issue_queue/pending/draft.task.md', taskId: 'draft', title: 'A draft', valid: true }], queue: { branch: 'origin/main', revision: 'abc123', entries } };
    const state: AtoState = { ...local, loop };

    const snapshot = buildPanelSnapshot(state, new Redactor());
    assert.deepEqual(snapshot.queue?.items.map(item => [item.folder, item.title]), [['processed', 'Add a login form'], ['processed', 'A task only the branch has']]);
    assert.deepEqual(snapshot.queue.source, { branch: 'origin/main', notInCheckout: 1, onlyInCheckout: 1 });
    assert.deepEqual(buildPanelModel(snapshot).sections.find(section => section.id === 'planning')?.rows.map(row => row.text), ['0 pending', '2 dispatched', '0 complete']);
    const queueRow = find(buildTreeModel(state), 'queue');
    assert.equal(queueRow?.description, '0 pending on origin/main');
    assert.equal(queueRow.tooltip, 'The loop\'s queue on origin/main · 1 task not in your checkout yet (git pull) · 1 local task file not on origin/main yet (ATO: Queue It)');
    assert.match(statusBarView(state).text, /: 0 pending\b/);
  });
  it('GitHub mode: a row for a file the checkout lacks offers only "Open on GitHub" and says to pull; the others keep their actions', async () => {
    const local = await fixture();
    // The loop promoted new-one on origin/main (pending/ there); this checkout has add-login but not new-one.
    const index = new QueueIndex({ planningRoot: join(dir(), 'branch'), parse: parseTaskFile });
    await mkdir(join(dir(), 'branch', 'issue_queue', 'pending'), { recursive: true });
    await writeFile(join(dir(), 'branch', 'issue_queue', 'pending', 'add-login.task.md'), task('add-login', 'Add a login form'));
    await writeFile(join(dir(), 'branch', 'issue_queue', 'pending', 'new one.task.md'), task('new-one', 'A task only the branch has'));
    await index.coldIndex();
    const entries = [...index.entries()];
    index.dispose();
    const fileUrlBase = 'https://github.com/octo/repo/blob/main/planning/';
    const state: AtoState = { ...local, loop: { ...local.loop, mode: 'github', queue: { branch: 'origin/main', revision: 'abc123', entries, fileUrlBase } } };
    const pageOfNewOne = `${fileUrlBase}issue_queue/pending/new%20one.task.md`;

    const snapshot = buildPanelSnapshot(state, new Redactor());
    const byId = new Map(snapshot.queue?.items.map(item => [item.id, item]));
    assert.deepEqual([byId.get('new-one')?.inCheckout, byId.get('new-one')?.url], [false, pageOfNewOne]);
    assert.deepEqual([byId.get('add-login')?.inCheckout, byId.get('add-login')?.url], [undefined, undefined], 'in the checkout: nothing added');
    assert.ok(panelSnapshotSchema.safeParse(snapshot).success, 'the snapshot still parses');

    const rows = buildQueueRows(snapshot, initialUiState).flatMap(row => row.kind === 'task' ? [row] : []);
    const newOne = rows.find(row => row.task.id === 'new-one');
    assert.ok(newOne !== undefined);
    assert.deepEqual(newOne.actions.map(action => [action.label, action.message]), [['Open on GitHub', { type: 'openExternal', url: pageOfNewOne }]]);
    assert.deepEqual([newOne.status, newOne.tone, newOne.selectable], ['not in your checkout — git pull', 'warning', false]);
    assert.deepEqual(rows.find(row => row.task.id === 'add-login')?.actions.map(action => action.label), ['Dispatch Now', 'Preview Agent', 'Task Events', 'Open']);

    const tree = buildTreeModel(state);
    const treeRow = find(tree, 'task/issue_queue/pending/new one.task.md');
    assert.deepEqual([treeRow?.contextValue, treeRow?.command, treeRow?.commandArgs, treeRow?.openFile, treeRow?.description], [treeItemContexts.taskNotInCheckout, commandIds.openPullRequest, [pageOfNewOne], undefined, 'not in your checkout — git pull']);
    assert.equal(find(tree, 'task/issue_queue/pending/add-login.task.md')?.contextValue, treeItemContexts.pendingTask);

    // The host opens that page, and no other made-up one.
    assert.ok(isNotInCheckoutUrl(state, pageOfNewOne));
    assert.ok(!isNotInCheckoutUrl(state, `${fileUrlBase}issue_queue/pending/add-login.task.md`));
    assert.ok(!isNotInCheckoutUrl(state, 'https://evil.example/'));
    // Once the branch and the checkout agree again (pulled, or gone from the branch), no row is marked.
    assert.equal(buildPanelSnapshot({ ...state, loop: { ...state.loop, queue: { branch: 'origin/main', revision: 'abc123', entries: entries.filter(entry => entry.result.task?.id !== 'new-one'), fileUrlBase } } }, new Redactor()).queue?.items.some(item => item.inCheckout === false), false);
  });
});
