import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  isMutatingMessage,
  mutatingPanelActions,
  panelQueueFolders,
  panelActions,
  panelProtocolVersion,
  panelSnapshotSchema,
  parseToHostMessage,
  parseToWebviewMessage,
  type PanelSnapshot,
  type ToHostMessage,
  type ToWebviewMessage,
} from '../../../src/shared/protocol';
import { isExternalUrl, type PanelLoop } from '../../../src/shared/loopSnapshot';
import { fullPanelUpdate } from '../../../src/core/state/panelUpdates';
import { planningExamples, planningKinds } from '../../support/stateBuilders';

/**
 * A (possibly corrupted) snapshot as the full update that would carry it, field for field: the version moves
 * to the message, the runs go as the runs part. No logic of the encoder's, so a corruption reaches the parser.
 */
function asFullUpdate(corrupted: unknown): unknown {
  const s = corrupted as Record<string, unknown>;
  const { version, queue, runs, needsYou, loop, agents, ...head } = s;
  const runsPart = Array.isArray(runs) ? { ids: runs.map(run => (run as { runId?: unknown }).runId), changed: runs } : runs;
  return overTheWire({ type: 'update', ...('version' in s ? { version } : {}), full: true, parts: { head, queue, runs: runsPart, needsYou, loop, agents } });
}

function firstTask(s: Record<string, unknown>): object {
  return (s['queue'] as { items: object[] }).items[0] ?? {};
}

const offLoop: PanelLoop = {
  mode: 'off', offReason: 'the loop engine has not started in this window.', running: false, ticking: false, error: null, stage: null,
  lastTickAt: null, nextTickAt: null, plan: null, lastReport: null, rateLimit: { core: null, graphql: null }, redPullRequests: [], followedPullRequests: [], counts: null, lease: null,
};

const busyLoop: PanelLoop = {
  mode: 'github',
  offReason: null,
  running: true,
  ticking: true,
  error: 'GitHub answered 502',
  stage: {
    stage: '2c',
    reason: 'PR #12 is ready',
    focus: { kind: 'task', label: 'Task add-login · issue #3 · PR #12', title: 'Add a login form', issue: { number: 3, title: 'Add a login form', url: 'https://github.com/octo/repo/issues/3' }, pullRequest: { number: 12, title: 'Add a login form', url: 'https://github.com/octo/repo/pull/12' }, url: 'https://github.com/octo/repo/pull/12' },
    action: { kind: 'mergePullRequest', summary: 'Merge PR #12 at abcdef1', reason: 'checks green' },
  },
  lastTickAt: '2026-11-21T10:00:00.000Z',
  nextTickAt: '2026-11-21T10:05:00.000Z',
  plan: { at: '2026-11-21T10:00:00.000Z', stage: '2c', tracks: [{ track: 'runs', action: null, waitsFor: null, reason: 'idle' }, { track: 'planning', action: { kind: 'mergePullRequest', summary: 'Merge PR #12', reason: 'ready' }, waitsFor: 'you', reason: 'Auto-merge is off' }] },
  lastReport: { at: '2026-11-21T10:00:00.000Z', outcomes: [{ track: 'planning', summary: 'Merge PR #12', result: 'failed', message: '409' }], requests: 3, points: 1 },
  rateLimit: { core: { limit: 5000, remaining: 4999, resetAt: '2026-11-21T11:00:00.000Z' }, graphql: null },
  redPullRequests: [{ number: 21, title: 'Fix it', url: 'https://github.com/octo/repo/pull/21', isDraft: true, failingChecks: [{ name: 'test', url: null }, { name: 'lint', url: 'https://github.com/octo/repo/actions/runs/1?check=2#step:3:1' }], fixAttempts: 2, care: {
    state: 'fixing', attempts: 2, maxAttempts: 3, reason: 'fix attempt 2 of 3 asked at abcdef1; waiting for a push', author: 'copilot',
    lastFix: { attempt: 2, headSha: 'abcdef1234567', agent: 'copilot', at: '2026-11-21T09:55:00.000Z' }, logExcerpt: 'error TS2322: <script>alert(1)</script>',
  } }],
  followedPullRequests: [{
    number: 12, title: 'Add a login form', url: 'https://github.com/octo/repo/pull/12', author: 'Copilot', isDraft: false, workKind: 'task', work: 'Task add-login',
    ci: 'green', failingChecks: [], pendingChecks: [], ready: true, rules: [{ rule: 'open', ok: true, detail: 'open' }, { rule: 'someNewRule', ok: true, detail: 'a rule the policy adds later' }],
  }],
  counts: { pending: 1, processed: 1, complete: 2, invalid: 0, unpromoted: 1, openAtoIssues: 1, openPullRequests: 3, followedPullRequests: 1, localDrafts: 0 },
  lease: { holder: 'ci', mine: false, expiresAt: '2026-11-21T10:10:00.000Z' },
};

