import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AgentBackend } from '../src/core/agents/agentBackend';
import { ClaudeApiBackend } from '../src/core/agents/claude/claudeApiBackend';
import { JulesBackend } from '../src/core/agents/jules/julesBackend';
import { createDispatchRuntime } from '../src/core/dispatch/dispatchRuntime';
import { createLogger } from '../src/core/logging/logger';
import { Redactor } from '../src/core/logging/redactor';
import { QueueIndex } from '../src/core/queue/queueIndex';
import { parseTaskFile } from '../src/core/tasks/parseTaskFile';
import { startFakeAnthropic } from '../test/fakes/fakeAnthropicServer';
import { startFakeJules } from '../test/fakes/jules/fakeJules';
import type { Measurement } from './measure';
import { initBenchRepository } from './benchRepository';

const dispatches = 10;

/** The agent, with every output it reports timed against `since()`. */
function timed(agent: AgentBackend, since: () => number, first: number[], firstFromModel: number[]): AgentBackend {
  return {
    id: agent.id, kind: agent.kind, taskTypes: agent.taskTypes, limits: agent.limits, needsWorktree: agent.needsWorktree,
    health: () => agent.health(),
    poll: handle => agent.poll(handle),
    wait: handle => agent.wait(handle),
    cancel: handle => agent.cancel(handle),
    dispatch: request => {
      let seen = false;
      let seenModel = false;
      return agent.dispatch({
        ...request,
        onOutput: output => {
          if (!seen) first.push(performance.now() - since());
          seen = true;
          if (!seenModel && output.text.startsWith('the model started answering')) firstFromModel.push(performance.now() - since());
          seenModel ||= output.text.startsWith('the model started answering');
          request.onOutput(output);
        },
      });
    },
  };
}

/**
 * Dispatch → first agent event, per backend, through the real dispatcher. `claude`: the real SDK against
 * the fake Messages API on 127.0.0.1 (so the network is a loopback): the first event is ATO's "sending…"
 * line (target files read, request built), the first from the model is its `message_start`. The first
 * dispatch includes loading the SDK.
 */
export async function firstEventBench(): Promise<Measurement[]> {
  const root = await mkdtemp(join(tmpdir(), 'ato-first-event-bench-'));
  const fake = await startFakeAnthropic({ scenario: { kind: 'text', text: 'Fine.' } });
  try {
    for (const folder of ['pending', 'processed', 'complete']) await mkdir(join(root, 'planning', 'issue_queue', folder), { recursive: true });
    await writeFile(join(root, 'app.ts'), 'export const app = 1;\n'.repeat(200));
    for (let n = 0; n < dispatches; n++) await writeFile(join(root, 'planning', 'issue_queue', 'pending', `review-${String(n)}.task.md`), `---\ntype: review\nagent: claude\n---\n# Review ${String(n)}\n\n**Target Files:**\n- app.ts\n\n**Prompt:**\nReview it.\n`);
    const index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await index.coldIndex();
    const first: number[] = [];
    const fromModel: number[] = [];
    let began = 0;
    const agent = timed(new ClaudeApiBackend({ apiKey: 'sk-ant-bench-0000000000', apiUrl: fake.url, model: 'claude-sonnet-5-5', maxTokens: 1024 }), () => began, first, fromModel);
    const redactor = new Redactor();
    const runtime = createDispatchRuntime({ workspaceRoot: root, index, agents: [agent], maxConcurrentRuns: 1, defaultTimeoutMs: 60_000, redactor, events: { append: () => Promise.resolve() }, log: createLogger({ write: () => undefined }, redactor) });
    for (let n = 0; n < dispatches; n++) {
      began = performance.now();
      const outcome = await runtime.dispatcher.dispatch(`review-${String(n)}`);
      if (outcome.status !== 'started') throw new Error(outcome.reason);
      const record = await runtime.dispatcher.whenDone(outcome.runId);
      if (record?.state !== 'succeeded') throw new Error(`run ${outcome.runId} ended ${record?.state ?? 'unknown'}`);
    }
    await runtime.dispatcher.dispose();
    index.dispose();
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
    return [
      ...vendorLoad(),
      ...(await julesFirstEvent()),
      { name: 'claude: dispatch → first agent event, first run (SDK load included)', value: first[0] ?? Number.NaN, unit: 'ms' },
      { name: `claude: dispatch → first agent event, median of ${String(dispatches)}`, value: median(first), unit: 'ms' },
      { name: `claude: dispatch → the model's first event (loopback fake), median of ${String(dispatches)}`, value: median(fromModel), unit: 'ms' },
    ];
  } finally {
    await fake.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** What the product pays on the first claude run: requiring the bundled SDK (dist/vendor/anthropic.js) in a fresh node. */
function vendorLoad(): Measurement[] {
  const vendor = join('dist', 'vendor', 'anthropic.js');
  if (!existsSync(vendor)) return [];
  const script = `const t = performance.now(); require(${JSON.stringify(join(process.cwd(), vendor))}); process.stdout.write(String(performance.now() - t));`;
  const runs = Array.from({ length: 3 }, () => Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })));
  return [{ name: 'claude: loading dist/vendor/anthropic.js (the bundled SDK), median of 3', value: runs.sort((a, b) => a - b)[1] ?? Number.NaN, unit: 'ms' }];
}

/**
 * `jules` against the fake Jules over loopback HTTP: from `dispatch()` through selection with its health
 * check (origin → source), run record and move, the search for a session a restart left, and the create,
 * to the backend's first event ("created Jules session …"). The sessions stay open (plan approval).
 */
async function julesFirstEvent(): Promise<Measurement[]> {
  const root = await mkdtemp(join(tmpdir(), 'ato-jules-first-event-bench-'));
  const fake = await startFakeJules({ concurrentLimit: dispatches, dailySessions: 0 });
  try {
    const git = await initBenchRepository(root);
    git('remote', 'add', 'origin', 'https://github.com/acme/app.git');
    for (let n = 0; n < dispatches; n++) await writeFile(join(root, 'planning', 'issue_queue', 'pending', `bench-${String(n)}.task.md`), `---\nagent: jules\n---\n# Bench ${String(n)}\n\nDo nothing.\n`);
    const index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await index.coldIndex();
    const redactor = new Redactor();
    const log = createLogger({ write: () => undefined }, redactor);
    const jules = new JulesBackend({ apiUrl: fake.apiUrl, apiKey: fake.apiKey, workspaceRoot: root, concurrent: dispatches, dailySessions: 0, requirePlanApproval: true, startingBranch: '', requestTimeoutMs: 10_000, log });
    const first: number[] = [];
    let began = 0;
    const runtime = createDispatchRuntime({ workspaceRoot: root, index, agents: [timed(jules, () => began, first, [])], maxConcurrentRuns: dispatches, defaultTimeoutMs: 60_000, redactor, events: { append: () => Promise.resolve() }, log });
    for (let n = 0; n < dispatches; n++) {
      began = performance.now();
      const outcome = await runtime.dispatcher.dispatch(`bench-${String(n)}`);
      if (outcome.status !== 'started') throw new Error(outcome.reason);
    }
    jules.dispose();
    await runtime.dispatcher.dispose();
    index.dispose();
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
    return [{ name: `jules: dispatch → first agent event (fake Jules), median of ${String(dispatches)}`, value: median(first), unit: 'ms' }];
  } finally {
    await fake.stop();
    await rm(root, { recursive: true, force: true });
  }
}
