import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redactor } from '../src/core/logging/redactor';
import { buildPanelSnapshot } from '../src/core/state/panelSnapshot';
import { aCycleState, cycleIds, writeCycleQueue } from '../test/support/cycleQueue';
import { heapUsed, median, medianMs, type Measurement } from './measure';

const cliTasks = 10_000;
const panelFiles = 2_500;
const panelIdLength = 120;

/**
 * Issue 9 C2, one dependency cycle through the whole queue: `ato tasks --json` (the built `dist/cli.js`, a
 * real process on real files) over 10,000 tasks in one cycle — wall time and output size — and the panel
 * snapshot of 2,500 files with 120-character ids in one cycle — time, size and the heap it holds.
 */
export async function cyclesBench(): Promise<Measurement[]> {
  const results: Measurement[] = [];
  const directory = await mkdtemp(join(tmpdir(), 'ato-cycles-bench-'));
  try {
    await writeCycleQueue(join(directory, 'planning'), cycleIds(cliTasks));
    const runs: { ms: number; bytes: number }[] = [];
    for (let run = 0; run < 3; run++) runs.push(await cliTasksJson(directory));
    results.push({ name: `ato tasks --json, ${cliTasks} tasks in one cycle: wall time, median of 3`, value: median(runs.map(r => r.ms)), unit: 'ms', goal: '< 2000 ms' });
    results.push({ name: `ato tasks --json, ${cliTasks} tasks in one cycle: output`, value: (runs[0]?.bytes ?? Number.NaN) / 1024 / 1024, unit: 'MB', goal: '< 5 MB' });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }

  const state = aCycleState(cycleIds(panelFiles, panelIdLength));
  const snapshotMs = await medianMs(() => buildPanelSnapshot(state, new Redactor()), { warmup: 2, budgetMs: 1000, minRuns: 5 });
  results.push({ name: `panel snapshot, ${panelFiles} files with ${panelIdLength}-char ids in one cycle, cold`, value: snapshotMs, unit: 'ms' });
  const before = heapUsed();
  const snapshot = buildPanelSnapshot(state, new Redactor());
  const held = heapUsed() - before;
  results.push({ name: `panel snapshot, ${panelFiles} files in one cycle: JSON size`, value: Buffer.byteLength(JSON.stringify(snapshot)) / 1024 / 1024, unit: 'MB' });
  results.push({ name: `panel snapshot, ${panelFiles} files in one cycle: heap held${global.gc === undefined ? ' — no --expose-gc' : ''}`, value: held / 1024 / 1024, unit: 'MB' });
  return results;
}

/** One `node dist/cli.js tasks --json` in `workspace`: wall time from spawn to exit, bytes on stdout. */
function cliTasksJson(workspace: string): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['dist/cli.js', 'tasks', '--json', '--workspace', workspace], { stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: process.env['PATH'] } });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => { bytes += chunk.length; });
    child.on('error', reject);
    child.on('close', code => {
      if (code !== 0) reject(new Error(`ato tasks --json exited ${String(code)}`));
      else resolve({ ms: performance.now() - started, bytes });
    });
  });
}
