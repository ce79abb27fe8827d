import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AgentBackend, AgentHealth } from '../src/core/agents/agentBackend';
import { AgentRegistry } from '../src/core/agents/fleet/agentRegistry';
import { ConcurrencyLimiter } from '../src/core/agents/fleet/concurrencyLimiter';
import { Fleet } from '../src/core/agents/fleet/fleet';
import { computeSuccessRates } from '../src/core/agents/fleet/successRates';
import { CustomCliBackend } from '../src/core/agents/custom/customCliBackend';
import { customAgentSettingsSchema } from '../src/core/agents/custom/customAgentSettings';
import { createDispatchRuntime } from '../src/core/dispatch/dispatchRuntime';
import { DispatchQueue } from '../src/core/dispatch/dispatchQueue';
import { createLogger } from '../src/core/logging/logger';
import { Redactor } from '../src/core/logging/redactor';
import { QueueIndex } from '../src/core/queue/queueIndex';
import { newRunRecord, type RunRecord } from '../src/core/runs/runRecord';
import { parseTaskFile } from '../src/core/tasks/parseTaskFile';
import { taskPriorities, taskTypes } from '../src/core/tasks/taskTypes';
import type { Measurement } from './measure';
import { initBenchRepository } from './benchRepository';

const tasks = 10_000;
const history = 5_000;

/**
 * Selection with headroom: 10,000 `auto` tasks of every type and priority, each chosen among 6 agents of
 * 4 vendors (caps, budgets and one closed window in force), with a ledger built from 5,000 run records.
 */
export async function fleetSelectionBench(): Promise<Measurement[]> {
  const kinds: AgentBackend['kind'][] = ['claude-code', 'claude', 'copilot', 'jules', 'custom', 'custom'];
  const unused = (): Promise<never> => Promise.reject(new Error('not used'));
  const agents: AgentBackend[] = kinds.map((kind, i) => ({ id: kind === 'custom' ? `custom-${i}` : kind, kind, taskTypes: new Set(taskTypes), limits: { concurrent: 3 }, needsWorktree: false, health: unused, dispatch: unused, poll: unused, wait: unused, cancel: unused }));
  const now = new Date('2026-12-07T14:00:00.000Z');
  const fleet = new Fleet({
    agents,
    settings: { limits: { 'custom-4': { dailyRuns: 1_000_000 }, 'claude-code': { dailyRuns: 1_000_000 } }, budgets: { anthropic: { dailyUsd: 1e6, monthlyUsd: 1e6 }, github: { monthlyUsd: 1e6 } }, copilotPremiumRequestUsd: 0.04, startsPerMinute: 6 },
    events: { append: () => Promise.resolve() },
    now: () => now,
  });
  const records: RunRecord[] = Array.from({ length: history }, (_, n) => {
    const agent = agents[n % agents.length];
    const base = newRunRecord({ runId: `r-${n}`, taskId: `t-${n}`, taskFile: `planning/issue_queue/complete/t-${n}.md`, taskType: taskTypes[n % taskTypes.length] ?? 'feature', agentId: agent?.id ?? 'custom-4', reason: 'bench' }, () => new Date(now.getTime() - (n % 40) * 3_600_000));
    return { ...base, state: n % 5 === 0 ? 'failed' : 'succeeded', attempts: 1, usage: { costUsd: 0.01 } };
  });
  const loadStart = performance.now();
  await fleet.ensureLoaded();
  for (const record of records) fleet.observe(record);
  const loadMs = performance.now() - loadStart;
  await fleet.closeWindow('jules', { until: new Date(now.getTime() + 600_000).toISOString(), source: 'retryAfter' }, undefined);
  const registry = new AgentRegistry(agents);
  const limiter = ConcurrencyLimiter.fromBackends(agents, 32);
  const health = new Map<string, AgentHealth>(agents.map(agent => [agent.id, { ok: true, detail: 'bench' }]));
  const successRates = computeSuccessRates(records);
  const inputs = { health, load: (id: string) => limiter.load(id), successRates, headroom: (id: string) => fleet.headroom(id) };
  const work = Array.from({ length: tasks }, (_, n) => ({ agent: 'auto', type: taskTypes[n % taskTypes.length] ?? 'feature', priority: taskPriorities[n % taskPriorities.length] ?? 'medium' }));
  let selected = 0;
  const start = performance.now();
  for (const task of work) if (registry.select(task, inputs).status === 'selected') selected++;
  const totalMs = performance.now() - start;
  if (selected !== tasks) throw new Error(`only ${selected} of ${tasks} selections chose an agent`);
  return [
    { name: `ledger from ${history} run records`, value: loadMs, unit: 'ms' },
    { name: `selection with headroom, ${tasks} tasks × ${agents.length} agents, total`, value: totalMs, unit: 'ms' },
    { name: 'selection with headroom, per task', value: (totalMs / tasks) * 1000, unit: 'µs' },
  ];
}

/**
 * Burst-safe starts: 10 tasks dispatched at once to one custom CLI agent that takes 3 at a time (ATO's
 * default stagger, 6 starts a minute): how many failed (goal 0), and how long until every one was running
 * or queued.
 */
export async function fleetBurstBench(): Promise<Measurement[]> {
  const root = await mkdtemp(join(tmpdir(), 'ato-burst-bench-'));
  try {
    await initBenchRepository(root);
    const ids = Array.from({ length: 10 }, (_, n) => `burst-${n}`);
    for (const id of ids) await writeFile(join(root, 'planning', 'issue_queue', 'pending', `${id}.task.md`), `---\nagent: slow\n---\n# ${id}\n\nWait.\n`);
    const index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await index.coldIndex();
    const agent = new CustomCliBackend(customAgentSettingsSchema.parse({ id: 'slow', command: process.execPath, args: ['-e', 'setTimeout(() => {}, 30000)'], concurrent: 3 }));
    const redactor = new Redactor();
    const runtime = createDispatchRuntime({
      workspaceRoot: root, index, agents: [agent], maxConcurrentRuns: 10, defaultTimeoutMs: 60_000, redactor,
      events: { append: () => Promise.resolve() }, log: createLogger({ write: () => undefined }, redactor),
      fleet: { limits: {}, budgets: {}, copilotPremiumRequestUsd: 0.04, startsPerMinute: 6 },
    });
    const queue = new DispatchQueue(runtime.dispatcher, createLogger({ write: () => undefined }, redactor));
    const start = performance.now();
    const outcomes = await queue.submit(ids);
    const settledMs = performance.now() - start;
    const failed = outcomes.filter(outcome => outcome.status !== 'started' && outcome.status !== 'queued').length;
    const running = outcomes.filter(outcome => outcome.status === 'started').length;
    queue.dispose();
    await runtime.dispatcher.dispose();
    index.dispose();
    return [
      { name: '10 dispatches at once, 3-session cap: failed', value: failed, unit: 'tasks', goal: '0' },
      { name: '10 dispatches at once, 3-session cap: running / queued at once', value: running, unit: `running, ${10 - running - failed} queued` },
      { name: '10 dispatches at once: time until all running or queued', value: settledMs, unit: 'ms' },
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