const anAgent = { id: 'claude-code', kind: 'claude-code', health: 'ok', healthDetail: 'claude 2.1', inFlight: 0, concurrentCap: 2, runsToday: 0, dailyCap: null, spendTodayUsd: 0, budgetUsd: null, window: null, lastError: null };

function loopOf(s: Record<string, unknown>): Record<string, unknown> {
  return s['loop'] as Record<string, unknown>;
}

function snapshot(overrides: Partial<PanelSnapshot> = {}): PanelSnapshot {
  return {
    workspaceName: 'repo',
    trusted: true,
    planning: { kind: 'ready', path: '/repo/planning', queue: { pending: 1, processed: 0, complete: 2 } },
    auth: { github: 'session', githubAccount: 'octocat', gitlab: false, jules: true, anthropic: false },
    settingsProblems: [{ setting: 'ato.planningPath', message: 'bad' }],
    queue: {
      revision: 3,
      counts: { pending: 1, processed: 0, complete: 2, invalid: 1 },
      items: [
        { id: 'add-login', title: 'Add a login form', folder: 'pending', valid: true, diagnostics: 0, firstError: null, priority: 'high', type: 'feature', agent: 'auto', blocked: null, path: 'issue_queue/pending/add-login.task.md', mtime: '2026-11-21T10:00:00.000Z' },
        { id: 'broken', title: 'broken.task.md', folder: 'complete', valid: false, diagnostics: 2, firstError: 'Unknown type "fixx"', priority: null, type: null, agent: null, blocked: null, path: 'issue_queue/complete/broken.task.md', mtime: '2026-11-21T10:00:00.000Z' },
      ],
    },
    runs: [
      { runId: 'run-1', taskId: 'add-login', agentId: 'claude-code', state: 'failed', startedAt: '2026-11-21T10:00:00.000Z', endedAt: '2026-11-21T10:05:00.000Z', costUsd: 0.25, turns: 12, branch: 'ato/add-login', failure: { class: 'fatal', message: 'exit 1' }, summary: null },
    ],
    needsYou: [
      { kind: 'readyToMerge', key: 'loop:readyToMerge:12', title: 'PR #12 is ready', detail: 'auto-merge is off', label: 'Merge', action: { type: 'loop.merge', pullNumber: 12 }, url: 'https://github.com/octo/repo/pull/12' },
      { kind: 'workflowsAwaitingApproval', key: 'loop:workflowsAwaitingApproval:14', title: 'PR #14 waits', detail: '2 runs', label: 'Approve on GitHub', action: { type: 'openExternal', url: 'https://github.com/octo/repo/pull/14/checks' }, url: 'https://github.com/octo/repo/pull/14' },
      { kind: 'invalidTask', key: 'loop:invalidTask:bad', title: 'Invalid remote task', detail: 'fix it on main', label: '', action: null, url: null },
      { kind: 'invalidTask', key: 'issue_queue/complete/broken.task.md', title: 'Invalid task file broken.task.md', detail: 'Unknown type "fixx"', label: 'Open', action: { type: 'openTask', path: 'issue_queue/complete/broken.task.md' }, url: null },
      { kind: 'runFailed', key: 'run-1', title: 'add-login failed on claude-code', detail: 'fatal: exit 1', label: 'Show Log', action: { type: 'showRunLog', runId: 'run-1' }, url: null },
      { kind: 'runNeedsYou', key: 'run-2', title: 'x', detail: 'y', label: 'Show Log', action: null, url: null },
    ],
    loop: busyLoop,
    agents: [],
    ...overrides,
  };
}

