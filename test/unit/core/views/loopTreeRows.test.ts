import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandIds, treeItemContexts } from '../../../../src/core/views/commandIds';
import { loopUrls } from '../../../../src/core/views/loopLinks';
import { maxTreeTasks } from '../../../../src/core/views/queueTreeRows';
import { buildTreeModel, type TreeNodeModel } from '../../../../src/core/views/treeModel';
import type { AtoState } from '../../../../src/core/state/atoState';
import { aBusyLoopState, aFollowedPullRequest, aLoopState, aPlan, mergeAction, repoUrl, requeueOffered } from '../../../support/loopStates';
import { aBusyState, aRun } from '../../../support/panelState';
import { anAtoState, planningExamples } from '../../../support/stateBuilders';

function flatten(nodes: readonly TreeNodeModel[]): TreeNodeModel[] {
  return nodes.flatMap(node => [node, ...flatten(node.children ?? [])]);
}

function find(nodes: readonly TreeNodeModel[], id: string): TreeNodeModel {
  const node = flatten(nodes).find(n => n.id === id);
  assert.ok(node, `no node ${id} in ${flatten(nodes).map(n => n.id).join(', ')}`);
  return node;
}

const tree = (overrides: Partial<AtoState>): readonly TreeNodeModel[] => buildTreeModel(anAtoState(overrides));

