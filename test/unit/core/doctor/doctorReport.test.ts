import assert from 'node:assert/strict';
import { checkConnections, type ConnectionResult } from '../../../../src/core/doctor/connectionCheck';
import { renderDoctorReport, type DoctorFacts } from '../../../../src/core/doctor/doctorReport';
import type { SecretId } from '../../../../src/core/secrets/secrets';
import { readSettings } from '../../../../src/core/settings/settings';
import type { AtoState } from '../../../../src/core/state/atoState';
import { startTestServer } from '../../../support/httpServer';
import { anAtoState, planningExamples, planningKinds } from '../../../support/stateBuilders';

const noKeys: Readonly<Record<SecretId, boolean>> = { 'github.token': false, 'gitlab.token': false, 'jules.apiKey': false, 'anthropic.apiKey': false };

function facts(state: AtoState, overrides: Partial<DoctorFacts> = {}): DoctorFacts {
  return { atoVersion: '9.8.7', host: 'ato CLI', nodeVersion: 'v20.20.2', platform: 'linux-x64', state, keys: noKeys, connections: [], tools: [], agentProblems: [], ...overrides };
}

const expectedPlanningLine: Readonly<Record<AtoState['planning']['kind'], RegExp>> = {
  noWorkspace: /Planning folder: no workspace/,
  unknown: /Planning folder: not inspected yet/,
  missing: /Planning folder missing at \/work\/repo\/planning — run "ATO: Initialize Planning Folder"/,
  partial: /lacks vision\/goal\.md, issue_queue\/pending/,
  ready: /Planning folder at \/work\/repo\/planning: task files: 3 in pending\/, 2 in processed\/, 7 in complete\//,
  error: /could not be read: EACCES: permission denied/,
};

