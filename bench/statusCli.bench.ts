import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { startFakeGitHub } from '../test/fakes/github/fakeGitHub';
import { cloneApp, scenarioFile } from '../test/integration/loop/loopHarness';
import { median, type Measurement } from './measure';

const execFileAsync = promisify(execFile);
const runs = 11;

/**
 * Issue 14: `ato status --json` for one small repository against a warm fake GitHub (the planning-loop
 * scenario, a real clone), a cold process each time: wall time from spawn to exit, and the process's own CPU
 * time. The first run warms the fake and the disk cache and is not counted. Uses dist/cli.js as built.
 */
export async function statusCliBench(): Promise<Measurement[]> {
  const cli = join(__dirname, '..', 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`status bench: build the CLI first (node esbuild.mjs): ${cli} is missing`);
  const directory = await mkdtemp(join(tmpdir(), 'ato-status-bench-'));
  const fake = await startFakeGitHub({ scenario: scenarioFile });
  try {
    const workspace = await cloneApp(fake, directory);
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ATO_|GITHUB_TOKEN$|GH_TOKEN$)/.test(name)));
    const env = { ...clean, GIT_TERMINAL_PROMPT: '0', ATO_GITHUB_TOKEN: fake.token, ATO_GITHUB_API_URL: fake.apiUrl };
    const walls: number[] = [];
    const cpus: number[] = [];
    let requests = 0;
    for (let n = 0; n <= runs; n++) {
      fake.resetRequests();
      const began = performance.now();
      const { stdout, stderr } = await execFileAsync(process.execPath, ['-r', join(__dirname, 'cpuAtExit.cjs'), cli, 'status', '--json', '--workspace', workspace], { env });
      const wall = performance.now() - began;
      const document = JSON.parse(stdout) as { loop?: { available?: boolean; reason?: string } };
      if (document.loop?.available !== true) throw new Error(`status bench: the loop is not available: ${document.loop?.reason ?? stdout}`);
      const cpu = /ato-bench-cpu ([\d.]+)\s*$/.exec(stderr);
      if (cpu?.[1] === undefined) throw new Error(`status bench: no CPU figure in stderr: ${stderr}`);
      if (n === 0) continue;
      walls.push(wall);
      cpus.push(Number(cpu[1]));
      requests = fake.requests.length;
    }
    return [
      { name: `ato status --json, warm fake GitHub, median of ${String(runs)} cold processes`, value: median(walls), unit: 'ms', goal: '≤ 300 ms' },
      { name: 'ato status --json, CPU time of the process (median)', value: median(cpus), unit: 'ms' },
      { name: 'ato status --json, fastest', value: Math.min(...walls), unit: 'ms' },
      { name: 'ato status --json, requests to the fake (API and git)', value: requests, unit: 'requests' },
    ];
  } finally {
    await fake.stop();
    await rm(directory, { recursive: true, force: true });
  }
}
