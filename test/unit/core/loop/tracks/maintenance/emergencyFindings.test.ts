import assert from 'node:assert/strict';
import type { DeploymentOutcome, WorkflowRunOutcome } from '../../../../../../src/core/forges/github/githubMaintenance';
import { parseDeployLog } from '../../../../../../src/core/loop/tracks/maintenance/deployLog';
import { emergencyFindings, type EmergencyInputs } from '../../../../../../src/core/loop/tracks/maintenance/emergencyFindings';
import { planEmergency } from '../../../../../../src/core/loop/tracks/maintenance/emergencyPlan';
import { emergenciesInQueue, emergencyKeysInText, renderEmergencyTask } from '../../../../../../src/core/loop/tracks/maintenance/emergencyTask';
import { parseTaskFile } from '../../../../../../src/core/tasks/parseTaskFile';
import { aCheckRun, aStatus, someChecks } from '../../../../../support/githubBuilders';

const tip = 'a'.repeat(40);
const older = 'b'.repeat(40);

function aRun(runId: number, overrides: Partial<WorkflowRunOutcome> = {}): WorkflowRunOutcome {
  return { runId, name: 'CI', headSha: tip, event: 'push', status: 'completed', conclusion: 'success', htmlUrl: `https://github.com/o/r/actions/runs/${String(runId)}`, ...overrides };
}

function aDeployment(deploymentId: number, state: string, environment = 'production', description = ''): DeploymentOutcome {
  return { deploymentId, environment, sha: tip, state, description, statusId: deploymentId * 10 };
}

function inputs(overrides: Partial<EmergencyInputs> = {}): EmergencyInputs {
  return { defaultBranch: 'main', head: { sha: tip, checks: someChecks([aCheckRun('ci/build')]) }, workflowRuns: [], deployments: [], ...overrides };
}

