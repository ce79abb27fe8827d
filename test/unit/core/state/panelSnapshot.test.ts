import assert from 'node:assert/strict';
import fc from 'fast-check';
import { redactedMarker, Redactor } from '../../../../src/core/logging/redactor';
import { QueueEntries } from '../../../../src/core/queue/queueEntries';
import { resolveTaskPath } from '../../../../src/core/state/panelPaths';
import { buildPanelSnapshot, redactMany } from '../../../../src/core/state/panelSnapshot';
import { fullPanelUpdate } from '../../../../src/core/state/panelUpdates';
import type { AtoState, GitHubAuthState, PlanningFolderState } from '../../../../src/core/state/atoState';
import { panelSnapshotSchema, parseToHostMessage, parseToWebviewMessage } from '../../../../src/shared/protocol';
import { aBusyState, aQueueEntry, aRun } from '../../../support/panelState';
import { aRunRecord } from '../../../support/runRecords';
import { taskFileText } from '../../../support/simpleTaskParser';
import { anAtoState, planningExamples, planningKinds } from '../../../support/stateBuilders';

const githubStates: readonly GitHubAuthState[] = [{ kind: 'unknown' }, { kind: 'none' }, { kind: 'session', account: 'octocat' }, { kind: 'token' }];

describe('buildPanelSnapshot', () => {
  it('passes the protocol schema for every planning state, trust and GitHub state', () => {
    for (const kind of planningKinds) {
      for (const trusted of [true, false]) {
        for (const github of githubStates) {
          const state = anAtoState({ planning: planningExamples[kind], trusted, auth: { github, gitlab: trusted, jules: !trusted, anthropic: true } });
          const snapshot = buildPanelSnapshot(state, new Redactor());
          const parsed = panelSnapshotSchema.safeParse(snapshot);
          assert.ok(parsed.success, `${kind}/${String(trusted)}/${github.kind}: ${JSON.stringify(parsed.error?.issues)}`);
          assert.deepEqual(parseToWebviewMessage(JSON.parse(JSON.stringify(fullPanelUpdate(snapshot)))).ok, true);
          assert.equal(snapshot.planning.kind, kind);
          assert.equal(snapshot.trusted, trusted);
        }
      }
    }
  });

  it('maps the auth state: account only for a session, and null when no folder is open', () => {
    const session = buildPanelSnapshot(anAtoState({ auth: { github: { kind: 'session', account: 'octocat' }, gitlab: true, jules: false, anthropic: true } }), new Redactor());
    assert.deepEqual(session.auth, { github: 'session', githubAccount: 'octocat', gitlab: true, jules: false, anthropic: true });
    const token = buildPanelSnapshot(anAtoState({ auth: { github: { kind: 'token' }, gitlab: false, jules: false, anthropic: false } }), new Redactor());
    assert.equal(token.auth.githubAccount, null);
    assert.equal(buildPanelSnapshot(anAtoState({ workspaceName: undefined }), new Redactor()).workspaceName, null);
  });

  it('redacts secrets wherever state can quote them', () => {
    const secret = 'super-secret-key-42';
    const redactor = new Redactor();
    redactor.addSecret(secret);
    const token = `ghp_${'Q'.repeat(36)}`;
    const states: AtoState[] = [
      anAtoState({ planning: { kind: 'error', path: `/repo/${secret}`, message: `EACCES near ${token}` } }),
      anAtoState({ planning: { kind: 'partial', path: '/repo/planning', missing: [`x-${secret}`] } }),
      anAtoState({ workspaceName: `ws ${secret}`, settingsProblems: [{ setting: 'ato.github.apiUrl', message: `value "https://${secret}@ghe.example" rejected` }] }),
      anAtoState({ auth: { github: { kind: 'session', account: secret }, gitlab: false, jules: false, anthropic: false } }),
    ];
    for (const state of states) {
      const text = JSON.stringify(buildPanelSnapshot(state, redactor));
      assert.ok(!text.includes(secret), text);
      assert.ok(!text.includes('Q'.repeat(36)), text);
      assert.ok(text.includes(redactedMarker), text);
    }
  });

  it('does not share arrays with the store state', () => {
    const missing = ['vision/goal.md'];
    const problems = [{ setting: 'ato.planningPath', message: 'bad' }];
    const state = anAtoState({ planning: { kind: 'partial', path: '/p', missing }, settingsProblems: problems });
    const snapshot = buildPanelSnapshot(state, new Redactor());
    assert.ok(snapshot.planning.kind === 'partial');
    assert.notEqual(snapshot.planning.missing, missing);
    assert.notEqual(snapshot.settingsProblems, problems);
    assert.notEqual(snapshot.settingsProblems[0], problems[0]);
  });

  it('always produces a valid, secret-free snapshot for arbitrary state text', () => {
    const text = fc.string({ maxLength: 40 });
    const planning: fc.Arbitrary<PlanningFolderState> = fc.oneof(
      fc.constant({ kind: 'noWorkspace' as const }),
      fc.constant({ kind: 'unknown' as const }),
      text.map(path => ({ kind: 'missing' as const, path })),
      fc.record({ path: text, missing: fc.array(text, { maxLength: 5 }) }).map(p => ({ kind: 'partial' as const, ...p })),
      fc.record({ path: text, pending: fc.nat(), processed: fc.nat(), complete: fc.nat() }).map(({ path, ...queue }) => ({ kind: 'ready' as const, path, queue })),
      fc.record({ path: text, message: text }).map(p => ({ kind: 'error' as const, ...p })),
    );
    const secret = 'the-secret-value';
    fc.assert(
      fc.property(planning, fc.option(text, { nil: undefined }), fc.boolean(), fc.array(fc.record({ setting: text, message: text }), { maxLength: 3 }), (plan, workspaceName, trusted, settingsProblems) => {
        const redactor = new Redactor();
        redactor.addSecret(secret);
        const salted = plan.kind === 'error' ? { ...plan, message: `${plan.message}${secret}` } : plan;
        const snapshot = buildPanelSnapshot(anAtoState({ planning: salted, workspaceName, trusted, settingsProblems }), redactor);
        assert.ok(panelSnapshotSchema.safeParse(snapshot).success);
        assert.ok(!JSON.stringify(snapshot).includes(secret));
      }),
      { numRuns: 200 },
    );
  });
});

