import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv/dist/2020';
import { Redactor } from '../../../src/core/logging/redactor';
import { RunStore } from '../../../src/core/runs/runStore';
import { windowFile } from '../../../src/core/agents/fleet/windowFile';
import type { AgentsReport } from '../../../src/shared/agentsReport';
import { runBuiltCli } from '../../support/builtCli';
import { initRepo } from '../../support/gitRepo';
import { aRunRecord } from '../../support/runRecords';
import { useTempDir } from '../../support/tempDir';

const countingAgent = join(__dirname, '../../fixtures/agents/countingAgent.mjs');

describe('ato agents [--json] on the built CLI', function () {
  this.timeout(120_000);
  const temp = useTempDir('ato-agents-cli-');

  it('reports each agent\'s caps, spend, window and headroom from the run records and the window file; the JSON validates against schemas/ato-agents.schema.json', async () => {
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    initRepo(repo, { 'README.md': '# r\n' });
    const today = new Date();
    const at = (hoursAgo: number): string => new Date(Math.max(Date.parse(today.toISOString().slice(0, 10)), today.getTime() - hoursAgo * 3_600_000)).toISOString();
    const runs = new RunStore({ workspaceRoot: repo, redactor: new Redactor() });
    await runs.write(aRunRecord({ runId: 'r1', agentId: 'counter', attempts: 1, state: 'succeeded', startedAt: at(0.2), endedAt: at(0.1), usage: { costUsd: 0.75 } }));
    await runs.write(aRunRecord({ runId: 'r2', agentId: 'counter', attempts: 1, state: 'failed', startedAt: at(0.1), endedAt: at(0.05), failure: { class: 'network', message: 'ECONNRESET talking to the model' }, usage: { costUsd: 0.25 } }));
    await runs.write(aRunRecord({ runId: 'r3', agentId: 'counter', attempts: 1, state: 'running', startedAt: at(0.01) }));
    // A Copilot session the loop or a task file started: one premium request per attempt.
    await runs.write(aRunRecord({ runId: 'r4', agentId: 'copilot', attempts: 2, state: 'succeeded', startedAt: at(0.3), endedAt: at(0.2) }));
    const until = new Date(today.getTime() + 45 * 60_000).toISOString();
    await windowFile(join(repo, '.ato'), new Redactor()).append({ vendor: 'anthropic', until, source: 'rateLimitEvent', agentId: 'claude-code' });

    const env = {
      ATO_AGENTS_CUSTOM: JSON.stringify([{ id: 'counter', command: process.execPath, args: [countingAgent], concurrent: 3 }]),
      ATO_FLEET_LIMITS: JSON.stringify({ counter: { dailyRuns: 3 } }),
      ATO_FLEET_BUDGETS: JSON.stringify({ counter: { dailyUsd: 5 }, anthropic: { monthlyUsd: 100 } }),
      ATO_AGENTS_CLAUDE_CODE_EXECUTABLE: join(temp(), 'no-such-claude'),
    };
    const run = await runBuiltCli(['agents', '--json', '--workspace', repo], env);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as AgentsReport;
    const schema = JSON.parse(readFileSync(join(__dirname, '../../../schemas/ato-agents.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ strict: false }).compile(schema);
    assert.ok(validate(report), JSON.stringify(validate.errors));

    const counter = report.agents.find(agent => agent.id === 'counter');
    if (counter === undefined) assert.fail('counter is reported');
    assert.equal(counter.vendor, 'counter');
    assert.deepEqual(counter.health, { ok: true, detail: counter.health?.detail ?? '' });
    assert.deepEqual(counter.inFlight, { used: 1, cap: 3 });
    assert.deepEqual(counter.runsToday, { used: 3, cap: 3 });
    assert.equal(counter.spendToday, 1);
    assert.deepEqual(counter.headroom, { open: false, reasons: ['daily cap 3/3'] });
    assert.equal(counter.lastError?.failure, 'network');
    assert.deepEqual(counter.successRates, [{ taskType: 'feature', succeeded: 1, failed: 1, rate: 0.5 }]);

    const claude = report.agents.find(agent => agent.id === 'claude-code');
    if (claude === undefined) assert.fail('claude-code is reported');
    assert.equal(claude.health?.ok, false, 'its executable is missing');
    assert.equal(claude.window.open, false);
    assert.equal(claude.window.until, until);
    assert.match(claude.headroom.reasons.join(), /anthropic window closed until .* \(rate_limit_event\)/);
    const anthropic = report.vendors.find(vendor => vendor.vendor === 'anthropic');
    assert.deepEqual(anthropic?.spendMonth, { spentUsd: 0, capUsd: 100 });
    assert.deepEqual(report.vendors.find(vendor => vendor.vendor === 'counter')?.spendToday, { spentUsd: 1, capUsd: 5 });

    // Copilot is listed as the panel's Agents section lists it: its health on the workspace's GitHub (this
    // repository has no GitHub origin, so it says why), and GitHub's premium-request ledger.
    const copilot = report.agents.find(agent => agent.id === 'copilot');
    if (copilot === undefined) assert.fail('copilot is reported');
    assert.equal(copilot.kind, 'copilot');
    assert.equal(copilot.vendor, 'github');
    assert.equal(copilot.health?.ok, false);
    assert.match(copilot.health.detail, /origin/);
    assert.equal(copilot.runsToday.used, 2, 'runs count attempts');
    const github = report.vendors.find(vendor => vendor.vendor === 'github');
    assert.deepEqual(github?.agents, ['copilot']);
    assert.deepEqual(github.premiumRequests, { today: 2, month: 2, unitUsd: 0.04 });

    const text = await runBuiltCli(['agents', '--workspace', repo], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^copilot \(copilot, vendor github\)/m);
    assert.match(text.stdout, /2 premium requests today, 2 this month/);
    assert.match(text.stdout, /^counter \(custom, vendor counter\) — no headroom: daily cap 3\/3$/m);
    assert.match(text.stdout, /^ {2}in flight {2}1\/3 {3}today 3\/3 runs {3}spend today \$1\.00, this month \$1\.00$/m);
    assert.match(text.stdout, /^ {2}window {5}anthropic window closed until .* \(rate_limit_event\)$/m);
  });

  it('ato agents --test <id> runs that agent\'s Doctor check; an unknown id is a usage error', async () => {
    const repo = join(temp(), 'repo');
    mkdirSync(repo);
    initRepo(repo, { 'README.md': '# r\n' });
    const env = { ATO_AGENTS_CUSTOM: JSON.stringify([{ id: 'counter', command: process.execPath, args: [countingAgent] }, { id: 'ghost', command: join(temp(), 'missing-agent') }]) };
    const ok = await runBuiltCli(['agents', '--test', 'counter', '--workspace', repo], env);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /✓ agent counter \(custom\)/);
    const broken = await runBuiltCli(['agents', '--test', 'ghost', '--workspace', repo], env);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /✗ agent ghost \(custom\)/);
    const unknown = await runBuiltCli(['agents', '--test', 'nobody', '--workspace', repo], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no agent "nobody" is configured \(agents: claude-code, claude, counter, ghost, copilot\)/);
  });
});
