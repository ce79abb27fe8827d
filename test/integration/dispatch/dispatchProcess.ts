// One ATO process for the crash tests: `node --import tsx dispatchProcess.ts <workspace> <mode> [crashAt]`.
// mode `dispatch`: dispatch the task "crash-me" and wait for it; mode `recover`: recover after a crash,
// dispatch again what recovery says, wait. With crashAt, the process kills itself (SIGKILL, no cleanup)
// right after that dispatch step — the closest thing to a power cut.
import { join } from 'node:path';
import { configuredAgents } from '../../../src/core/agents/fleet/configuredAgents';
import { createDispatchRuntime } from '../../../src/core/dispatch/dispatchRuntime';
import { recoverRuns } from '../../../src/core/dispatch/runRecovery';
import { EventLog } from '../../../src/core/events/eventLog';
import { ensureAtoDirectory } from '../../../src/core/events/atoDirectory';
import { createLogger, streamLogSink } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { QueueIndex } from '../../../src/core/queue/queueIndex';
import { readSettings } from '../../../src/core/settings/settings';
import { parseTaskFile } from '../../../src/core/tasks/parseTaskFile';

async function main(): Promise<void> {
  const [workspace = '', mode = 'dispatch', crashAt] = process.argv.slice(2);
  const redactor = new Redactor();
  const log = createLogger(streamLogSink(process.stderr, 'warn'), redactor);
  const events = new EventLog({ directory: await ensureAtoDirectory(workspace), maxFileBytes: 1e7, maxFiles: 2, redactor });
  const index = new QueueIndex({ planningRoot: join(workspace, 'planning'), parse: parseTaskFile, workspaceRoot: workspace });
  await index.coldIndex();
  const settings = readSettings(key => (key === 'agents.custom' ? [{ id: 'counter', command: process.execPath, args: [join(__dirname, '../../fixtures/agents/countingAgent.mjs')], inheritEnv: ['ATO_TEST_COUNTER'] }] : undefined)).settings;
  const { dispatcher, runs, registry, planningWriter } = createDispatchRuntime({
    workspaceRoot: workspace,
    index,
    agents: configuredAgents(settings, undefined, { projectMcpServers: false }).agents.filter(agent => agent.id === 'counter'),
    maxConcurrentRuns: 2,
    defaultTimeoutMs: 60_000,
    redactor,
    events,
    log,
    checkpoint: step => {
      if (step === crashAt) process.kill(process.pid, 'SIGKILL');
    },
  });
  const started: string[] = [];
  if (mode === 'recover') {
    const report = await recoverRuns({ agent: agentId => registry.get(agentId), workspaceRoot: workspace, planningRoot: index.planningRoot, runs, events, log, planningWriter });
    await index.coldIndex();
    for (const { taskId, attempt } of report.redispatch) {
      const outcome = await dispatcher.dispatch(taskId, { resume: true, attempt });
      if (outcome.status === 'started') started.push(outcome.runId);
    }
    // A task recovery left in pending/ is dispatched the normal way.
    if (index.byId('crash-me').some(entry => entry.folder === 'pending')) {
      const outcome = await dispatcher.dispatch('crash-me');
      if (outcome.status === 'started') started.push(outcome.runId);
    }
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    const outcome = await dispatcher.dispatch('crash-me');
    if (outcome.status !== 'started') throw new Error(`not started: ${outcome.reason}`);
    started.push(outcome.runId);
  }
  for (const runId of started) await dispatcher.whenDone(runId);
  await events.flush();
  await dispatcher.dispose();
  index.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
