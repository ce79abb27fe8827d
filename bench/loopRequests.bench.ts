import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startFakeGitHub, type FakeGitHub, type FakeRequest } from '../test/fakes/github/fakeGitHub';
import { cloneApp } from '../test/integration/loop/loopHarness';
import { openKitLoop, type KitLoop } from '../test/integration/loop/loopKit';
import type { Measurement } from './measure';
import { benchOwner, benchRepo, loopBenchScenario, openPullRequestsUpTo, setFirstCheckPending } from './openPullRequestsScenario';
import { seedStylePoll } from './seedBaselinePoller';

const sizes = [10, 100, 500] as const;
const largest = 500;
/** Fresh loops whose first tick is timed at the largest size (the median is reported: the machine is shared). */
const wallTimeSamples = 3;

interface Tally {
  /** REST + GraphQL requests: what GitHub's rate limits and the goals count. */
  readonly requests: number;
  /** Rate-limit points: 1 per REST answer (0 for a 304) plus each GraphQL query's cost. */
  readonly points: number;
  /** git smart-HTTP requests (the planning branch's fetch), listed apart: no rate limit applies. */
  readonly git: number;
}

/**
 * Issue 4 "Speed": requests and rate-limit points per tick of the GitHub loop with 10, 100 and 500 open
 * PRs, against the fake GitHub over real HTTP and a real clone, counted where GitHub would count them (the
 * fake's request log), next to a poll the way seed 002 polls (`seedBaselinePoller.ts`). The loop waits in
 * stage 1a (its gap-analysis issue is open and assigned, no PR yet) and every PR's CI is green, so after
 * the first tick nothing is in flight and the next tick is really idle. One fake grows from 10 to 500 PRs;
 * each size gets fresh loops (a fresh ETag cache: the first tick reads everything). The ratio compares the
 * baseline with ATO's full tick, its dearest ordinary tick. "While CI runs" is the tick the loop repeats
 * every `loop.pollSecondsActive` as long as any open PR has a pending check: the probe cannot see checks.
 */
export async function loopRequestsBench(): Promise<Measurement[]> {
  const results: Measurement[] = [];
  const directory = await mkdtemp(join(tmpdir(), 'ato-loop-requests-bench-'));
  const fake = await startFakeGitHub({ scenario: loopBenchScenario() });
  const loops: KitLoop[] = [];
  const openLoop = async (root: string): Promise<KitLoop> => {
    const loop = await openKitLoop(fake, root);
    loops.push(loop);
    return loop;
  };
  try {
    const root = await cloneApp(fake, directory);
    let atoFullAtLargest: Tally | undefined;
    let baselineAtLargest: Tally | undefined;
    for (const size of sizes) {
      await openPullRequestsUpTo(fake, size);
      const loop = await openLoop(root);
      const full = await measure(fake, () => tickWaitingIn1a(loop));
      const idle = await measure(fake, () => tickWaitingIn1a(loop));
      const baseline = await measure(fake, () => baselinePoll(fake));
      const baselineIdle = await measure(fake, () => baselinePoll(fake));
      // CI running on one PR: the cheap probe cannot see check runs, so while one is pending every tick
      // reads everything. A fresh loop's first tick sees the pending run; its second is the one counted.
      await setFirstCheckPending(fake, true);
      const busyLoop = await openLoop(root);
      await tickWaitingIn1a(busyLoop);
      const busy = await measure(fake, () => tickWaitingIn1a(busyLoop));
      await setFirstCheckPending(fake, false);
      results.push(
        ...figures(`ATO full tick (reads everything), ${size} PRs`, full),
        { name: `ATO full tick, ${size} PRs: git fetch (no rate limit)`, value: full.git, unit: 'git requests' },
        ...figures(`ATO idle tick (nothing changed), ${size} PRs`, idle, { requests: '≤ 1', points: '0' }),
        ...figures(`ATO tick while CI runs on one PR, ${size} PRs`, busy),
        ...figures(`baseline (seed 002) poll, ${size} PRs`, baseline),
        ...figures(`baseline idle poll (nothing changed), ${size} PRs`, baselineIdle),
      );
      if (size === largest) {
        atoFullAtLargest = full;
        baselineAtLargest = baseline;
      }
    }
    if (atoFullAtLargest !== undefined && baselineAtLargest !== undefined) {
      results.push({ name: `ATO vs baseline, ${largest} PRs (baseline ÷ ATO full tick)`, value: baselineAtLargest.requests / atoFullAtLargest.requests, unit: '×', goal: '≥ 50' });
    }
    // The first read above also filled the fake's memo of git answers (mergeability per PR), so these
    // samples time ATO, HTTP and the fake's GraphQL, not 500 `git merge-tree` runs.
    const times: number[] = [];
    for (let sample = 0; sample < wallTimeSamples; sample++) {
      const loop = await openLoop(root);
      const start = performance.now();
      await tickWaitingIn1a(loop);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    results.push({ name: `ATO full tick wall time, ${largest} PRs (median of ${wallTimeSamples} loops)`, value: times[Math.floor(times.length / 2)] ?? Number.NaN, unit: 'ms' });
    return results;
  } finally {
    for (const loop of loops) loop.result.engine.dispose();
    await fake.stop();
    await rm(directory, { recursive: true, force: true });
  }
}

/** A tick's requests and points as two figures, with their goals. */
function figures(name: string, counts: Tally, goals: { readonly requests?: string; readonly points?: string } = {}): Measurement[] {
  return [
    { name, value: counts.requests, unit: 'requests', ...(goals.requests === undefined ? {} : { goal: goals.requests }) },
    { name: `${name}, points`, value: counts.points, unit: 'points', ...(goals.points === undefined ? {} : { goal: goals.points }) },
  ];
}

/** Runs `work` and counts what reached the fake meanwhile. */
async function measure(fake: FakeGitHub, work: () => Promise<unknown>): Promise<Tally> {
  fake.resetRequests();
  await work();
  return tally(fake.requests);
}

function tally(requests: readonly FakeRequest[]): Tally {
  const api = requests.filter(request => request.resource !== 'git');
  return { requests: api.length, points: api.reduce((sum, request) => sum + request.points, 0), git: requests.length - api.length };
}

/**
 * One tick, which must find the world the bench built: stage 1a waiting for the agent, no action. Anything
 * else means the scenario is wrong, and so would the figures be.
 */
async function tickWaitingIn1a(loop: KitLoop): Promise<void> {
  const report = await loop.result.engine.tickNow();
  const stage = report.plan.stage;
  const acting = report.plan.tracks.some(track => track.action !== undefined) || report.outcomes.length > 0;
  if (stage?.stage !== '1a' || stage.action !== undefined || acting || !stage.reason.startsWith('Waiting for')) {
    throw new Error(`loop bench: expected stage 1a waiting for the agent with no action, got ${stage?.stage ?? 'no stage'}: ${stage?.reason ?? ''}`);
  }
}

async function baselinePoll(fake: FakeGitHub): Promise<void> {
  const counted = await seedStylePoll(fake.apiUrl, fake.token, benchOwner, benchRepo);
  const seen = fake.requests.filter(request => request.resource !== 'git').length;
  if (counted.requests !== seen) throw new Error(`loop bench: the baseline counted ${String(counted.requests)} requests, the fake saw ${String(seen)}`);
}