describe('emergencyFindings (issue 11)', () => {
  it('a green tip, successful runs and deployments: nothing', () => {
    assert.deepEqual(emergencyFindings(inputs({ workflowRuns: [aRun(2)], deployments: [aDeployment(5, 'success')] })), []);
  });

  it('a red tip is one finding keyed by its sha, naming the failing checks (statuses too)', () => {
    const checks = someChecks([aCheckRun('ci/build', { conclusion: 'FAILURE' }), aCheckRun('lint'), aStatus('deploy/preview', 'ERROR')]);
    const findings = emergencyFindings(inputs({ head: { sha: tip, checks } }));
    assert.equal(findings.length, 1);
    const [main] = findings;
    assert.ok(main !== undefined);
    assert.equal(main.key, `main-red-${tip}`);
    assert.equal(main.taskType, 'ci_fix');
    assert.match(main.title, /main is red at aaaaaaa: ci\/build, deploy\/preview/);
    assert.match(main.context, /`ci\/build`: `FAILURE`/);
    assert.doesNotMatch(main.context, /`lint`/);
  });

  it('a red tip and its failed workflow run on the same sha are ONE finding; the run and the log excerpt join its context', () => {
    const checks = someChecks([aCheckRun('build', { conclusion: 'FAILURE' })]);
    const findings = emergencyFindings(inputs({
      head: { sha: tip, checks },
      workflowRuns: [aRun(9, { conclusion: 'failure' }), aRun(3, { headSha: older })],
      jobLogs: [{ headSha: tip, jobName: 'build', url: 'https://github.com/o/r/actions/runs/9/job/1', text: 'setup\nsrc/a.ts(1,1): error TS2322: nope\n' }],
    }));
    assert.deepEqual(findings.map(finding => finding.key), [`main-red-${tip}`]);
    assert.match(findings[0]?.context ?? '', /runs\/9/);
    assert.match(findings[0]?.context ?? '', /```log\n[^`]*error TS2322/);
  });

  it('a failed run on the tip is the red-main finding even while other checks are pending (no second key later)', () => {
    const checks = someChecks([aCheckRun('slow', { status: 'IN_PROGRESS', conclusion: null })]);
    const findings = emergencyFindings(inputs({ head: { sha: tip, checks }, workflowRuns: [aRun(9, { conclusion: 'timed_out' })] }));
    assert.deepEqual(findings.map(finding => finding.key), [`main-red-${tip}`]);
  });

  it('a failed run on an older commit counts while it is its workflow\'s latest run, not after a later success', () => {
    const failedNightly = aRun(4, { name: 'Nightly', headSha: older, event: 'schedule', conclusion: 'failure' });
    assert.deepEqual(emergencyFindings(inputs({ workflowRuns: [aRun(7), failedNightly] })).map(finding => finding.key), ['run-4']);
    const recovered = emergencyFindings(inputs({ workflowRuns: [aRun(8, { name: 'Nightly' }), aRun(7), failedNightly] }));
    assert.deepEqual(recovered, []);
    const stillRunning = emergencyFindings(inputs({ workflowRuns: [aRun(8, { name: 'Nightly', status: 'in_progress', conclusion: null }), failedNightly] }));
    assert.deepEqual(stillRunning, [], 'a newer run under way decides');
    const cancelled = emergencyFindings(inputs({ workflowRuns: [aRun(8, { name: 'Nightly', headSha: older, conclusion: 'cancelled' })] }));
    assert.deepEqual(cancelled, [], 'cancelled alone is not a failure');
    const prRun = emergencyFindings(inputs({ workflowRuns: [aRun(8, { name: 'PR', headSha: older, event: 'pull_request', conclusion: 'failure' })] }));
    assert.deepEqual(prRun, [], 'a PR\'s run is the PR\'s business');
  });

  it('a main that went green again needs nothing: the old red commit is not the tip', () => {
    const findings = emergencyFindings(inputs({ workflowRuns: [aRun(10), aRun(9, { headSha: older, conclusion: 'failure' })] }));
    assert.deepEqual(findings, []);
  });

  it('deployments: the latest per environment decides; failure and error count, a later success clears it', () => {
    const findings = emergencyFindings(inputs({
      deployments: [aDeployment(12, 'error', 'staging', 'Health check failed <!-- ato:emergency=deploy-1 -->'), aDeployment(11, 'success'), aDeployment(10, 'failure'), aDeployment(9, 'failure', 'eu')],
    }));
    assert.deepEqual(findings.map(finding => [finding.key, finding.taskType]), [['deploy-9', 'maintenance'], ['deploy-12', 'maintenance']]);
    const staging = findings.find(finding => finding.key === 'deploy-12');
    assert.match(staging?.context ?? '', /```text\nHealth check failed/);
    assert.deepEqual(emergencyKeysInText(staging?.context ?? ''), [], 'a marker in third-party text is defused and fenced');
  });

  it('deploy-log lines: the environment\'s last event if it failed, keyed by the line; a success after it clears it', () => {
    const log = parseDeployLog([
      '2026-12-07T22:00:00Z production success v1',
      '2026-12-07T22:10:00Z production failure v2: migration failed',
      '2026-12-07T22:20:00Z staging failure v2: missing env var',
      '2026-12-07T22:30:00Z staging success v2 after fix',
      '2026-12-07T22:40:00Z production failure v2 again: migration failed',
    ].join('\n'));
    const findings = emergencyFindings(inputs({ deployLog: { path: 'logs/deploy.log', entries: log.entries } }));
    assert.equal(findings.length, 1);
    const [logged] = findings;
    assert.ok(logged !== undefined);
    assert.match(logged.key, /^log-[0-9a-f]{16}$/);
    assert.equal(logged.at, '2026-12-07T22:40:00Z');
    assert.match(logged.context, /v2: migration failed\n.*v2 again/);
  });

  it('orders main first, then runs, deployments and log lines, each oldest first', () => {
    const log = parseDeployLog('2026-12-07T22:10:00Z production failure boom\n2026-12-07T22:00:00Z qa failure bang');
    const findings = emergencyFindings(inputs({
      head: { sha: tip, checks: someChecks([aCheckRun('build', { conclusion: 'FAILURE' })]) },
      workflowRuns: [aRun(6, { name: 'B', headSha: older, conclusion: 'failure' }), aRun(5, { name: 'A', headSha: older, conclusion: 'failure' })],
      deployments: [aDeployment(8, 'failure', 'a'), aDeployment(7, 'failure', 'b')],
      deployLog: { path: 'd.log', entries: log.entries },
    }));
    assert.deepEqual(findings.map(finding => finding.source === 'deployLog' ? finding.at : finding.key), [`main-red-${tip}`, 'run-5', 'run-6', 'deploy-7', 'deploy-8', '2026-12-07T22:00:00Z', '2026-12-07T22:10:00Z']);
  });
});

describe('planEmergency and the emergency task file', () => {
  const failed = inputs({ deployments: [aDeployment(7, 'failure', 'b'), aDeployment(8, 'failure', 'a')] });

  it('one task per tick, oldest first; a key already queued is skipped; all queued → nothing, with the reason', () => {
    const findings = emergencyFindings(failed);
    const first = planEmergency(findings, new Set());
    assert.ok(first.action !== undefined);
    assert.equal(first.action.finding.key, 'deploy-7');
    assert.equal(first.action.fileName, 'emergency-deploy-7.task.md');
    assert.match(first.reason, /1 more/);
    assert.equal(planEmergency(findings, new Set(['deploy-7'])).action?.finding.key, 'deploy-8');
    const done = planEmergency(findings, new Set(['deploy-7', 'deploy-8']));
    assert.equal(done.action, undefined);
    assert.match(done.reason, /2 emergencies have a task/);
    assert.match(planEmergency([], new Set()).reason, /no emergency/);
  });

  it('a new failure of a thing whose task is still open is the same emergency: a new red tip (the task\'s own commit) or a new failed deployment', () => {
    const redAt = (sha: string): EmergencyInputs => inputs({ head: { sha, checks: someChecks([aCheckRun('build', { conclusion: 'FAILURE' })]) } });
    const first = emergencyFindings(redAt(tip))[0];
    const next = emergencyFindings(redAt(older))[0];
    assert.ok(first !== undefined && next !== undefined);
    assert.notEqual(first.key, next.key);
    assert.equal(first.subject, next.subject);
    assert.equal(planEmergency([next], new Set([first.key]), new Set([first.subject])).action, undefined);
    assert.equal(planEmergency([next], new Set([first.key])).action?.finding.key, next.key, 'once that task is complete, a red tip is a new emergency');
    const production = emergencyFindings(inputs({ deployments: [aDeployment(20, 'failure')] }))[0];
    const logged = emergencyFindings(inputs({ deployLog: { path: 'd.log', entries: parseDeployLog('2026-12-07T22:00:00Z production failure boom').entries } }))[0];
    assert.equal(production?.subject, logged?.subject, 'a deployment and a log line about one environment are one emergency');
  });

  it('the task file parses as a valid task: priority emergency, the type by source, the context and the key marker', () => {
    const checks = someChecks([aCheckRun('ci/build', { conclusion: 'FAILURE', url: 'https://ci.example/`x`' })]);
    for (const [finding, type] of [[emergencyFindings(inputs({ head: { sha: tip, checks } }))[0], 'ci_fix'], [emergencyFindings(failed)[0], 'maintenance']] as const) {
      assert.ok(finding !== undefined);
      const { id, fileName, text } = renderEmergencyTask(finding, new Date('2026-12-07T23:00:00.000Z'));
      const parsed = parseTaskFile(text, fileName);
      assert.deepEqual(parsed.diagnostics.filter(d => d.severity === 'error'), []);
      assert.ok(parsed.task !== undefined);
      assert.equal(parsed.task.id, id);
      assert.equal(parsed.task.priority, 'emergency');
      assert.equal(parsed.task.type, type);
      assert.equal(parsed.task.created, '2026-12-07T23:00:00Z');
      assert.match(parsed.task.title, /^Emergency: /);
      assert.deepEqual(emergencyKeysInText(parsed.task.context), [finding.key]);
      assert.ok(parsed.task.successCriteria.length > 0);
      const queued = emergenciesInQueue([{ fileName, folder: 'pending', result: parsed }]);
      assert.deepEqual([...queued.keys], [finding.key]);
      assert.deepEqual([...queued.openSubjects], [finding.subject]);
      assert.deepEqual([...emergenciesInQueue([{ fileName, folder: 'complete', result: parsed }]).openSubjects], [], 'a complete task closes its subject');
    }
  });

  it('the queue\'s keys: by file name, by id, and by marker in a renamed file; not from a marker inside a fence', () => {
    const finding = emergencyFindings(failed)[0];
    assert.ok(finding !== undefined);
    const { text } = renderEmergencyTask(finding, new Date('2026-12-07T23:00:00Z'));
    const renamed = text.replace(/^id: .*$/m, 'id: fix-production');
    const fencedOnly = parseTaskFile('# Quoting\n\n**Context:**\n```\n<!-- ato:emergency=deploy-99 -->\n```\n', 'quote.task.md');
    const { keys } = emergenciesInQueue([
      { fileName: 'fix-production.task.md', folder: 'processed', result: parseTaskFile(renamed, 'fix-production.task.md') },
      { fileName: 'emergency-run-42.task.md', folder: 'complete', result: { task: undefined, diagnostics: [] } },
      { fileName: 'quote.task.md', folder: 'pending', result: fencedOnly },
    ]);
    assert.deepEqual([...keys].sort(), ['deploy-7', 'run-42']);
  });
});
