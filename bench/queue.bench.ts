import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { planningLayout, queueFolders, type QueueFolder } from '../src/core/planning/planningLayout';
import { QueueIndex } from '../src/core/queue/queueIndex';
import type { QueueSnapshot } from '../src/core/queue/queueEntries';
import { watchQueue } from '../src/core/queue/queueWatcher';
import { Store } from '../src/core/state/store';
import { parseTaskFile } from '../src/core/tasks/parseTaskFile';
import { taskPriorities } from '../src/core/tasks/taskTypes';
import { simpleTaskParser, taskFileText } from '../test/support/simpleTaskParser';
import { heapUsed, median, type Measurement } from './measure';

const fileCount = 10_000;
const latencyRuns = 20;

/**
 * The queue index over 10,000 task files: cold index, change → store latency through the real chokidar
 * watcher, and retained heap. Parsing uses the tests' small stand-in parser (a regex over the
 * frontmatter), not the real task-file parser, so the figures are the index's own cost.
 */
export async function queueBench(): Promise<Measurement[]> {
  const results: Measurement[] = [];
  const directory = await mkdtemp(join(tmpdir(), 'ato-queue-bench-'));
  const planningRoot = join(directory, 'planning');
  try {
    const files = await generate(planningRoot);

    const coldTimes: number[] = [];
    for (let run = 0; run < 3; run++) {
      const index = new QueueIndex({ planningRoot, parse: simpleTaskParser });
      const start = performance.now();
      await index.coldIndex();
      coldTimes.push(performance.now() - start);
      if (index.size !== fileCount) throw new Error(`indexed ${index.size} files, expected ${fileCount}`);
      index.dispose();
    }
    results.push({ name: `cold index, ${fileCount} files (test parser), median of 3`, value: median(coldTimes), unit: 'ms' });
    // The same with the real task-file parser: what the extension and the CLI do.
    const realTimes: number[] = [];
    for (let run = 0; run < 3; run++) {
      const index = new QueueIndex({ planningRoot, parse: parseTaskFile });
      const start = performance.now();
      await index.coldIndex();
      realTimes.push(performance.now() - start);
      index.dispose();
    }
    results.push({ name: `cold index, ${fileCount} files (real parser), median of 3`, value: median(realTimes), unit: 'ms', goal: '≤ 1500 ms' });

    const realHeapBefore = heapUsed();
    const realIndex = new QueueIndex({ planningRoot, parse: parseTaskFile });
    await realIndex.coldIndex();
    results.push({ name: `index retained heap, ${fileCount} entries (real parser)${global.gc === undefined ? ' — no --expose-gc' : ''}`, value: (heapUsed() - realHeapBefore) / 1024 / 1024, unit: 'MB', goal: '≤ 150 MB' });
    realIndex.dispose();

    const heapBefore = heapUsed();
    const index = new QueueIndex({ planningRoot, parse: simpleTaskParser });
    await index.coldIndex();
    const heapAfter = heapUsed();
    results.push({ name: `index retained heap, ${fileCount} entries (test parser)${global.gc === undefined ? ' — no --expose-gc' : ''}`, value: (heapAfter - heapBefore) / 1024 / 1024, unit: 'MB' });

    const rescan = performance.now();
    await index.coldIndex();
    results.push({ name: 'cold index again, nothing changed (stat only)', value: performance.now() - rescan, unit: 'ms' });

    const snapshotTimes: number[] = [];
    for (let run = 0; run < 10; run++) {
      const file = files.pending[run] ?? '';
      await writeFile(file, taskFileText({ id: `pending-${run}`, priority: 'high', body: `edited ${run}` }));
      await index.applyChange({ kind: 'change', file });
      const start = performance.now();
      index.snapshot();
      snapshotTimes.push(performance.now() - start);
    }
    results.push({ name: `snapshot after a pending change (orders ${files.pending.length} pending)`, value: median(snapshotTimes), unit: 'ms' });

    const watchStart = performance.now();
    const watcher = await watchQueue(index);
    results.push({ name: `watcher start (chokidar ready + re-index), ${fileCount} files`, value: performance.now() - watchStart, unit: 'ms' });
    try {
      const store = new Store<QueueSnapshot>(index.snapshot());
      const subscription = index.onDidChange(() => {
        store.update(() => index.snapshot());
      });
      const latencies: number[] = [];
      for (let run = 0; run < latencyRuns; run++) {
        const file = files.pending[100 + run] ?? '';
        const updated = new Promise<number>(resolve => {
          const listener = store.onDidChange(state => {
            const entries = [...state.pending.ready, ...state.pending.blocked.map(blocked => blocked.entry)];
            if (!entries.some(entry => entry.file === file && entry.result.task.title === `Changed ${run}`)) return;
            listener.dispose();
            resolve(performance.now());
          });
        });
        const start = performance.now();
        await writeFile(file, taskFileText({ id: `pending-${100 + run}`, title: `Changed ${run}` }));
        latencies.push(await withTimeout(updated, 5000) - start);
        await new Promise(resolve => setTimeout(resolve, 150));
      }
      subscription.dispose();
      results.push({ name: `file change → store update via chokidar, median of ${latencyRuns} (test parser)`, value: median(latencies), unit: 'ms', goal: '≤ 150 ms' });
      results.push({ name: `file change → store update via chokidar, worst of ${latencyRuns}`, value: Math.max(...latencies), unit: 'ms' });
    } finally {
      await watcher.close();
      index.dispose();
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  return results;
}

/** 60 % pending, 10 % processed, 30 % complete; some with dependencies, 1 % invalid. */
async function generate(planningRoot: string): Promise<Record<QueueFolder, string[]>> {
  const files: Record<QueueFolder, string[]> = { pending: [], processed: [], complete: [] };
  for (const folder of queueFolders) await mkdir(join(planningRoot, planningLayout[folder]), { recursive: true });
  const jobs: (() => Promise<void>)[] = [];
  for (let i = 0; i < fileCount; i++) {
    const folder: QueueFolder = i % 10 < 6 ? 'pending' : i % 10 === 6 ? 'processed' : 'complete';
    const id = `${folder}-${files[folder].length}`;
    const file = join(planningRoot, planningLayout[folder], `${id}.task.md`);
    files[folder].push(file);
    const text = i % 100 === 99 ? '# INVALID task\n' : taskFileText({
      id,
      title: `Task ${i}`,
      priority: taskPriorities[i % taskPriorities.length] ?? 'medium',
      created: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      ...(i % 7 === 0 ? { dependsOn: [`complete-${i % 50}`, `pending-${i % 30}`] } : {}),
      body: `**Prompt:**\nImplement part ${i} of the feature.\n\n**Success Criteria:**\n- [ ] It works\n`,
    });
    jobs.push(() => writeFile(file, text));
  }
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    for (let job = jobs[next++]; job !== undefined; job = jobs[next++]) await job();
  }));
  return files;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => { timer = setTimeout(() => { reject(new Error(`no store update within ${ms} ms`)); }, ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
