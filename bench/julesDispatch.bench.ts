import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AgentBackend, DispatchRequest } from '../src/core/agents/agentBackend';
import { JulesBackend } from '../src/core/agents/jules/julesBackend';
import { createDispatchRuntime } from '../src/core/dispatch/dispatchRuntime';
import { createLogger } from '../src/core/logging/logger';
import { Redactor } from '../src/core/logging/redactor';
import { QueueIndex } from '../src/core/queue/queueIndex';
import { parseTaskFile } from '../src/core/tasks/parseTaskFile';
import { startFakeJules } from '../test/fakes/jules/fakeJules';
import { median, type Measurement } from './measure';

const dispatches = 10;

/**
 * Dispatch → first agent event for `jules`, against the fake Jules over loopback HTTP: from `dispatch()` (the
 * task picked) through selection with its health check, run record and move, the search for a session a
 * restart left, and the create, to the backend's first event ("created Jules session …").
 */
export async function julesDispatchBench(): Promise<Measurement[]> {
  const root = await mkdtemp(join(tmpdir(), 'ato-jules-bench-'));
  const fake = await startFakeJules({ concurrentLimit: dispatches, dailySessions: 0 });
  const git = (...args: string[]): void => { execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: root, stdio: 'ignore' }); };
  try {
    for (const folder of ['pending', 'processed', 'complete']) await mkdir(join(root, 'planning', 'issue_queue', folder), { recursive: true });
    await writeFile(join(root, 'README.md'), '# bench\n');
    git('init', '--quiet', '--initial-branch=main');
    git('add', '--all');
    git('commit', '--quiet', '-m', 'initial');
    git('remote', 'add', 'origin', 'https://github.com/acme/app.git');
    for (let n = 0; n < dispatches; n++) await writeFile(join(root, 'planning', 'issue_queue', 'pending', `bench-${n}.task.md`), `---\nagent: jules\n---\n# Bench ${n}\n\nDo nothing.\n`);
    const index = new QueueIndex({ planningRoot: join(root, 'planning'), parse: parseTaskFile, workspaceRoot: root });
    await index.coldIndex();
    const redactor = new Redactor();
    const log = createLogger({ write: () => undefined }, redactor);
    const jules = new JulesBackend({ apiUrl: fake.apiUrl, apiKey: fake.apiKey, workspaceRoot: root, concurrent: dispatches, dailySessions: 0, requirePlanApproval: true, startingBranch: '', requestTimeoutMs: 10_000, log });
    let began = 0;
    const firstEvents: number[] = [];
    // The agent as the fleet sees it, timing the first event it emits for each run.
    const timed: AgentBackend = Object.assign(Object.create(jules) as JulesBackend, {
      dispatch: (request: DispatchRequest) => {
        let seen = false;
        return jules.dispatch({ ...request, onOutput: output => { if (!seen) { seen = true; firstEvents.push(performance.now() - began); } request.onOutput(output); } });
      },
    });
    const runtime = createDispatchRuntime({ workspaceRoot: root, index, agents: [timed], maxConcurrentRuns: dispatches, defaultTimeoutMs: 60_000, redactor, events: { append: () => Promise.resolve() }, log });
    for (let n = 0; n < dispatches; n++) {
      began = performance.now();
      const outcome = await runtime.dispatcher.dispatch(`bench-${n}`);
      if (outcome.status !== 'started') throw new Error(outcome.reason);
    }
    jules.dispose();
    await runtime.dispatcher.dispose();
    index.dispose();
    return [{ name: `jules: dispatch → first agent event (median of ${dispatches}, fake Jules)`, value: median(firstEvents), unit: 'ms' }];
  } finally {
    await fake.stop();
    await rm(root, { recursive: true, force: true });
  }
}
