import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  mutatingPanelActions,
  panelActions,
  panelSnapshotSchema,
  parseToHostMessage,
  parseToWebviewMessage,
  type PanelSnapshot,
  type ToHostMessage,
  type ToWebviewMessage,
} from '../../../src/shared/protocol';
import { planningExamples, planningKinds } from '../../support/stateBuilders';

function snapshot(overrides: Partial<PanelSnapshot> = {}): PanelSnapshot {
  return {
    version: 1,
    workspaceName: 'repo',
    trusted: true,
    planning: { kind: 'ready', path: '/repo/planning', queue: { pending: 1, processed: 0, complete: 2 } },
    auth: { github: 'session', githubAccount: 'octocat', gitlab: false, jules: true, anthropic: false },
    settingsProblems: [{ setting: 'ato.planningPath', message: 'bad' }],
    ...overrides,
  };
}

/** What postMessage does to a value, near enough: it must survive serialisation. */
function overTheWire(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

const validHostMessages: ToHostMessage[] = [{ type: 'ready' }, ...panelActions.map(action => ({ type: 'action' as const, action }))];

const validWebviewMessages: ToWebviewMessage[] = [
  ...planningKinds.map(kind => ({ type: 'snapshot' as const, snapshot: snapshot({ planning: { ...planningExamples[kind], ...(kind === 'partial' ? { missing: ['reviews'] } : {}) } as PanelSnapshot['planning'] }) })),
  { type: 'snapshot', snapshot: snapshot({ workspaceName: null, trusted: false, auth: { github: 'none', githubAccount: null, gitlab: true, jules: false, anthropic: true }, settingsProblems: [] }) },
];

describe('webview protocol', () => {
  describe('round trip', () => {
    for (const message of validHostMessages) {
      it(`webview → host: ${JSON.stringify(message)}`, () => {
        assert.deepEqual(parseToHostMessage(overTheWire(message)), { ok: true, message });
      });
    }
    for (const message of validWebviewMessages) {
      it(`host → webview: snapshot, planning ${message.snapshot.planning.kind}, trusted ${message.snapshot.trusted}`, () => {
        assert.deepEqual(parseToWebviewMessage(overTheWire(message)), { ok: true, message });
      });
    }
  });

  describe('rejects malformed or forged messages from the webview', () => {
    const forged: readonly [string, unknown][] = [
      ['null', null],
      ['undefined', undefined],
      ['a string', 'ready'],
      ['a number', 42],
      ['an array', [{ type: 'ready' }]],
      ['an empty object', {}],
      ['an unknown type', { type: 'runShell', command: 'rm -rf /' }],
      ['a type of the other direction', { type: 'snapshot', snapshot: snapshot() }],
      ['an unknown action', { type: 'action', action: 'deleteEverything' }],
      ['an action inherited from Object', { type: 'action', action: 'toString' }],
      ['an action that is a command id', { type: 'action', action: 'ato.initPlanningFolder' }],
      ['a missing action', { type: 'action' }],
      ['an action of the wrong type', { type: 'action', action: 1 }],
      ['an action array', { type: 'action', action: ['refresh'] }],
      ['a type of the wrong case', { type: 'READY' }],
      ['a type of the wrong type', { type: ['ready'] }],
      ['a type hidden in __proto__', JSON.parse('{"__proto__":{"type":"ready"}}') as unknown],
      ['constructor as type', { type: 'constructor' }],
    ];
    for (const [label, raw] of forged) {
      it(label, () => {
        const result = parseToHostMessage(raw);
        assert.equal(result.ok, false);
        assert.match(result.error, /^invalid message/);
      });
    }

    it('drops fields the protocol does not define', () => {
      const result = parseToHostMessage({ type: 'action', action: 'refresh', command: 'workbench.action.terminal.new', args: [1] });
      assert.deepEqual(result, { ok: true, message: { type: 'action', action: 'refresh' } });
    });

    it('does not let a __proto__ key pollute prototypes', () => {
      const raw = JSON.parse('{"type":"ready","__proto__":{"polluted":true,"type":"action"}}') as unknown;
      const result = parseToHostMessage(raw);
      assert.ok(result.ok);
      assert.deepEqual(Object.keys(result.message), ['type']);
      assert.equal(Object.getPrototypeOf(result.message), Object.prototype);
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      assert.equal((result.message as unknown as Record<string, unknown>)['polluted'], undefined);
    });

    it('never throws, and accepts only real messages, for arbitrary input', () => {
      fc.assert(
        fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), raw => {
          const result = parseToHostMessage(raw);
          if (result.ok) assert.ok(validHostMessages.some(m => JSON.stringify(m) === JSON.stringify(result.message)));
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('rejects malformed snapshots from the host', () => {
    const bad: readonly [string, (s: Record<string, unknown>) => unknown][] = [
      ['a future version', s => ({ ...s, version: 2 })],
      ['a missing version', s => Object.fromEntries(Object.entries(s).filter(([key]) => key !== 'version'))],
      ['a numeric workspace name', s => ({ ...s, workspaceName: 3 })],
      ['trusted as a string', s => ({ ...s, trusted: 'true' })],
      ['an unknown planning kind', s => ({ ...s, planning: { kind: 'deleted' } })],
      ['a ready folder without a queue', s => ({ ...s, planning: { kind: 'ready', path: '/p' } })],
      ['a negative count', s => ({ ...s, planning: { kind: 'ready', path: '/p', queue: { pending: -1, processed: 0, complete: 0 } } })],
      ['a fractional count', s => ({ ...s, planning: { kind: 'ready', path: '/p', queue: { pending: 1.5, processed: 0, complete: 0 } } })],
      ['a partial folder with missing as a string', s => ({ ...s, planning: { kind: 'partial', path: '/p', missing: 'goal' } })],
      ['an unknown GitHub auth kind', s => ({ ...s, auth: { github: 'admin', githubAccount: null, gitlab: false, jules: false, anthropic: false } })],
      ['a settings problem without a message', s => ({ ...s, settingsProblems: [{ setting: 'ato.x' }] })],
    ];
    for (const [label, corrupt] of bad) {
      it(label, () => {
        const raw = { type: 'snapshot', snapshot: corrupt(overTheWire(snapshot()) as Record<string, unknown>) };
        const result = parseToWebviewMessage(raw);
        assert.equal(result.ok, false);
        assert.match(result.error, /^invalid message at snapshot/);
      });
    }
  });

  describe('actions', () => {
    it('marks exactly the state-changing actions as mutating', () => {
      for (const action of mutatingPanelActions) assert.ok(panelActions.includes(action));
      assert.deepEqual([...mutatingPanelActions].sort(), ['doctor', 'initPlanningFolder', 'setGitHubToken', 'signInToGitHub']);
      for (const readOnly of ['refresh', 'showLog'] as const) assert.ok(!mutatingPanelActions.has(readOnly));
    });
  });

  it('the snapshot schema accepts what the examples build', () => {
    for (const message of validWebviewMessages) assert.ok(panelSnapshotSchema.safeParse(message.snapshot).success);
  });
});
