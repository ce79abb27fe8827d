import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ciWorkflowPath } from '../src/core/ci/ciWorkflow';
import { startFakeGitHub, type FakeRequest } from '../test/fakes/github/fakeGitHub';
import { cloneApp, gitAsync, scenarioFile } from '../test/integration/loop/loopHarness';
import { openGapIssue } from '../test/integration/loop/loopKit';
import { runWorkflowJob, type ActionsEvent } from '../test/support/actionsRunner';
import type { Measurement } from './measure';

const execFileAsync = promisify(execFile);
/** Quiet time after the last run in which the fake must see no request: on CI nothing runs between events. */
const betweenEventsMs = 10_000;

/**
 * Issue 14 "The loop on CI": what one event-triggered run of the workflow `ato init-ci` writes costs, against
 * the fake GitHub, counted where GitHub counts (the fake's request log): each run is a fresh runner (a fresh
 * clone and no ETag cache, as on Actions) running the workflow's own steps (test/support/actionsRunner.ts).
 * Events: the first (the loop opens the gap analysis), the same event again with nothing changed, and
 * Copilot's pull request opening; then a quiet spell with no event, in which the fake must see nothing.
 * Uses dist/cli.js as `npm run bench` built it.
 */
export async function ciRequestsBench(): Promise<Measurement[]> {
  const cli = join(__dirname, '..', 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`ci bench: build the CLI first (node esbuild.mjs): ${cli} is missing`);
  const directory = await mkdtemp(join(tmpdir(), 'ato-ci-requests-bench-'));
  const fake = await startFakeGitHub({ scenario: scenarioFile });
  const roots: string[] = [];
  try {
    const clone = await cloneApp(fake, directory);
    await execFileAsync(process.execPath, [cli, 'init-ci', '--workspace', clone]);
    await gitAsync(clone, 'add', '.github');
    await gitAsync(clone, 'commit', '--quiet', '-m', 'ato init-ci');
    await gitAsync(clone, 'push', '--quiet', 'origin', 'main');
    const workflow = await readFile(join(clone, ciWorkflowPath), 'utf8');
    let runId = 1;
    const eventRun = async (event: ActionsEvent): Promise<Tally> => {
      fake.resetRequests();
      const run = await runWorkflowJob({
        workflow, job: 'tick', gitUrl: fake.gitUrl('octo', 'app'), repository: 'octo/app', apiUrl: fake.apiUrl, serverUrl: fake.apiUrl, event,
        secrets: { ATO_GITHUB_TOKEN: fake.token }, machineEnv: { ATO_GITHUB_REQUEST_SPACING_MS: '0' }, runId: runId++,
      });
      roots.push(run.root);
      if (run.conclusion !== 'success') throw new Error(`ci bench: the run failed:\n${JSON.stringify(run.steps, null, 2)}`);
      return tally(fake.requests);
    };
    const repository = { full_name: 'octo/app', default_branch: 'main' };
    const first = await eventRun({ name: 'issues', payload: { action: 'opened', issue: { number: 50 }, repository } });
    const unchanged = await eventRun({ name: 'issues', payload: { action: 'edited', issue: { number: 50 }, repository } });
    const gap = openGapIssue(fake);
    const pull = await fake.simulate.copilotOpensPullRequest(gap, { title: 'Gap analysis', files: { 'planning/issue_queue/pending/next.task.md': '# Next\n' } });
    const pullOpened = await eventRun({ name: 'pull_request', payload: { action: 'opened', number: pull, pull_request: { number: pull, head: { repo: repository } }, repository } });
    fake.resetRequests();
    await new Promise(resolve => setTimeout(resolve, betweenEventsMs));
    const between = tally(fake.requests);
    return [
      ...figures('CI run on the first event (opens the gap analysis)', first),
      ...figures('CI run on an event that changed nothing', unchanged),
      ...figures('CI run on Copilot\'s pull request opening', pullOpened),
      { name: `requests between events (${String(betweenEventsMs / 1000)} s, no event)`, value: between.requests + between.git, unit: 'requests', goal: '0' },
    ];
  } finally {
    for (const root of roots) await rm(root, { recursive: true, force: true });
    await fake.stop();
    await rm(directory, { recursive: true, force: true });
  }
}

interface Tally {
  readonly requests: number;
  readonly points: number;
  readonly git: number;
}

function tally(requests: readonly FakeRequest[]): Tally {
  const api = requests.filter(request => request.resource !== 'git');
  return { requests: api.length, points: api.reduce((sum, request) => sum + request.points, 0), git: requests.length - api.length };
}

function figures(name: string, counts: Tally): Measurement[] {
  return [
    { name, value: counts.requests, unit: 'requests' },
    { name: `${name}, points`, value: counts.points, unit: 'points' },
    { name: `${name}, git (clone, fetch, lease)`, value: counts.git, unit: 'git requests' },
  ];
}