describe('tree: the loop', () => {
  it('lists local drafts under the loop with "Queue it" on valid ones, and none in Restricted Mode', () => {
    const drafts = [
      { path: 'planning/issue_queue/pending/a.task.md', taskId: 'a', title: 'Add a', valid: true },
      { path: 'planning/issue_queue/pending/b.task.md', taskId: 'b', title: 'Broken b', valid: false },
    ];
    const nodes = tree({ loop: aLoopState({ drafts }) });
    const valid = find(nodes, 'loop/drafts/planning/issue_queue/pending/a.task.md');
    assert.equal(valid.contextValue, treeItemContexts.localDraft);
    assert.equal(valid.ref, 'planning/issue_queue/pending/a.task.md');
    assert.equal(find(nodes, 'loop/drafts/planning/issue_queue/pending/b.task.md').contextValue, undefined);
    assert.match(find(nodes, 'loop/drafts').description ?? '', /^2 not on the planning branch/);
    const untrusted = buildTreeModel(anAtoState({ trusted: false, loop: aLoopState({ drafts }) }));
    assert.equal(find(untrusted, 'loop/drafts/planning/issue_queue/pending/a.task.md').contextValue, undefined);
    assert.ok(!flatten(tree({ loop: aLoopState() })).some(n => n.id === 'loop/drafts'));
  });

  it('puts the loop, needs you and red PRs first', () => {
    assert.deepEqual(tree({ loop: aLoopState() }).map(n => n.id), ['loop', 'needsYou', 'redPrs', 'followedPrs', 'planning', 'queue', 'account']);
  });

  it('shows the stage with its reason, the focus (click opens it), the plan per track, the last and next tick, and the budget', () => {
    const nodes = tree({ loop: aLoopState() });
    const loop = find(nodes, 'loop');
    assert.equal(loop.description, '2c · paused');
    assert.equal(loop.contextValue, treeItemContexts.loopPaused);
    assert.deepEqual([find(nodes, 'loop/stage').label, find(nodes, 'loop/stage').description], ['Stage 2c · Development', 'PR #12 is ready']);
    const focus = find(nodes, 'loop/focus');
    assert.deepEqual([focus.label, focus.description, focus.command, focus.commandArgs], ['Add a login form', 'Task add-login · issue #3 · PR #12', commandIds.openPullRequest, [`${repoUrl}/pull/12`]]);
    assert.equal(focus.tooltip, 'Focus: Task add-login — Add a login form\nIssue #3\nPR #12: [WIP] Add a login form');
    assert.equal(focus.icon, 'tasklist');
    assert.deepEqual(find(nodes, 'loop/plan').children?.map(c => [c.label, c.description]), [
      ['Runs: nothing', 'no run is active'],
      ['Planning: Merge PR #12 at abcdef1, then close #3', 'PR #12 is ready'],
    ]);
    assert.match(find(nodes, 'loop/lastTick').description ?? '', /1 done or skipped, 0 failed$/);
    assert.equal(find(nodes, 'loop/lastTick/0').icon, 'pass');
    assert.equal(find(nodes, 'loop/nextTick').description, 'paused');
    assert.equal(find(nodes, 'loop/budget').description, 'core 4321/5000 · GraphQL 120/5000');
  });

  it('tells running, ticking, error and local mode apart, and offers no loop menu in Restricted Mode', () => {
    const loop = (overrides: Parameters<typeof aLoopState>[0], trusted = true): TreeNodeModel => find(tree({ trusted, loop: aLoopState(overrides) }), 'loop');
    assert.deepEqual([loop({ running: true }).description, loop({ running: true }).icon, loop({ running: true }).contextValue], ['2c · running', 'sync', treeItemContexts.loopRunning]);
    assert.deepEqual([loop({ ticking: true }).description, loop({ ticking: true }).icon], ['2c · ticking', 'sync~spin']);
    assert.deepEqual([loop({ error: 'HTTP 502' }).description, loop({ error: 'HTTP 502' }).icon], ['2c · error', 'error']);
    assert.equal(find(tree({ loop: aLoopState({ error: 'HTTP 502' }) }), 'loop/error').description, 'HTTP 502');
    assert.equal(loop({ mode: 'local' }).description, '2c · paused · local mode');
    assert.equal(loop({ stage: undefined }).description, 'paused');
    assert.equal(loop({}, false).contextValue, undefined);
    assert.match(find(tree({ loop: aLoopState({ running: true }) }), 'loop/nextTick').description ?? '', /^at \d\d:\d\d$/);
  });

  it('a loop held while the window is unfocused: the loop row and its next-tick row say so and how it resumes', () => {
    const nodes = tree({ loop: aLoopState({ running: true, pausedUnfocused: true }) });
    const loop = find(nodes, 'loop');
    assert.equal(loop.description, '2c · paused (window unfocused)');
    assert.equal(loop.icon, 'debug-pause');
    assert.equal(loop.contextValue, treeItemContexts.loopRunning, 'Pause still pauses it');
    assert.match(loop.tooltip ?? '', /catches up with one tick as soon as this window has focus again/);
    assert.equal(find(nodes, 'loop/nextTick').description, 'when this window has focus again');
    assert.equal(find(tree({ loop: aLoopState({ running: false, pausedUnfocused: true }) }), 'loop').description, '2c · paused');
  });

  it('an off loop is one row that says why', () => {
    const nodes = tree({ trusted: false });
    assert.equal(find(nodes, 'loop').description, 'off');
    assert.match(find(nodes, 'loop/off').description ?? '', /Restricted Mode/);
    assert.equal(find(nodes, 'loop').contextValue, undefined);
  });

  it('needs you: merge and approve in the menus of ready and waiting PRs, a click opens the page, never merges', () => {
    const nodes = tree({ loop: aLoopState(), runs: [aRun(4, 'needsYou'), aRun(3, 'failed')] });
    const ready = find(nodes, 'needsYou/loop/readyToMerge/12');
    assert.deepEqual([ready.contextValue, ready.ref, ready.command, ready.commandArgs], [treeItemContexts.readyPullRequest, '12', commandIds.openPullRequest, [`${repoUrl}/pull/12`]]);
    const waiting = find(nodes, 'needsYou/loop/workflowsAwaitingApproval/14');
    assert.deepEqual([waiting.contextValue, waiting.ref, waiting.url], [treeItemContexts.awaitingApprovalPullRequest, '14', `${repoUrl}/pull/14/checks`]);
    assert.equal(find(nodes, 'needsYou/loop/issueClosedOutsideLoop/9').contextValue, treeItemContexts.link);
    assert.equal(find(nodes, 'needsYou/loop/invalidTask/bad').command, undefined);
    assert.equal(find(nodes, 'needsYou/run/run-00004').contextValue, treeItemContexts.activeRun);
    assert.equal(find(nodes, 'needsYou/run/run-00003').command, commandIds.showRunLog);
    assert.equal(find(nodes, 'needsYou').description, '6');
  });

  it('needs you: a task the loop offers to requeue has Requeue in its menu (its ref is the task id); a click opens the page', () => {
    const nodes = tree({ loop: aLoopState({ needsYou: [requeueOffered] }) });
    const row = find(nodes, 'needsYou/loop/runFailed/12');
    assert.deepEqual([row.contextValue, row.ref, row.command, row.commandArgs], [treeItemContexts.requeueableLoopTask, 'add-login', commandIds.openPullRequest, [`${repoUrl}/pull/12`]]);
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string; group?: string }[]> } };
    const menus = (manifest.contributes.menus['view/item/context'] ?? []).filter(item => item.when === `view == ato.tree && viewItem == ${treeItemContexts.requeueableLoopTask}`);
    assert.deepEqual(menus.map(item => [item.command, item.group]), [[commandIds.requeueTask, 'inline@1'], [commandIds.requeueTask, '1_run@1']]);
  });

  it('red PRs list their failing checks as children; a check with a link opens it', () => {
    const nodes = tree({ loop: aLoopState() });
    const pr = find(nodes, 'redPr/21');
    assert.deepEqual([pr.label, pr.description, pr.contextValue, pr.ref], ['#21 Fix the build 21', '2 failing · 1 fix attempt', treeItemContexts.redPullRequest, '21']);
    assert.deepEqual(pr.children?.map(c => [c.label, c.commandArgs]), [['test (ubuntu)', [`${repoUrl}/actions/runs/2101`]], ['lint', undefined]]);
    assert.equal(find(nodes, 'redPr/22').description, '1 failing · 3 fix attempts · draft');
    assert.equal(find(nodes, 'redPr/22').icon, 'git-pull-request-draft');
  });

  it('followed PRs: every one with its work, CI state and verdict; each merge rule a child with its reason; a click opens the PR', () => {
    const green = aFollowedPullRequest(30, { ci: 'green', verdict: { ready: true, rules: [{ rule: 'open', ok: true, detail: 'open' }] } });
    const nodes = tree({ loop: aLoopState({ followedPullRequests: [aFollowedPullRequest(12), green] }) });
    assert.equal(find(nodes, 'followedPrs').description, '2 followed');
    const pr = find(nodes, 'followedPr/12');
    assert.deepEqual([pr.label, pr.description, pr.command, pr.commandArgs, pr.ref], ['#12 Add a login form 12', 'Task add-login · CI pending · 2 merge rules unmet', commandIds.openPullRequest, [`${repoUrl}/pull/12`], '12']);
    assert.deepEqual(pr.children?.map(c => [c.label, c.description, c.icon]), [['open', 'open', 'pass'], ['no review requested and no approval', 'reviewSignal', 'circle-large-outline'], ['checks pending: ci/build', 'checksGreen', 'circle-large-outline']]);
    assert.deepEqual([find(nodes, 'followedPr/30').description, find(nodes, 'followedPr/30').icon], ['Task add-login · CI green · ready to merge', 'git-merge']);
    assert.ok(!tree({ loop: aLoopState({ followedPullRequests: [] }) }).some(n => n.id === 'followedPrs'));
  });

  it('the loop\'s counts come from the planning branch; the plan names a merge that waits for you', () => {
    const plan = aPlan({ tracks: [{ track: 'planning', action: undefined, reason: 'Auto-merge is off.', held: { action: mergeAction, waitsFor: 'you' } }] });
    const nodes = tree({ loop: aLoopState({ plan }) });
    assert.deepEqual([find(nodes, 'loop/counts').label, find(nodes, 'loop/counts').description], ['Planning branch', '3 pending · 1 processed · 2 complete · 1 invalid · 2 unpromoted · 2 open ATO issues · 1 of 5 open PRs followed']);
    assert.deepEqual(find(nodes, 'loop/plan').children?.map(c => [c.label, c.description, c.icon]), [['Planning: Merge PR #12 at abcdef1, then close #3 (waits for you)', 'Auto-merge is off.', 'bell']]);
    assert.ok(!flatten(tree({ loop: aLoopState({ counts: undefined }) })).some(n => n.id === 'loop/counts'));
  });

  it('opens only links the loop knows', () => {
    const state = anAtoState({ loop: aLoopState() });
    const urls = loopUrls(state.loop);
    for (const node of flatten(buildTreeModel(state))) {
      if (node.command === commandIds.openPullRequest) assert.ok(urls.has(node.commandArgs?.[0] ?? ''), node.id);
      if (node.url !== undefined) assert.ok(urls.has(node.url), node.id);
    }
  });

  it('shows the loop of a GitHub workspace without a local planning folder', () => {
    assert.deepEqual(tree({ planning: planningExamples.missing, loop: aLoopState() }).map(n => n.id), ['loop', 'needsYou', 'redPrs', 'followedPrs', 'account']);
    assert.deepEqual(tree({ planning: planningExamples.missing }), [], 'no loop: the welcome view');
  });

  it('caps 10,000 red PRs and needs-you items per section, with unique ids', () => {
    const { state } = aBusyState(1000, 100);
    const nodes = buildTreeModel({ ...state, loop: aBusyLoopState(10_000) });
    assert.equal(find(nodes, 'redPrs').description, '10000');
    assert.equal(find(nodes, 'redPrs').children?.length, maxTreeTasks);
    assert.ok(Number(find(nodes, 'needsYou').description) > 10_000);
    const ids = flatten(nodes).map(n => n.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('uses only contributed commands, and context values the manifest\'s menus match', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
    const menus = manifest.contributes.menus['view/item/context'] ?? [];
    const known: readonly string[] = Object.values(commandIds);
    const nodes = flatten(buildTreeModel(anAtoState({ loop: aLoopState(), runs: [aRun(1, 'needsYou')] })));
    for (const node of nodes) {
      if (node.command !== undefined) assert.ok(known.includes(node.command), node.command);
      if (node.contextValue === undefined) continue;
      const context = node.contextValue;
      const matches = menus.filter(item => item.when?.includes(`viewItem == ${context}`) === true || (item.when?.includes('viewItem =~ /^ato\\.pr\\./') === true && context.startsWith('ato.pr.')) || (item.when?.includes('viewItem =~ /^ato\\.loop\\./') === true && context.startsWith('ato.loop.')) || (item.when?.includes('viewItem =~ /^ato\\.run\\./') === true && context.startsWith('ato.run.')));
      assert.ok(matches.length > 0, `${node.id} (${context}) has a menu`);
    }
    const commandsFor = (context: string): string[] => menus.filter(item => item.when?.includes(`viewItem == ${context}`) === true).map(item => item.command);
    assert.ok(commandsFor(treeItemContexts.readyPullRequest).includes(commandIds.mergePullRequest));
    assert.ok(commandsFor(treeItemContexts.awaitingApprovalPullRequest).includes(commandIds.approveWorkflowRuns));
    assert.ok(commandsFor(treeItemContexts.loopRunning).includes(commandIds.pauseLoop));
    assert.ok(commandsFor(treeItemContexts.loopPaused).includes(commandIds.startLoop));
  });
});