/** What postMessage does to a value, near enough: it must survive serialisation. */
function overTheWire(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

const validHostMessages: ToHostMessage[] = [
  { type: 'ready' },
  ...(['viewRunDiff', 'openRunPullRequest', 'mergeRun', 'discardRun'] as const).map(type => ({ type, runId: '20261121T100000Z-k3x9q1' })),
  ...panelActions.map(action => ({ type: 'action' as const, action })),
  ...panelQueueFolders.map(folder => ({ type: 'openTask' as const, path: `issue_queue/${folder}/add-login.task.md` })),
  { type: 'openTask', path: 'issue_queue/pending/weird name (2).md' },
  { type: 'openTask', path: 'issue_queue/pending/web/forms/add-login.task.md' },
  { type: 'dispatchTask', taskId: 'add-login' },
  { type: 'cancelRun', runId: '20261121T100000Z-k3x9q1' },
  { type: 'requeueTask', taskId: 'add-login' },
  { type: 'showRunLog', runId: 'run-1' },
  { type: 'openRunRecord', runId: '20261121T100000Z-k3x9q1' },
  { type: 'newTask' },
  { type: 'loop.start' },
  { type: 'loop.pause' },
  { type: 'loop.tick' },
  { type: 'loop.preview' },
  { type: 'loop.merge', pullNumber: 12 },
  { type: 'loop.merge', pullNumber: 2_147_483_647 },
  { type: 'openExternal', url: 'https://github.com/octo/repo/pull/12' },
  { type: 'openExternal', url: 'http://ghe.example:8080/octo/repo/pull/12/checks?check_run_id=7#step:3:1' },
  { type: 'testAgent', agentId: 'claude-code' },
  { type: 'configureAgent', agentId: 'my.agent_2' },
  { type: 'approvePlan', taskId: 'add-login' },
  { type: 'dispatchTasks', taskIds: ['add-login', 'add-logout'] },
  { type: 'dispatchTasks', taskIds: Array.from({ length: 100 }, (_, index) => `task-${index}`) },
  { type: 'previewDispatch', taskId: 'add-login' },
  { type: 'showTaskEvents', taskId: 'add-login' },
];


const validWebviewMessages: ToWebviewMessage[] = [
  ...planningKinds.map(kind => fullPanelUpdate(snapshot({ planning: { ...planningExamples[kind], ...(kind === 'partial' ? { missing: ['reviews'] } : {}) } as PanelSnapshot['planning'] }))),
  fullPanelUpdate(snapshot({ workspaceName: null, trusted: false, auth: { github: 'none', githubAccount: null, gitlab: true, jules: false, anthropic: true }, settingsProblems: [] })),
  fullPanelUpdate(snapshot({ loop: offLoop, needsYou: [] })),
  fullPanelUpdate(snapshot({ loop: { ...busyLoop, mode: 'local', running: false, ticking: false, error: null, stage: { ...busyLoop.stage!, focus: null, action: null }, plan: { at: 'x', stage: null, tracks: [] } } })),
  fullPanelUpdate(snapshot({
      agents: [
        { id: 'jules', kind: 'jules', health: 'failing', healthDetail: 'no key', inFlight: 0, concurrentCap: 3, runsToday: 15, dailyCap: 15, spendTodayUsd: 0, budgetUsd: null, window: { closedUntil: '2026-11-21T14:32:00.000Z', reason: '429 retry-after' }, lastError: 'rateLimit: 429' },
        { id: 'claude-code', kind: 'claude-code', health: 'unchecked', healthDetail: 'not checked yet', inFlight: 1, concurrentCap: 2, runsToday: 3, dailyCap: null, spendTodayUsd: 1.25, budgetUsd: 5, window: null, lastError: null },
      ],
      needsYou: [{ kind: 'planAwaitingApproval', key: 'run-9', title: 'jules asks you to approve its plan for add-login', detail: '1. Read 2. Write', label: 'Approve plan', action: { type: 'approvePlan', taskId: 'add-login' }, url: null }],
  })),
  // A partial update: one changed run, and the small parts that changed.
  { type: 'update', version: panelProtocolVersion, full: false, parts: { runs: { changed: [snapshot().runs[0]!] }, agents: [] } },
  { type: 'update', version: panelProtocolVersion, full: false, parts: { queue: null, runs: { ids: [], changed: [] } } },
];

const validPanelAnswers: ToWebviewMessage[] = [
  { type: 'dispatchResult', outcomes: [{ taskId: 'a', status: 'started', detail: 'on claude-code · run r1' }, { taskId: 'b', status: 'waiting', detail: 'targets overlap with a' }, { taskId: 'c', status: 'refused', detail: 'unknown task' }] },
  { type: 'preview', preview: { taskId: 'a', chosen: 'claude-code', summary: 'claude-code scored highest (0.900)', candidates: [{ agentId: 'claude-code', eligible: true, score: 0.9, reasons: ['score 0.900 = …'] }, { agentId: 'jules', eligible: false, score: null, reasons: ['unhealthy: no key'] }] } },
];

describe('webview protocol', () => {
  describe('round trip', () => {
    for (const message of validHostMessages) {
      it(`webview → host: ${JSON.stringify(message)}`, () => {
        assert.deepEqual(parseToHostMessage(overTheWire(message)), { ok: true, message });
      });
    }
    for (const message of validWebviewMessages) {
      const parts = message.type === 'update' ? message.parts : {};
      const shown = message.type === 'update' ? `${message.full ? 'full' : 'partial'} update, parts ${Object.keys(parts).join(' ')}, planning ${parts.head?.planning.kind ?? '-'}, trusted ${String(parts.head?.trusted ?? '-')}, loop ${parts.loop?.mode ?? '-'}, ${String(parts.agents?.length ?? '-')} agents` : message.type;
      it(`host → webview: ${shown}`, () => {
        assert.deepEqual(parseToWebviewMessage(overTheWire(message)), { ok: true, message });
      });
    }
    for (const message of validPanelAnswers) {
      it(`host → webview: ${message.type}`, () => {
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
      ['a type of the other direction', fullPanelUpdate(snapshot())],
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
      ['openTask without a path', { type: 'openTask' }],
      ['openTask with an absolute path', { type: 'openTask', path: '/etc/passwd' }],
      ['openTask climbing out', { type: 'openTask', path: 'issue_queue/pending/../../../.ssh/id_rsa' }],
      ['openTask of the queue folder itself', { type: 'openTask', path: 'issue_queue/pending/..' }],
      ['openTask of a dot entry', { type: 'openTask', path: 'issue_queue/pending/.' }],
      ['openTask outside the queue folders', { type: 'openTask', path: 'vision/goal.md' }],
      ['openTask in an unknown folder', { type: 'openTask', path: 'issue_queue/archive/a.task.md' }],
      ['openTask climbing out of a subfolder', { type: 'openTask', path: 'issue_queue/pending/sub/../../../x.md' }],
      ['openTask through a dot subfolder', { type: 'openTask', path: 'issue_queue/pending/./a.md' }],
      ['openTask with an empty subfolder name', { type: 'openTask', path: 'issue_queue/pending//a.md' }],
      ['openTask of a subfolder with a trailing slash', { type: 'openTask', path: 'issue_queue/pending/sub/' }],
      ['openTask with backslashes', { type: 'openTask', path: 'issue_queue\\pending\\..\\..\\x' }],
      ['openTask with a backslash in the name', { type: 'openTask', path: 'issue_queue/pending/..\\..\\x' }],
      ['openTask with a Windows drive', { type: 'openTask', path: 'issue_queue/pending/C:x' }],
      ['openTask as a URL', { type: 'openTask', path: 'file:///etc/passwd' }],
      ['openTask with an empty name', { type: 'openTask', path: 'issue_queue/pending/' }],
      ['openTask with a path array', { type: 'openTask', path: ['issue_queue/pending/a.md'] }],
      ['dispatchTask without an id', { type: 'dispatchTask' }],
      ['dispatchTask with an empty id', { type: 'dispatchTask', taskId: '' }],
      ['dispatchTask with a huge id', { type: 'dispatchTask', taskId: 'x'.repeat(201) }],
      ['dispatchTask with a numeric id', { type: 'dispatchTask', taskId: 7 }],
      ['requeueTask with an empty id', { type: 'requeueTask', taskId: '' }],
      ['requeueTask with a huge id', { type: 'requeueTask', taskId: 'x'.repeat(201) }],
      ['cancelRun without an id', { type: 'cancelRun' }],
      ['cancelRun with a path as id', { type: 'cancelRun', runId: '../../etc/passwd' }],
      ['cancelRun with a leading dot', { type: 'cancelRun', runId: '.hidden' }],
      ['discardRun with an option as id', { type: 'discardRun', runId: '--all' }],
      ['mergeRun with a path as id', { type: 'mergeRun', runId: '../x' }],
      ['viewRunDiff without an id', { type: 'viewRunDiff' }],
      ['an unknown landing', { type: 'pushRun', runId: 'r1' }],
      ['showRunLog with a slash', { type: 'showRunLog', runId: 'a/b' }],
      ['showRunLog with a too-long id', { type: 'showRunLog', runId: 'a'.repeat(129) }],
      ['openRunRecord with a path as id', { type: 'openRunRecord', runId: '../events' }],
      ['openRunRecord with a file name', { type: 'openRunRecord', runId: '/etc/passwd' }],
      ['an unknown loop action', { type: 'loop.deleteBranch' }],
      ['loop.merge without a number', { type: 'loop.merge' }],
      ['loop.merge with a zero number', { type: 'loop.merge', pullNumber: 0 }],
      ['loop.merge with a negative number', { type: 'loop.merge', pullNumber: -12 }],
      ['loop.merge with a fractional number', { type: 'loop.merge', pullNumber: 1.5 }],
      ['loop.merge with a huge number', { type: 'loop.merge', pullNumber: 2 ** 31 }],
      ['loop.merge with a string number', { type: 'loop.merge', pullNumber: '12' }],
      ['loop.merge with NaN', { type: 'loop.merge', pullNumber: Number.NaN }],
      ['openExternal without a url', { type: 'openExternal' }],
      ['openExternal with javascript:', { type: 'openExternal', url: 'javascript:alert(1)' }],
      ['openExternal with a data: URL', { type: 'openExternal', url: 'data:text/html,<script>alert(1)</script>' }],
      ['openExternal with file:', { type: 'openExternal', url: 'file:///etc/passwd' }],
      ['openExternal with a command: URI', { type: 'openExternal', url: 'command:workbench.action.terminal.new' }],
      ['openExternal with vscode:', { type: 'openExternal', url: 'vscode://file/etc/passwd' }],
      ['openExternal with user info', { type: 'openExternal', url: 'https://github.com@evil.example/x' }],
      ['openExternal with a space', { type: 'openExternal', url: 'https://github.com/a b' }],
      ['openExternal with a quote', { type: 'openExternal', url: 'https://github.com/a"onmouseover="x' }],
      ['openExternal with a newline', { type: 'openExternal', url: 'https://github.com/a\nb' }],
      ['openExternal with a backslash', { type: 'openExternal', url: 'https://github.com\\@evil.example' }],
      ['openExternal protocol-relative', { type: 'openExternal', url: '//evil.example/x' }],
      ['openExternal in upper case scheme smuggling', { type: 'openExternal', url: 'https:/\\evil.example' }],
      ['openExternal far too long', { type: 'openExternal', url: `https://github.com/${'a'.repeat(2100)}` }],
      ['openExternal with a url array', { type: 'openExternal', url: ['https://github.com'] }],
      ['testAgent without an id', { type: 'testAgent' }],
      ['testAgent with a path as id', { type: 'testAgent', agentId: '../claude' }],
      ['testAgent with a command line as id', { type: 'testAgent', agentId: 'claude; rm -rf /' }],
      ['configureAgent with a setting id as id', { type: 'configureAgent', agentId: 'ato.agents.custom"' }],
      ['configureAgent with a huge id', { type: 'configureAgent', agentId: 'a'.repeat(65) }],
      ['approvePlan with an empty id', { type: 'approvePlan', taskId: '' }],
      ['approvePlan with a huge id', { type: 'approvePlan', taskId: 'x'.repeat(201) }],
      ['dispatchTasks with no task', { type: 'dispatchTasks', taskIds: [] }],
      ['dispatchTasks with more than 100 tasks', { type: 'dispatchTasks', taskIds: Array.from({ length: 101 }, (_, index) => `t${index}`) }],
      ['dispatchTasks with an empty id', { type: 'dispatchTasks', taskIds: ['a', ''] }],
      ['dispatchTasks with a numeric id', { type: 'dispatchTasks', taskIds: [7] }],
      ['dispatchTasks with a single id, not a list', { type: 'dispatchTasks', taskIds: 'a' }],
      ['previewDispatch without an id', { type: 'previewDispatch' }],
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
      ['a future version', s => ({ ...s, version: panelProtocolVersion + 1 })],
      ['the previous version', s => ({ ...s, version: panelProtocolVersion - 1 })],
      ['the previous version without agents', s => ({ ...Object.fromEntries(Object.entries(s).filter(([key]) => key !== 'agents')), version: 4 })],
      ['a full update without agents', s => Object.fromEntries(Object.entries(s).filter(([key]) => key !== 'agents'))],
      ['a runs part whose order is not strings', s => ({ ...s, runs: { ids: [1], changed: [] } })],
      ['a snapshot without agents', s => Object.fromEntries(Object.entries(s).filter(([key]) => key !== 'agents'))],
      ['an agent of an unknown kind', s => ({ ...s, agents: [{ ...anAgent, kind: 'skynet' }] })],
      ['an agent whose id is a path', s => ({ ...s, agents: [{ ...anAgent, id: '../x' }] })],
      ['an agent in an unknown health', s => ({ ...s, agents: [{ ...anAgent, health: 'great' }] })],
      ['an agent with negative runs in flight', s => ({ ...s, agents: [{ ...anAgent, inFlight: -1 }] })],
      ['an agent with a fractional daily cap', s => ({ ...s, agents: [{ ...anAgent, dailyCap: 1.5 }] })],
      ['an agent with a negative spend', s => ({ ...s, agents: [{ ...anAgent, spendTodayUsd: -0.01 }] })],
      ['an agent whose window has no reason', s => ({ ...s, agents: [{ ...anAgent, window: { closedUntil: 'x' } }] })],
      ['a plan to approve whose action runs a command', s => ({ ...s, needsYou: [{ kind: 'planAwaitingApproval', key: 'k', title: 't', detail: 'd', label: 'Approve plan', action: { type: 'testAgent', agentId: 'jules' }, url: null }] })],
      ['a snapshot without runs', s => Object.fromEntries(Object.entries(s).filter(([key]) => key !== 'runs'))],
      ['a task in an unknown folder', s => ({ ...s, queue: { ...(s['queue'] as object), items: [{ ...firstTask(s), folder: 'trash' }] } })],
      ['a task with a negative diagnostics count', s => ({ ...s, queue: { ...(s['queue'] as object), items: [{ ...firstTask(s), diagnostics: -1 }] } })],
      ['a run in an unknown state', s => ({ ...s, runs: [{ ...(s['runs'] as object[])[0], state: 'exploded' }] })],
      ['a run with a negative cost', s => ({ ...s, runs: [{ ...(s['runs'] as object[])[0], costUsd: -1 }] })],
      ['a needs-you item whose action opens a path outside the queue', s => ({ ...s, needsYou: [{ kind: 'invalidTask', key: 'k', title: 't', detail: 'd', label: 'Open', action: { type: 'openTask', path: '../../.ssh/id_rsa' } }] })],
      ['a needs-you item whose action runs a command', s => ({ ...s, needsYou: [{ kind: 'runFailed', key: 'k', title: 't', detail: 'd', label: 'Go', action: { type: 'action', action: 'doctor' } }] })],
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
      ['the previous version without a loop', s => ({ ...Object.fromEntries(Object.entries(s).filter(([key]) => key !== 'loop')), version: 2 })],
      ['a snapshot without the loop', s => Object.fromEntries(Object.entries(s).filter(([key]) => key !== 'loop'))],
      ['an unknown loop mode', s => ({ ...s, loop: { ...loopOf(s), mode: 'turbo' } })],
      ['an unknown stage', s => ({ ...s, loop: { ...loopOf(s), stage: { ...(loopOf(s)['stage'] as object), stage: '4a' } } })],
      ['a focus link to javascript:', s => ({ ...s, loop: { ...loopOf(s), stage: { ...(loopOf(s)['stage'] as object), focus: { kind: 'task', label: 'x', title: 'x', issue: null, pullRequest: null, url: 'javascript:alert(1)' } } } })],
      ['a red PR linking to a file', s => ({ ...s, loop: { ...loopOf(s), redPullRequests: [{ number: 1, title: 't', url: 'file:///etc/passwd', isDraft: false, failingChecks: [], fixAttempts: 0 }] } })],
      ['a failing check linking to data:', s => ({ ...s, loop: { ...loopOf(s), redPullRequests: [{ number: 1, title: 't', url: null, isDraft: false, failingChecks: [{ name: 'x', url: 'data:text/html,x' }], fixAttempts: 0 }] } })],
      ['a red PR with number 0', s => ({ ...s, loop: { ...loopOf(s), redPullRequests: [{ number: 0, title: 't', url: null, isDraft: false, failingChecks: [], fixAttempts: 0 }] } })],
      ['negative fix attempts', s => ({ ...s, loop: { ...loopOf(s), redPullRequests: [{ number: 1, title: 't', url: null, isDraft: false, failingChecks: [], fixAttempts: -1 }] } })],
      ['an unknown action kind in the plan', s => ({ ...s, loop: { ...loopOf(s), plan: { at: 'x', stage: null, tracks: [{ track: 'runs', action: { kind: 'deleteRepo', summary: 's', reason: 'r' }, waitsFor: null, reason: 'r' }] } } })],
      ['an unknown track', s => ({ ...s, loop: { ...loopOf(s), plan: { at: 'x', stage: null, tracks: [{ track: 'sync', action: null, waitsFor: null, reason: 'r' }] } } })],
      ['a followed PR linking to javascript:', s => ({ ...s, loop: { ...loopOf(s), followedPullRequests: [{ ...(loopOf(s)['followedPullRequests'] as object[])[0], url: 'javascript:alert(1)' }] } })],
      ['a followed PR in an unknown CI state', s => ({ ...s, loop: { ...loopOf(s), followedPullRequests: [{ ...(loopOf(s)['followedPullRequests'] as object[])[0], ci: 'purple' }] } })],
      ['a focus of an unknown kind of work', s => ({ ...s, loop: { ...loopOf(s), stage: { ...(loopOf(s)['stage'] as object), focus: { kind: 'issue', label: 'x', title: 'x', issue: null, pullRequest: null, url: null } } } })],
      ['a plan that waits for someone unknown', s => ({ ...s, loop: { ...loopOf(s), plan: { at: 'x', stage: null, tracks: [{ track: 'planning', action: null, waitsFor: 'the boss', reason: 'r' }] } } })],
      ['a negative count of pending tasks', s => ({ ...s, loop: { ...loopOf(s), counts: { ...(loopOf(s)['counts'] as object), pending: -1 } } })],
      ['an unknown outcome', s => ({ ...s, loop: { ...loopOf(s), lastReport: { at: 'x', outcomes: [{ track: 'runs', summary: 's', result: 'maybe', message: '' }], requests: 0, points: 0 } } })],
      ['a negative budget', s => ({ ...s, loop: { ...loopOf(s), rateLimit: { core: { limit: 5000, remaining: -1, resetAt: 'x' }, graphql: null } } })],
      ['a needs-you merge of PR 0', s => ({ ...s, needsYou: [{ kind: 'readyToMerge', key: 'k', title: 't', detail: 'd', label: 'Merge', action: { type: 'loop.merge', pullNumber: 0 }, url: null }] })],
      ['a needs-you item opening javascript:', s => ({ ...s, needsYou: [{ kind: 'mergeBlocked', key: 'k', title: 't', detail: 'd', label: 'Open', action: { type: 'openExternal', url: 'javascript:x' }, url: null }] })],
      ['a needs-you item with a file: link', s => ({ ...s, needsYou: [{ kind: 'mergeBlocked', key: 'k', title: 't', detail: 'd', label: 'Open', action: null, url: 'file:///x' }] })],
      ['a needs-you item whose action starts the loop', s => ({ ...s, needsYou: [{ kind: 'readyToMerge', key: 'k', title: 't', detail: 'd', label: 'Go', action: { type: 'loop.start' }, url: null }] })],
      ['a needs-you item of an unknown kind', s => ({ ...s, needsYou: [{ kind: 'planApproval', key: 'k', title: 't', detail: 'd', label: '', action: null, url: null }] })],
    ];
    for (const [label, corrupt] of bad) {
      it(label, () => {
        const raw = asFullUpdate(corrupt({ ...(overTheWire(snapshot()) as Record<string, unknown>), version: panelProtocolVersion }));
        const result = parseToWebviewMessage(raw);
        assert.equal(result.ok, false);
        assert.match(result.error, /^invalid message at (parts|version)/);
      });
    }
  });

  describe('rejects malformed answers from the host', () => {
    const bad: readonly [string, unknown][] = [
      ['a dispatch result in an unknown status', { type: 'dispatchResult', outcomes: [{ taskId: 'a', status: 'exploded', detail: '' }] }],
      ['a dispatch result without outcomes', { type: 'dispatchResult' }],
      ['a dispatch outcome without detail', { type: 'dispatchResult', outcomes: [{ taskId: 'a', status: 'started' }] }],
      ['a preview without candidates', { type: 'preview', preview: { taskId: 'a', chosen: null, summary: 's' } }],
      ['a preview whose candidate has no reasons', { type: 'preview', preview: { taskId: 'a', chosen: null, summary: 's', candidates: [{ agentId: 'x', eligible: true, score: 1 }] } }],
      ['a preview whose score is a string', { type: 'preview', preview: { taskId: 'a', chosen: null, summary: 's', candidates: [{ agentId: 'x', eligible: true, score: '1', reasons: [] }] } }],
    ];
    for (const [label, raw] of bad) {
      it(label, () => {
        assert.equal(parseToWebviewMessage(raw).ok, false);
      });
    }
  });

  describe('actions', () => {
    it('marks every message that changes something as mutating, and only those', () => {
      const mutating = validHostMessages.filter(isMutatingMessage).map(m => m.type === 'action' ? m.action : m.type);
      assert.deepEqual([...new Set(mutating)].sort(), [
        'approvePlan', 'cancelRun', 'discardRun', 'dispatchTask', 'dispatchTasks', 'doctor', 'initPlanningFolder', 'loop.merge', 'loop.pause', 'loop.preview', 'loop.start', 'loop.tick', 'mergeRun', 'newTask', 'openRunPullRequest', 'previewDispatch', 'requeueTask', 'setGitHubToken', 'signInToGitHub', 'testAgent',
      ]);
      assert.ok(!isMutatingMessage({ type: 'openExternal', url: 'https://github.com/octo/repo' }), 'opening a link acts on nothing');
    });

    it('marks exactly the state-changing actions as mutating', () => {
      for (const action of mutatingPanelActions) assert.ok(panelActions.includes(action));
      assert.deepEqual([...mutatingPanelActions].sort(), ['doctor', 'initPlanningFolder', 'setGitHubToken', 'signInToGitHub']);
      for (const readOnly of ['refresh', 'showLog'] as const) assert.ok(!mutatingPanelActions.has(readOnly));
    });
  });

  it('accepts exactly the http(s) links the pattern describes', () => {
    for (const url of ['https://github.com/o/r/pull/1', 'http://127.0.0.1:3000/x', 'https://ghe.example/o/r/actions/runs/5?check_suite_focus=true', 'https://github.com/o/r/pull/1#issuecomment-9']) assert.ok(isExternalUrl(url), url);
    for (const url of ['', 'https://', 'ftp://github.com', 'https://a b', 'https://github.com/\u00e9', 'https://[::1]/x', 'HTTPS://github.com', 'https://github.com/<x>']) assert.ok(!isExternalUrl(url), url);
  });

  it('the snapshot schema accepts what the examples build', () => {
    assert.ok(panelSnapshotSchema.safeParse(snapshot()).success);
    assert.ok(panelSnapshotSchema.safeParse(snapshot({ loop: offLoop, needsYou: [], queue: null })).success);
  });
});