describe('renderDoctorReport', () => {
  it('lists git and each agent with its health, and rejected agent settings', () => {
    const report = renderDoctorReport(facts(anAtoState(), {
      tools: [{ name: 'git', ok: true, detail: 'git version 2.39.5' }, { name: 'agent claude-code (claude-code)', ok: false, detail: '`claude` not found' }],
      agentProblems: ['`ato.agents.custom` entry 1: id is reserved'],
    }));
    assert.match(report, /## Tools and agents\n\n- ✓ git: git version 2\.39\.5\n- ✗ agent claude-code \(claude-code\): `claude` not found\n- ✗ `ato\.agents\.custom` entry 1: id is reserved/);
    assert.match(renderDoctorReport(facts(anAtoState())), /Not checked: ATO runs no program in Restricted Mode/);
  });

  it('reports the run records: not checked, all readable, or each one that is not (a long parser message cut short)', () => {
    assert.match(renderDoctorReport(facts(anAtoState())), /## Records\n\n- – Not checked: ATO reads no record in Restricted Mode/);
    assert.match(renderDoctorReport(facts(anAtoState(), { runRecords: { readable: 4, problems: [] } })), /- ✓ Run records: 4 readable/);
    const report = renderDoctorReport(facts(anAtoState(), { runRecords: { readable: 1, problems: [{ file: '/w/.ato/runs/r-1.json', runId: 'r-1', kind: 'unreadable', message: `EACCES ${'x'.repeat(500)}` }] } }));
    assert.match(report, /- ✗ Run records: 1 readable, 1 not\n {2}- ✗ Run record r-1 cannot be read: EACCES x+…\. ATO leaves \.ato\/runs\/r-1\.json as it is/);
    assert.ok(!report.includes('x'.repeat(300)), 'the message is bounded');
  });

  for (const kind of planningKinds) {
    it(`describes the planning folder: ${kind}`, () => {
      const report = renderDoctorReport(facts(anAtoState({ planning: planningExamples[kind] })));
      assert.match(report, expectedPlanningLine[kind]);
    });
  }

  it('names the environment and the workspace', () => {
    const report = renderDoctorReport(facts(anAtoState()));
    assert.match(report, /^# ATO Doctor/);
    assert.match(report, /ATO 9\.8\.7 on ato CLI/);
    assert.match(report, /Node v20\.20\.2, linux-x64/);
    assert.match(report, /✓ Folder: repo/);
    assert.match(report, /✓ Trusted/);
  });

  it('says when no folder is open and when the workspace is restricted', () => {
    const report = renderDoctorReport(facts(anAtoState({ workspaceName: undefined, trusted: false, planning: { kind: 'noWorkspace' } })));
    assert.match(report, /✗ No folder is open/);
    assert.match(report, /Restricted Mode: ATO shows state but takes no action/);
    assert.match(report, /Not checked: ATO makes no request in Restricted Mode/);
  });

  it('lists each settings problem, or says all are valid', () => {
    assert.match(renderDoctorReport(facts(anAtoState())), /✓ All settings valid/);
    const report = renderDoctorReport(facts(anAtoState({ settingsProblems: [{ setting: 'ato.eventLog.maxFiles', message: 'Setting `ato.eventLog.maxFiles` is bad' }] })));
    assert.match(report, /✗ Setting `ato\.eventLog\.maxFiles` is bad/);
    assert.doesNotMatch(report, /All settings valid/);
  });

  it('shows how GitHub is reached', () => {
    const github = (kind: AtoState['auth']['github']): string => renderDoctorReport(facts(anAtoState({ auth: { github: kind, gitlab: false, jules: false, anthropic: false } })));
    assert.match(github({ kind: 'session', account: 'octocat' }), /GitHub: signed in as octocat/);
    assert.match(github({ kind: 'token' }), /GitHub: token set/);
    assert.match(github({ kind: 'none' }), /GitHub: not signed in \(local mode\)/);
  });

  it('shows whether each other key is set, never a value', () => {
    const report = renderDoctorReport(facts(anAtoState(), { keys: { ...noKeys, 'gitlab.token': true, 'anthropic.apiKey': true } }));
    assert.match(report, /✓ GitLab token: set/);
    assert.match(report, /– Jules API key: not set/);
    assert.match(report, /✓ Anthropic API key: set/);
  });

  it('prints each connection result', () => {
    const connections: ConnectionResult[] = [
      { service: 'GitHub', url: 'https://api.github.com/user', outcome: 'ok', detail: 'HTTP 200' },
      { service: 'GitLab', url: 'https://gitlab.com/api/v4/user', outcome: 'failed', detail: 'HTTP 401' },
      { service: 'Jules', url: 'https://jules.example/sources', outcome: 'notConfigured', detail: 'no key set' },
    ];
    const report = renderDoctorReport(facts(anAtoState(), { connections }));
    assert.match(report, /✓ GitHub \(https:\/\/api\.github\.com\/user\): HTTP 200/);
    assert.match(report, /✗ GitLab \(https:\/\/gitlab\.com\/api\/v4\/user\): HTTP 401/);
    assert.match(report, /– Jules \(https:\/\/jules\.example\/sources\): no key set/);
    assert.doesNotMatch(report, /Not checked: ATO makes no request/);
  });

  it('says why a GitHub check sent nothing', () => {
    const connections: ConnectionResult[] = [{ service: 'GitHub', url: '', outcome: 'refused', detail: 'The `origin` remote is on evil.example, which is neither github.com nor a GitHub Enterprise you configured' }];
    const report = renderDoctorReport(facts(anAtoState(), { connections }));
    assert.match(report, /! GitHub: no request — The `origin` remote is on evil\.example/);
  });

  it('prints no key value, even after real connection checks that sent the keys', async () => {
    const values: Readonly<Record<SecretId, string>> = { 'github.token': 'gh-value-1111', 'gitlab.token': 'gl-value-2222', 'jules.apiKey': 'jules-value-3333', 'anthropic.apiKey': 'anth-value-4444' };
    const server = await startTestServer((_request, response) => response.writeHead(200).end('{}'));
    try {
      const base = server.url;
      const { settings } = readSettings(key => (key.endsWith('.apiUrl') ? `${base}/${key}` : undefined));
      const secrets = { get: (id: SecretId) => Promise.resolve(values[id]) };
      const connections = await checkConnections({ settings, secrets, github: { kind: 'endpoint', apiUrl: settings['github.apiUrl'], token: () => secrets.get('github.token') }, fetch });
      assert.equal(server.requests.length, 4, 'every key was sent');
      for (const kind of planningKinds) {
        const state = anAtoState({ planning: planningExamples[kind], auth: { github: { kind: 'token' }, gitlab: true, jules: true, anthropic: true } });
        const report = renderDoctorReport(facts(state, { keys: { 'github.token': true, 'gitlab.token': true, 'jules.apiKey': true, 'anthropic.apiKey': true }, connections }));
        for (const value of Object.values(values)) assert.ok(!report.includes(value), `${value} leaked into the report`);
        assert.doesNotMatch(report, /\b(true|false)\b/, 'booleans are rendered as words');
        assert.match(report, /✓ GitHub \(/);
      }
    } finally {
      await server.close();
    }
  });
});
