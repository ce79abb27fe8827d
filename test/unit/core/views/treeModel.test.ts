import assert from 'node:assert/strict';
import { join } from 'node:path';
import { initialLoopState } from '../../../../src/core/loop/engine/loopModel';
import { QueueEntries } from '../../../../src/core/queue/queueEntries';
import { commandIds, treeItemContexts, workbenchCommands } from '../../../../src/core/views/commandIds';
import { buildTreeModel, type TreeNodeModel } from '../../../../src/core/views/treeModel';
import { planningLayout } from '../../../../src/core/planning/planningLayout';
import type { AtoState } from '../../../../src/core/state/atoState';
import { aQueueEntry, aRun } from '../../../support/panelState';
import { taskFileText } from '../../../support/simpleTaskParser';
import { anAtoState, planningExamples, planningKinds } from '../../../support/stateBuilders';

function flatten(nodes: readonly TreeNodeModel[]): TreeNodeModel[] {
  return nodes.flatMap(node => [node, ...flatten(node.children ?? [])]);
}

function find(nodes: readonly TreeNodeModel[], id: string): TreeNodeModel {
  const node = flatten(nodes).find(n => n.id === id);
  assert.ok(node, `no node ${id}`);
  return node;
}

const everyAuth: AtoState['auth'] = { github: { kind: 'session', account: 'octocat' }, gitlab: true, jules: true, anthropic: true };