describe('buildPanelSnapshot: queue, runs and needs-you', () => {
  it('has no queue before the index has read the folder, and no runs or needs-you items in a fresh state', () => {
    const snapshot = buildPanelSnapshot(anAtoState(), new Redactor());
    assert.equal(snapshot.queue, null);
    assert.deepEqual(snapshot.runs, []);
    assert.deepEqual(snapshot.needsYou, []);
  });

  it('lists every task file: pending in dispatch order (ready, then blocked), processed, complete, then invalid', () => {
    const entries = new QueueEntries();
    entries.set(aQueueEntry('pending', 'low.task.md', taskFileText({ title: 'Low', priority: 'low' })));
    entries.set(aQueueEntry('pending', 'high.task.md', taskFileText({ title: 'High', priority: 'high' })));
    entries.set(aQueueEntry('pending', 'waits.task.md', taskFileText({ title: 'Waits', priority: 'critical', dependsOn: ['nope'] })));
    entries.set(aQueueEntry('processed', 'doing.task.md', taskFileText({ title: 'Doing' })));
    entries.set(aQueueEntry('complete', 'done.task.md', taskFileText({ title: 'Done' })));
    entries.set(aQueueEntry('pending', 'broken.task.md', 'INVALID', Date.UTC(2026, 0, 2)));
    entries.commit();
    const snapshot = buildPanelSnapshot(anAtoState({ queue: entries.snapshot() }), new Redactor());
    const queue = snapshot.queue;
    assert.ok(queue);
    assert.deepEqual(queue.counts, { pending: 3, processed: 1, complete: 1, invalid: 1 }, "valid tasks per folder, the invalid file apart");
    assert.deepEqual(queue.items.map(t => t.title), ['High', 'Low', 'Waits', 'Doing', 'Done', 'broken.task.md']);
    const waits = queue.items[2];
    assert.equal(waits?.blocked, 'waits for nope to complete');
    assert.deepEqual(queue.items[0], {
      id: 'high', title: 'High', folder: 'pending', valid: true, diagnostics: 0, firstError: null, priority: 'high', type: 'feature', agent: 'auto', blocked: null,
      path: 'issue_queue/pending/high.task.md', mtime: '2026-11-21T10:00:00.000Z',
    });
    assert.deepEqual(queue.items[5], {
      id: 'broken', title: 'broken.task.md', folder: 'pending', valid: false, diagnostics: 1, firstError: 'The file says INVALID', priority: null, type: null, agent: null, blocked: null,
      path: 'issue_queue/pending/broken.task.md', mtime: '2026-01-02T00:00:00.000Z',
    });
    assert.deepEqual(snapshot.needsYou, [{ kind: 'invalidTask', key: 'issue_queue/pending/broken.task.md', title: 'Invalid task file broken.task.md', detail: 'The file says INVALID', label: 'Open', action: { type: 'openTask', path: 'issue_queue/pending/broken.task.md' }, url: null }]);
    assert.ok(parseToWebviewMessage(JSON.parse(JSON.stringify(fullPanelUpdate(snapshot)))).ok);
  });

  it('maps runs, newest first, with elapsed inputs, cost, turns, branch, failure and summary', () => {
    const run = { ...aRun(3, 'failed'), summary: 'tried twice' };
    const [mapped] = buildPanelSnapshot(anAtoState({ runs: [run] }), new Redactor()).runs;
    assert.deepEqual(mapped, {
      runId: 'run-00003', taskId: 'task-3', agentId: 'jules', state: 'failed', startedAt: '2026-11-21T10:00:03.000Z', endedAt: '2026-11-21T10:01:33.000Z',
      costUsd: 0.03, turns: 3, branch: 'ato/task-3', failure: { class: 'fatal', message: 'exit code 3' }, summary: 'tried twice', landable: true,
    });
    const landed = buildPanelSnapshot(anAtoState({ runs: [{ ...run, landing: { kind: 'discarded', at: '2026-11-21T10:05:00.000Z', detail: 'deleted ato/task-3' } }] }), new Redactor()).runs[0];
    assert.equal(landed?.landable, undefined, 'a landed run offers nothing more');
    assert.equal(landed?.landing, 'deleted ato/task-3');
    const reused = { ...aRun(4, 'succeeded'), branch: 'ato/task-3' };
    const both = buildPanelSnapshot(anAtoState({ runs: [reused, run] }), new Redactor()).runs;
    assert.deepEqual(both.map(each => [each.runId, each.landable]), [['run-00004', true], ['run-00003', false]], 'a branch a later run reused is that run\'s to land');
    const fresh = buildPanelSnapshot(anAtoState({ runs: [aRunRecord()] }), new Redactor()).runs[0];
    assert.deepEqual([fresh?.endedAt, fresh?.costUsd, fresh?.turns, fresh?.branch, fresh?.failure, fresh?.summary], [null, null, null, null, null, null]);
  });

  it('needs you: a task whose latest run failed, and runs waiting for you; not a failure that was retried', () => {
    const retried = aRun(1, 'failed', 'retried-task');
    const retry = aRun(2, 'running', 'retried-task');
    const failed = aRun(3, 'failed', 'lost-task');
    const asking = aRun(4, 'needsYou', 'asking-task');
    const snapshot = buildPanelSnapshot(anAtoState({ runs: [asking, failed, retry, retried] }), new Redactor());
    assert.deepEqual(snapshot.needsYou.map(item => [item.kind, item.key, item.action]), [
      ['runNeedsYou', 'run-00004', { type: 'showRunLog', runId: 'run-00004' }],
      ['runFailed', 'run-00003', { type: 'showRunLog', runId: 'run-00003' }],
    ]);
    assert.equal(snapshot.needsYou[0]?.detail, 'the agent asked which database to use');
    assert.equal(snapshot.needsYou[1]?.detail, 'fatal: exit code 3');
  });

  it('needs you: an escalated run says what escalation did after its error', () => {
    const escalated = { ...aRun(3, 'failed', 'lost-task'), escalation: { priorityFrom: 'low' as const, priorityTo: 'medium' as const, issue: { number: 12, url: 'https://github.com/o/r/issues/12' } } };
    assert.equal(buildPanelSnapshot(anAtoState({ runs: [escalated] }), new Redactor()).needsYou[0]?.detail, 'fatal: exit code 3 · priority raised to medium · issue #12');
    const atTheTop = { ...escalated, escalation: { priorityFrom: 'critical' as const, priorityTo: 'critical' as const } };
    assert.equal(buildPanelSnapshot(anAtoState({ runs: [atTheTop] }), new Redactor()).needsYou[0]?.detail, 'fatal: exit code 3');
  });

  it('needs you: a failed task waiting in processed/ offers Requeue; a requeued one asks for nobody', () => {
    const entries = new QueueEntries();
    entries.set(aQueueEntry('processed', 'stuck.task.md', taskFileText({ id: 'stuck', title: 'Stuck' })));
    entries.commit();
    const failed = aRun(3, 'failed', 'stuck');
    const state = anAtoState({ queue: entries.snapshot(), runs: [failed] });
    const [item] = buildPanelSnapshot(state, new Redactor()).needsYou;
    assert.deepEqual([item?.kind, item?.label, item?.action], ['runFailed', 'Requeue', { type: 'requeueTask', taskId: 'stuck' }]);
    const requeued = { ...failed, followUp: { kind: 'requeued' as const, at: '2026-11-21T11:00:00.000Z', reason: 'requeued' } };
    assert.deepEqual(buildPanelSnapshot(anAtoState({ queue: entries.snapshot(), runs: [requeued] }), new Redactor()).needsYou, []);
    assert.ok(panelSnapshotSchema.safeParse(buildPanelSnapshot(state, new Redactor())).success);
  });

  it('needs you: a task whose run stopped at its budget offers Raise Budget and Resume instead of Requeue', () => {
    const entries = new QueueEntries();
    entries.set(aQueueEntry('processed', 'costly.task.md', taskFileText({ id: 'costly', title: 'Costly' })));
    entries.commit();
    const stopped = { ...aRun(3, 'failed', 'costly'), failure: { class: 'budget' as const, message: 'budget reached (budget_usd 0.01)' } };
    const snapshot = buildPanelSnapshot(anAtoState({ queue: entries.snapshot(), runs: [stopped] }), new Redactor());
    const [item] = snapshot.needsYou;
    assert.deepEqual([item?.kind, item?.label, item?.action], ['runFailed', 'Raise Budget and Resume', { type: 'raiseBudget', taskId: 'costly' }]);
    assert.ok(panelSnapshotSchema.safeParse(snapshot).success);
    assert.deepEqual(parseToHostMessage({ type: 'raiseBudget', taskId: 'costly' }), { ok: true, message: { type: 'raiseBudget', taskId: 'costly' } });
  });

  it('redacts task titles, paths, errors and run text', () => {
    const secret = 'sekrit-value-123';
    const redactor = new Redactor();
    redactor.addSecret(secret);
    const entries = new QueueEntries();
    entries.set(aQueueEntry('pending', `a-${secret}.task.md`, taskFileText({ title: `Use ${secret}` })));
    entries.set(aQueueEntry('complete', 'b.task.md', `INVALID ${secret}`));
    entries.commit();
    const run = { ...aRun(1, 'failed'), branch: `ato/${secret}`, failure: { class: 'auth' as const, message: `401 for ghp_${'Z'.repeat(36)}` }, summary: secret };
    const text = JSON.stringify(buildPanelSnapshot(anAtoState({ queue: entries.snapshot(), runs: [run] }), redactor));
    assert.ok(!text.includes(secret));
    assert.ok(!text.includes('Z'.repeat(36)));
    assert.ok(text.includes(redactedMarker));
  });

  it('reuses the queue part while the queue snapshot is unchanged, and forgets it when the redactor learns a secret', () => {
    const { state, entries } = aBusyState(200, 10);
    const redactor = new Redactor();
    const first = buildPanelSnapshot(state, redactor);
    assert.equal(buildPanelSnapshot({ ...state, runs: [] }, redactor).queue, first.queue);
    entries.set(aQueueEntry('pending', 'task-3.task.md', taskFileText({ title: 'Changed title' })));
    entries.commit();
    const changed = buildPanelSnapshot({ ...state, queue: entries.snapshot() }, redactor);
    assert.notEqual(changed.queue, first.queue);
    assert.ok(changed.queue?.items.some(t => t.title === 'Changed title'));
    // Unchanged entries keep their (already redacted) items.
    assert.equal(changed.queue?.items.find(t => t.id === 'task-4'), first.queue?.items.find(t => t.id === 'task-4'));
    redactor.addSecret('Task number 4');
    const after = buildPanelSnapshot({ ...state, queue: entries.snapshot() }, redactor);
    assert.ok(!JSON.stringify(after).includes('Task number 4'));
  });

  it('has an item for every one of 10,000 task files and 1,000 runs, and passes the protocol', () => {
    const { state } = aBusyState(10_000, 1000);
    const snapshot = buildPanelSnapshot(state, new Redactor());
    assert.ok(snapshot.queue);
    assert.equal(snapshot.queue.items.length, 10_000);
    assert.equal(snapshot.runs.length, 1000);
    assert.equal(snapshot.queue.counts.invalid, 200);
    assert.ok(parseToWebviewMessage(JSON.parse(JSON.stringify(fullPanelUpdate(snapshot)))).ok);
  });
});

