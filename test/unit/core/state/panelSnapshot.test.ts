import assert from 'node:assert/strict';
import fc from 'fast-check';
import { redactedMarker, Redactor } from '../../../../src/core/logging/redactor';
import { buildPanelSnapshot } from '../../../../src/core/state/panelSnapshot';
import type { AtoState, GitHubAuthState, PlanningFolderState } from '../../../../src/core/state/atoState';
import { panelSnapshotSchema, parseToWebviewMessage } from '../../../../src/shared/protocol';
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
          assert.deepEqual(parseToWebviewMessage(JSON.parse(JSON.stringify({ type: 'snapshot', snapshot }))).ok, true);
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
