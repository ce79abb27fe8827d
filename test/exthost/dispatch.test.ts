import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AtoApi } from '../../src/extension';
import { activateAto } from './atoUnderTest';
import { waitFor } from './waitFor';

const task = `---
id: exthost-dispatch
type: feature
agent: counter
---
# Write the result file

**Prompt:**
Write result.txt.
`;

describe('dispatching a task file to a local agent, in the real extension host', () => {
  let api: AtoApi;
  let root: string;

  before(async () => {
    ({ api, root } = await activateAto());
    await vscode.commands.executeCommand('ato.initPlanningFolder');
  });

  it('"ATO: Dispatch Task" runs the agent in a worktree, commits its work to ato/<id> and completes the task', async function () {
    this.timeout(60_000);
    writeFileSync(join(root, 'planning', 'issue_queue', 'pending', 'exthost-dispatch.task.md'), task);
    await waitFor('the queue index to list the task', () => api.state().queue?.pending.ready.some(entry => entry.result.task.id === 'exthost-dispatch') ?? false, 20_000);
    await vscode.commands.executeCommand('ato.dispatchTask', 'exthost-dispatch');
    await waitFor('the run to succeed', () => api.state().runs.some(run => run.taskId === 'exthost-dispatch' && run.state === 'succeeded'), 40_000);
    assert.ok(existsSync(join(root, 'planning', 'issue_queue', 'complete', 'exthost-dispatch.task.md')), 'the task file is in complete/');
    assert.ok(!existsSync(join(root, 'planning', 'issue_queue', 'pending', 'exthost-dispatch.task.md')));
    const result = execFileSync('git', ['show', 'ato/exthost-dispatch:result.txt'], { cwd: root, encoding: 'utf8' });
    assert.match(result, /^done: # Write the result file/);
    const run = api.state().runs.find(r => r.taskId === 'exthost-dispatch');
    assert.deepEqual(run?.filesChanged, ['result.txt']);
    await waitFor('the status bar counts to follow', () => (api.state().queue?.counts.complete ?? 0) >= 1, 10_000);
  });
});
