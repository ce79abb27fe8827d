import assert from 'node:assert/strict';
import { existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Redactor } from '../../src/core/logging/redactor';
import { buildPanelSnapshot } from '../../src/core/state/panelSnapshot';
import { treeItemContexts } from '../../src/core/views/commandIds';
import { buildTreeModel, type TreeNodeModel } from '../../src/core/views/treeModel';
import type { AtoApi } from '../../src/extension';
import { activateAto } from './atoUnderTest';
import { waitFor } from './waitFor';

const task = `---
id: exthost-requeue
type: feature
agent: second-try
---
# Write the result file on the second try

**Prompt:**
Write result.txt.
`;

function flatten(nodes: readonly TreeNodeModel[]): TreeNodeModel[] {
  return nodes.flatMap(node => [node, ...flatten(node.children ?? [])]);
}

describe('requeue and unreadable run records, in the real extension host', () => {
  let api: AtoApi;
  let root: string;
  const queueFile = (folder: string): string => join(root, 'planning', 'issue_queue', folder, 'exthost-requeue.task.md');

  before(async () => {
    ({ api, root } = await activateAto());
    await vscode.commands.executeCommand('ato.initPlanningFolder');
  });

  it('a failed run offers Requeue; "ATO: Requeue Task" from its tree row puts the task back in pending/; dispatched again it completes', async function () {
    this.timeout(90_000);
    writeFileSync(queueFile('pending'), task);
    await waitFor('the queue index to list the task', () => api.state().queue?.pending.ready.some(entry => entry.result.task.id === 'exthost-requeue') ?? false, 20_000);
    await vscode.commands.executeCommand('ato.dispatchTask', 'exthost-requeue');
    await waitFor('the first run to fail', () => api.state().runs.some(run => run.taskId === 'exthost-requeue' && run.state === 'failed'), 40_000);
    await waitFor('the index to see the task in processed/', () => api.state().queue?.processed.some(entry => entry.result.task.id === 'exthost-requeue') ?? false, 20_000);
    assert.ok(existsSync(queueFile('processed')));
    const failed = api.state().runs.find(run => run.taskId === 'exthost-requeue');
    assert.ok(failed);
    const inbox = buildPanelSnapshot(api.state(), new Redactor()).needsYou.find(item => item.key === failed.runId);
    assert.deepEqual([inbox?.label, inbox?.action], ['Requeue', { type: 'requeueTask', taskId: 'exthost-requeue' }]);
    const row = flatten(buildTreeModel(api.state())).find(node => node.id === `run/${failed.runId}`);
    // The failed run left a branch (its worktree was set up), so it can also be landed: both menus apply.
    assert.equal(row?.contextValue, treeItemContexts.requeueableLandableRun);

    // What VS Code passes from the row's inline action: the row itself.
    await vscode.commands.executeCommand('ato.requeueTask', row);
    // The failed run may still be finishing (its escalation, its worktree) when Requeue is offered: the requeue
    // waits for it instead of refusing "still failed" (it was refused 2 times in 4 full suites before).
    await waitFor('the task back in pending/', () => existsSync(queueFile('pending')) && !existsSync(queueFile('processed')), 30_000);
    await waitFor('the failed run to say it was requeued', () => api.state().runs.find(run => run.runId === failed.runId)?.followUp?.kind === 'requeued', 10_000);
    assert.ok(!buildPanelSnapshot(api.state(), new Redactor()).needsYou.some(item => item.key === failed.runId), 'it no longer needs you');

    await waitFor('the index to see the task in pending/', () => api.state().queue?.pending.ready.some(entry => entry.result.task.id === 'exthost-requeue') ?? false, 20_000);
    await vscode.commands.executeCommand('ato.dispatchTask', 'exthost-requeue');
    await waitFor('the second run to succeed', () => api.state().runs.some(run => run.taskId === 'exthost-requeue' && run.state === 'succeeded'), 40_000);
    assert.ok(existsSync(queueFile('complete')));
    assert.equal(api.state().runs.find(run => run.taskId === 'exthost-requeue' && run.state === 'succeeded')?.attempt, 2);
  });

  it('a run record that cannot be read is reported while it is there, and no more once fixed', async function () {
    this.timeout(30_000);
    const directory = join(root, '.ato', 'runs');
    mkdirSync(directory, { recursive: true });
    const file = join(directory, '20260101T000000Z-broken.json');
    writeFileSync(file, '{ "version": 1, "runId": "20260101T000000Z-bro');
    await waitFor('the unreadable record to be reported', () => api.state().runProblems.some(problem => problem.runId === '20260101T000000Z-broken' && problem.kind === 'invalidJson'), 20_000);
    assert.ok(buildPanelSnapshot(api.state(), new Redactor()).needsYou.some(item => item.kind === 'corruptRunRecord' && item.key === '20260101T000000Z-broken'));
    unlinkSync(file);
    await waitFor('the report to go', () => !api.state().runProblems.some(problem => problem.runId === '20260101T000000Z-broken'), 20_000);
  });
});