describe('buildTreeModel', () => {
  for (const kind of ['noWorkspace', 'unknown', 'missing'] as const) {
    it(`is empty for ${kind}, so the welcome view shows`, () => {
      assert.deepEqual(buildTreeModel(anAtoState({ planning: planningExamples[kind] })), []);
    });
  }

  it('shows the loop (off, with why), the planning folder, the queue and the accounts when ready', () => {
    const nodes = buildTreeModel(anAtoState());
    assert.deepEqual(nodes.map(n => n.id), ['loop', 'planning', 'queue', 'account']);
    assert.equal(find(nodes, 'loop').description, 'off');
    assert.match(find(nodes, 'loop/off').description ?? '', /has not started/);
    assert.equal(find(nodes, 'planning/goal').openFile, join('/work/repo/planning', planningLayout.goal));
    assert.equal(find(nodes, 'planning/capabilities').openFile, join('/work/repo/planning', planningLayout.capabilities));
    assert.deepEqual(find(nodes, 'queue').children?.map(c => c.description), ['3', '2', '7']);
    assert.equal(find(nodes, 'queue').description, '3 pending');
  });

  it('marks the latest failed run of a task waiting in processed/ as requeueable, in Runs and in Needs you', () => {
    const entries = new QueueEntries();
    entries.set(aQueueEntry('processed', 'stuck.task.md', taskFileText({ id: 'stuck', title: 'Stuck' })));
    entries.commit();
    const queue = entries.snapshot();
    const nodes = buildTreeModel(anAtoState({ planning: { ...planningExamples.ready, queue: queue.counts }, queue, runs: [aRun(2, 'failed', 'stuck'), aRun(1, 'failed', 'elsewhere')] }));
    // Both finished local runs left a branch: landable too (issue 14).
    assert.equal(find(nodes, 'run/run-00002').contextValue, treeItemContexts.requeueableLandableRun);
    assert.equal(find(nodes, 'needsYou/run/run-00002').contextValue, treeItemContexts.requeueableRun);
    assert.equal(find(nodes, 'run/run-00001').contextValue, treeItemContexts.landableRun, 'its task is not in processed/');
  });

  it('offers a finished local run\'s branch to land until it is landed, and never a running one\'s or one without a branch', () => {
    const landed = { ...aRun(3, 'succeeded'), landing: { kind: 'merged' as const, at: '2026-11-21T10:05:00.000Z', detail: 'merged ato/task-3 into main as 1a2b3c4' } };
    const noBranch = { ...aRun(4, 'succeeded') };
    delete noBranch.branch;
    const nodes = buildTreeModel(anAtoState({ planning: planningExamples.ready, runs: [aRun(5, 'succeeded'), landed, noBranch, aRun(6, 'running')] }));
    assert.equal(find(nodes, 'run/run-00005').contextValue, treeItemContexts.landableRun);
    assert.equal(find(nodes, 'run/run-00003').contextValue, treeItemContexts.finishedRun);
    assert.equal(find(nodes, 'run/run-00004').contextValue, treeItemContexts.finishedRun);
    assert.equal(find(nodes, 'run/run-00006').contextValue, treeItemContexts.activeRun);
  });

  it('offers to fill the gaps of a partial folder, one child per missing part', () => {
    const nodes = buildTreeModel(anAtoState({ planning: planningExamples.partial }));
    const planning = find(nodes, 'planning');
    assert.equal(planning.command, commandIds.initPlanningFolder);
    assert.deepEqual(planning.children?.map(c => c.label), ['vision/goal.md', 'issue_queue/pending']);
    assert.equal(planning.description, '2 missing');
    assert.ok(nodes.some(n => n.id === 'account'));
    assert.ok(!nodes.some(n => n.id === 'loop'), 'no loop rows while the loop is off');
    const withLoop = buildTreeModel(anAtoState({ planning: planningExamples.partial, loop: { ...initialLoopState, mode: 'github' } }));
    assert.deepEqual(withLoop.map(n => n.id), ['loop', 'planning', 'account'], 'the loop runs on a partial folder, so it is shown first');
  });

  it('shows an unreadable folder with its reason and a refresh command', () => {
    const nodes = buildTreeModel(anAtoState({ planning: planningExamples.error }));
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0]?.tooltip, 'EACCES: permission denied');
    assert.equal(nodes[0].command, commandIds.refresh);
  });

  it('gives every row a unique, stable id in every state', () => {
    for (const kind of planningKinds) {
      const state = anAtoState({ planning: planningExamples[kind], settingsProblems: [{ setting: 'ato.a', message: 'x' }, { setting: 'ato.b', message: 'y' }] });
      const ids = flatten(buildTreeModel(state)).map(n => n.id);
      assert.equal(new Set(ids).size, ids.length, `${kind}: ${ids.join(',')}`);
      assert.deepEqual(flatten(buildTreeModel(state)).map(n => n.id), ids, 'same ids on a second render');
    }
  });

  it('offers a command for each key that is not set, and none for keys that are', () => {
    const none = buildTreeModel(anAtoState());
    assert.equal(find(none, 'account/github').command, commandIds.signInToGitHub);
    assert.equal(find(none, 'account/gitlab.token').command, commandIds.setGitLabToken);
    assert.equal(find(none, 'account/jules.apiKey').command, commandIds.setJulesKey);
    assert.equal(find(none, 'account/anthropic.apiKey').command, commandIds.setAnthropicKey);
    assert.equal(find(none, 'account').description, 'local mode');

    const all = buildTreeModel(anAtoState({ auth: everyAuth }));
    for (const id of ['account/github', 'account/gitlab.token', 'account/jules.apiKey', 'account/anthropic.apiKey']) assert.equal(find(all, id).command, undefined, id);
    assert.equal(find(all, 'account/github').description, 'signed in as octocat');
    assert.equal(find(all, 'account').description, 'GitHub');
  });

  it('lists settings problems when ready, and nothing when there are none', () => {
    const nodes = buildTreeModel(anAtoState({ settingsProblems: [{ setting: 'ato.eventLog.maxFiles', message: 'too many' }] }));
    const row = find(nodes, 'settings/ato.eventLog.maxFiles');
    assert.equal(row.tooltip, 'too many');
    assert.equal(find(nodes, 'settings').description, '1');
    assert.ok(!flatten(buildTreeModel(anAtoState())).some(n => n.id.startsWith('settings')));
  });

  it('in Restricted Mode says so first, and a click opens the Workspace Trust editor; an empty tree keeps the welcome view', () => {
    const [first] = buildTreeModel(anAtoState({ trusted: false }));
    assert.ok(first !== undefined);
    assert.deepEqual([first.id, first.label, first.description, first.command, first.icon], ['restricted', 'Restricted Mode', 'ATO shows state, takes no action', 'workbench.trust.manage', 'shield']);
    assert.match(first.tooltip ?? '', /runs no agent, writes nothing and makes no request/);
    assert.deepEqual(buildTreeModel(anAtoState({ trusted: false, planning: planningExamples.missing })), []);
    assert.ok(!buildTreeModel(anAtoState()).some(node => node.id === 'restricted'));
  });

  it('refers only to contributed commands, and VS Code\'s own', () => {
    const known: readonly string[] = [...Object.values(commandIds), ...Object.values(workbenchCommands)];
    for (const kind of planningKinds) {
      for (const trusted of [true, false]) {
        for (const node of flatten(buildTreeModel(anAtoState({ planning: planningExamples[kind], trusted })))) {
          if (node.command !== undefined) assert.ok(known.includes(node.command), node.command);
        }
      }
    }
  });
});
