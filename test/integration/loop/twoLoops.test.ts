import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createGitHubPort } from '../../../src/core/forges/github/githubAdapter';
import type { GitHubPort } from '../../../src/core/forges/github/githubPort';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { defaultLeaseRef } from '../../../src/core/loop/engine/remoteLease';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { useTempDir } from '../../support/tempDir';
import { startAto } from '../cli/atoProcess';
import { startApiProxy, type ApiProxy } from './apiProxy';
import { cloneApp, scenarioFile, startFakeGitHub, useOriginVia } from './loopHarness';
import { commitsTouchingTask, fastRetry, foldersOf, issuesByMarker, openGapIssue, queueTask, taskIssueNumber } from './loopKit';

/**
 * PRODUCT §9, several loops on one repo: two `ato tick` processes, each on its own clone (two machines, so
 * only the remote lease `refs/ato/lease` separates them), tick at the same time from the same state, 50
 * times. A proxy in front of the fake holds both at their first lease read until both got there — both have
 * read the world and planned the same action, the worst case — then lets them race for the lease.
 * Exactly one acts, the other reports the lease, and nothing is ever doubled.
 */

const trials = 50;
const holders = ['alice', 'bob'] as const;
const leaseRead = /^\/repos\/octo\/app\/git\/ref\/ato(?:%2F|\/)lease$/;

interface TickOutput {
  readonly code: number | null;
  readonly holder: string;
  readonly outcomes: readonly { readonly action: string; readonly result: string; readonly message: string }[];
  readonly text: string;
}

async function cliTick(workspace: string, holder: string, apiUrl: string, token: string, onExit: () => void): Promise<TickOutput> {
  const ato = startAto(['tick', '--json', '--workspace', workspace], { ATO_GITHUB_API_URL: apiUrl, ATO_GITHUB_TOKEN: token, ATO_LOOP_HOLDER: holder, ATO_MERGE_AUTO: 'true', ATO_GITHUB_REQUEST_SPACING_MS: '0' });
  const { code, stdout, stderr } = await ato.exited.finally(onExit);
  let outcomes: TickOutput['outcomes'] = [];
  try {
    outcomes = (JSON.parse(stdout) as { outcomes?: TickOutput['outcomes'] }).outcomes ?? [];
  } catch {
    // Reported through `text` by the assertions.
  }
  return { code, holder, outcomes, text: `${holder} exit ${String(code)}\n${stdout}\n${stderr}` };
}

describe('two loop processes on one repo against the fake GitHub', function () {
  this.timeout(600_000);
  const tempDir = useTempDir('ato-two-loops-');
  let fake: FakeGitHub;
  let proxy: ApiProxy;
  let port: GitHubPort;

  before(async () => {
    fake = await startFakeGitHub({ scenario: scenarioFile });
    proxy = await startApiProxy(fake.apiUrl);
    port = await createGitHubPort({ repo: { owner: 'octo', name: 'app', apiUrl: fake.apiUrl }, token: fake.token, timeoutMs: 10_000, log: createLogger({ write: () => undefined }, new Redactor()), redactor: new Redactor(), userAgent: 'ato-test', retry: fastRetry });
  });
  after(async () => {
    await proxy.close();
    await fake.stop();
  });

  /** Between trials the lease is made free again: deleted (a race to create it) or expired (a race to take it over). */
  async function freeLease(trial: number): Promise<void> {
    const ref = await port.getRef(defaultLeaseRef);
    if (ref === undefined) return;
    if (trial % 4 < 2) {
      const response = await fetch(`${fake.apiUrl}/repos/octo/app/git/refs/ato/lease`, { method: 'DELETE', headers: { authorization: `token ${fake.token}` } });
      assert.equal(response.status, 204);
      return;
    }
    const last = await port.getCommit(ref.sha);
    const past = new Date(Date.now() - 60_000).toISOString();
    const sha = await port.createCommit({ message: JSON.stringify({ holder: 'gone', expiresAt: past, acquiredAt: past }), treeSha: last.treeSha, parents: [ref.sha] });
    await port.updateRefFastForward(defaultLeaseRef, sha);
  }

  it(`${String(trials)} trials, both ticking at once from the same state: exactly one acts each time, zero duplicates`, async () => {
    const started = Date.now();
    const directory = tempDir();
    const workspaces: string[] = [];
    for (const holder of holders) {
      await mkdir(join(directory, holder));
      const root = await cloneApp(fake, join(directory, holder));
      await useOriginVia(root, proxy.url);
      workspaces.push(root);
    }
    const promoted: string[] = [];
    let gapTrials = 0;
    const wins = new Map<string, number>();
    for (let trial = 0; trial < trials; trial++) {
      // Even trials open the gap analysis; odd ones promote a newly queued task.
      const expected = trial % 2 === 0 ? 'ensureGapIssue' : 'promoteTask';
      const taskId = `race-${String(trial)}`;
      if (expected === 'promoteTask') await queueTask(fake, taskId);
      await freeLease(trial);
      proxy.arm(leaseRead, holders.length);
      const results = await Promise.all(holders.map((holder, index) => cliTick(workspaces[index] ?? '', holder, proxy.url, fake.token, () => { proxy.release(); })));
      const context = `trial ${String(trial)}:\n${results.map(r => r.text).join('\n')}`;
      assert.equal(proxy.lastReleased, holders.length, `both reached the lease together. ${context}`);
      for (const result of results) assert.equal(result.code, 0, context);
      const acted = results.filter(r => r.outcomes.length === 1 && r.outcomes[0]?.action === expected && r.outcomes[0].result === 'done');
      const waited = results.filter(r => r.outcomes.length === 1 && r.outcomes[0]?.action === expected && r.outcomes[0].result === 'skipped');
      assert.equal(acted.length, 1, `exactly one acted. ${context}`);
      assert.equal(waited.length, 1, `the other waited. ${context}`);
      const winner = acted[0]?.holder ?? '';
      assert.match(waited[0]?.outcomes[0]?.message ?? '', new RegExp(`Another loop \\(${winner}\\) holds the lease`), context);
      wins.set(winner, (wins.get(winner) ?? 0) + 1);

      // What the trial changed on GitHub, then close it by hand so the next trial starts from a state with work.
      if (expected === 'ensureGapIssue') {
        gapTrials++;
        assert.equal(issuesByMarker(fake).gap, gapTrials, `one new gap-analysis issue. ${context}`);
        await fake.simulate.closeIssue(openGapIssue(fake), 'completed');
      } else {
        promoted.push(taskId);
        assert.equal(issuesByMarker(fake).tasks.get(taskId), 1, `one issue for ${taskId}. ${context}`);
        await fake.simulate.closeIssue(taskIssueNumber(fake, taskId), 'not_planned');
      }
    }

    // Zero duplicates over all trials: issues by marker, and every task moved exactly once.
    const counts = issuesByMarker(fake);
    assert.equal(counts.gap, trials / 2);
    assert.equal(fake.state.repo('octo', 'app').issues.length, trials, 'one issue per trial, no other');
    assert.deepEqual([...counts.tasks.keys()].sort(), [...promoted].sort());
    assert.ok([...counts.tasks.values()].every(count => count === 1));
    for (const taskId of promoted) {
      assert.deepEqual(await foldersOf(fake, taskId), ['processed'], taskId);
      assert.equal(await commitsTouchingTask(fake, taskId), 2, `${taskId}: queued, then moved once`);
    }
    process.stdout.write(`      ${String(trials)} trials in ${String(Math.round((Date.now() - started) / 100) / 10)} s; wins ${JSON.stringify(Object.fromEntries(wins))}\n`);
  });
});