describe('redactMany', () => {
  it('gives exactly what redacting one by one gives, also when a match would span two texts', () => {
    const redactor = new Redactor();
    redactor.addSecret('secret-one');
    const texts = ['plain', 'has secret-one inside', 'api_key=', 'abc', `token ghp_${'A'.repeat(30)}`, '', 'with \u0000 nul', 'authorization:', 'Bearer xyz'];
    assert.deepEqual(redactMany(redactor, texts), texts.map(text => redactor.redact(text)));
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 8 }), list => {
      assert.deepEqual(redactMany(redactor, list), list.map(text => redactor.redact(text)));
    }), { numRuns: 200 });
  });
});

describe('resolveTaskPath', () => {
  const entries = new QueueEntries();
  entries.set(aQueueEntry('pending', 'a.task.md', taskFileText()));
  entries.set(aQueueEntry('complete', 'bad.task.md', 'INVALID'));
  entries.set(aQueueEntry('pending', 'web/b.task.md', taskFileText()));
  entries.commit();
  const state = anAtoState({ planning: { kind: 'ready', path: '/work/repo/planning', queue: entries.snapshot().counts }, queue: entries.snapshot() });

  it('resolves a known task file under the planning folder', () => {
    assert.deepEqual(resolveTaskPath(state, 'issue_queue/pending/a.task.md'), { ok: true, file: '/work/repo/planning/issue_queue/pending/a.task.md' });
    assert.deepEqual(resolveTaskPath(state, 'issue_queue/complete/bad.task.md'), { ok: true, file: '/work/repo/planning/issue_queue/complete/bad.task.md' });
    assert.deepEqual(resolveTaskPath(state, 'issue_queue/pending/web/b.task.md'), { ok: true, file: '/work/repo/planning/issue_queue/pending/web/b.task.md' });
  });

  for (const forged of ['../../etc/passwd', '/etc/passwd', 'issue_queue/pending/../../x', 'issue_queue/pending/..', 'vision/goal.md', 'issue_queue/pending/unknown.task.md', 'issue_queue/processed/a.task.md', 'issue_queue/pending/sub/a.task.md', 'issue_queue/pending/web/../../x/b.task.md']) {
    it(`refuses ${forged}`, () => {
      assert.equal(resolveTaskPath(state, forged).ok, false);
    });
  }

  it('refuses without a planning folder or a queue', () => {
    assert.equal(resolveTaskPath(anAtoState({ planning: { kind: 'missing', path: '/p' } }), 'issue_queue/pending/a.task.md').ok, false);
    assert.equal(resolveTaskPath(anAtoState({ queue: undefined }), 'issue_queue/pending/a.task.md').ok, false);
  });
});