describe('tree: a loop that cannot run here', () => {
  it('local mode: one row saying how to turn the loop on and why it is off, no loop menu, no error (issue 14)', () => {
    const nodes = buildTreeModel(anAtoState({ loop: aLoopState({ mode: 'local', error: 'no origin remote', lastTickAt: undefined, lastReport: undefined, stage: undefined }) }));
    const loop = find(nodes, 'loop');
    assert.deepEqual([loop.description, loop.icon, loop.contextValue, loop.children], ['local mode', 'device-desktop', undefined, undefined]);
    assert.equal(loop.tooltip, 'Local mode: the GitHub loop turns on with a GitHub origin remote and a sign-in (or token).\nno origin remote');
    assert.ok(!flatten(nodes).some(node => node.id === 'loop/error' || node.id === 'loop/nextTick' || node.id === 'loop/notRunning'));
  });
});

describe('tree: a long queue', () => {
  it('lists at most maxTreeTasks pending tasks per group and says how many more', () => {
    const { state } = aBusyState(600, 0);
    const pending = find(buildTreeModel(state), 'queue/pending');
    const more = pending.children?.at(-1);
    const total = (state.queue?.pending.ready.length ?? 0) + (state.queue?.pending.blocked.length ?? 0);
    const listed = (pending.children?.length ?? 0) - 1;
    assert.ok(total > listed && listed <= 2 * maxTreeTasks);
    assert.equal(more?.label, `… and ${String(total - listed)} more`);
  });
});
