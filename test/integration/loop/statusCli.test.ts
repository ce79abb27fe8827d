import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statusDocumentSchema, type StatusDocument } from '../../../src/core/state/statusDocument';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { cloneApp, scenarioFile, startFakeGitHub } from './loopHarness';
import { openKitLoop, queuePath, taskIssueNumber, tickOk } from './loopKit';

/**
 * `ato status --json` is the contract the panel, the CLI and CI read: the real CLI (`node dist/cli.js`, built
 * by `node esbuild.mjs`) against the fake GitHub, its output validated by the schema and checked field by
 * field — every followed PR with its CI and verdict (not only red ones), counts from the planning branch (not
 * the working tree), a focus that names its kind of work, a merge waiting for you in `next`, a task closed by
 * hand in the stage's reason — and the human-readable `ato status` and `ato tick --dry-run` saying the same.
 */

const repoRoot = join(__dirname, '../../..');
const cli = join(repoRoot, 'dist', 'cli.js');

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built CLI in a child process, with only the environment given (never the machine's ATO_* or tokens). */
function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ATO_|GITHUB_TOKEN$|GH_TOKEN$)/.test(name)));
  const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...clean, GIT_TERMINAL_PROMPT: '0', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', code => { resolve({ code, stdout, stderr }); });
  });
}

function taskFile(id: string, priority: 'high' | 'medium' | 'low', type = 'feature'): string {
  return `---\nid: ${id}\ntype: ${type}\npriority: ${priority}\n---\n# Build ${id}\n\n**Prompt:**\nBuild ${id}.\n`;
}

function parseDocument(run: CliRun): StatusDocument {
  const parsed = statusDocumentSchema.safeParse(JSON.parse(run.stdout) as unknown);
  assert.ok(parsed.success, `the output follows the contract: ${JSON.stringify(parsed.error?.issues, null, 2)}\n${run.stdout}\n${run.stderr}`);
  return parsed.data;
}

describe('ato status --json against the fake GitHub (the real CLI)', function () {
  this.timeout(300_000);
  // One workspace for every test here: the scenario is built once (each CLI run only reads).
  let directory: string;
  let fake: FakeGitHub;
  let workspace: string;
  let env: NodeJS.ProcessEnv;
  let closedByHand: number;
  let notesPr: number;
  let reviewPr: number;
  let strangerPr: number;

  before(async () => {
    assert.ok(existsSync(cli), `build the CLI first (node esbuild.mjs): ${cli} is missing`);
    directory = await mkdtemp(join(tmpdir(), 'ato-status-cli-'));
    fake = await startFakeGitHub({ scenario: scenarioFile });
    const sim = fake.simulate;
    workspace = await cloneApp(fake, directory);
    env = { ATO_GITHUB_API_URL: fake.apiUrl, ATO_GITHUB_TOKEN: fake.token, ATO_GITHUB_REQUEST_SPACING_MS: '0' };
    // The queue on main (the clone above does not have it): three development tasks by priority, and a review.
    await sim.pushFiles('main', {
      [queuePath('pending', 'add-login')]: taskFile('add-login', 'high'),
      [queuePath('pending', 'add-notes')]: taskFile('add-notes', 'medium'),
      [queuePath('pending', 'add-search')]: taskFile('add-search', 'low'),
      [queuePath('pending', 'add-export')]: taskFile('add-export', 'low'),
      [queuePath('pending', 'review-api')]: taskFile('review-api', 'medium', 'review'),
    }, 'Queue five tasks');
    // The loop promotes add-login, then the review while add-login is under way; a person closes add-login's
    // issue by hand, so the loop promotes add-notes.
    const kit = await openKitLoop(fake, workspace);
    try {
      assert.deepEqual(await tickOk(kit), ['promoteTask:done']);
      assert.deepEqual(await tickOk(kit), ['promoteTask:done']);
      closedByHand = taskIssueNumber(fake, 'add-login');
      await sim.closeIssue(closedByHand, 'not_planned');
      assert.deepEqual(await tickOk(kit), ['promoteTask:done']);
    } finally {
      await kit.close();
    }
    // add-notes's PR is red; the review's PR is green and finished (ready: auto-merge is off, so it waits for
    // you); a PR of no ATO work has CI running.
    notesPr = await sim.copilotOpensPullRequest(taskIssueNumber(fake, 'add-notes'), { files: { 'src/notes.ts': 'export const notes = [];\n' } });
    await sim.setCheckRuns(notesPr, [{ name: 'ci/build', status: 'completed', conclusion: 'failure' }]);
    reviewPr = await sim.copilotOpensPullRequest(taskIssueNumber(fake, 'review-api'), { files: { 'docs/review.md': '# Review\n' } });
    await sim.setCheckRuns(reviewPr, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    await sim.copilotFinishes(reviewPr);
    strangerPr = await sim.openPullRequest({ head: 'bump-deps', title: 'Bump a dependency', files: { 'package.json': '{}\n' } });
    await sim.setCheckRuns(strangerPr, [{ name: 'ci/build', status: 'in_progress' }]);
    // A task file only in the working tree: a local draft, and the working tree's only pending task (its
    // planning folder complete, so `ato status` counts it).
    await mkdir(join(workspace, 'planning/reviews'), { recursive: true });
    await writeFile(join(workspace, queuePath('pending', 'local-idea')), taskFile('local-idea', 'low'));
  });

  after(async () => {
    await fake.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('validates against the schema and carries each field: followed PRs, counts from the branch, focus, next, needs-you', async () => {
    const issuesBefore = fake.state.repo('octo', 'app').issues.length;
    const run = await runCli(['status', '--json', '--workspace', workspace], env);
    assert.equal(run.code, 0, run.stderr);
    const document = parseDocument(run);
    const loop = document.loop;
    assert.ok(loop.available, JSON.stringify(loop));
    assert.deepEqual([loop.mode, loop.repository, loop.branch], ['github', 'octo/app', 'main']);

    // D1: every followed PR with its CI state and verdict, each rule with its reason; the stranger's PR is not followed.
    assert.deepEqual(loop.followedPullRequests.map(pr => [pr.number, pr.work.kind, pr.work.taskId, pr.ci, pr.verdict.ready]), [
      [notesPr, 'task', 'add-notes', 'red', false],
      [reviewPr, 'task', 'review-api', 'green', true],
    ].sort((a, b) => Number(a[0]) - Number(b[0])));
    const notes = loop.followedPullRequests.find(pr => pr.number === notesPr);
    assert.deepEqual(notes?.failingChecks.map(check => check.name), ['ci/build']);
    assert.ok(notes.verdict.rules.some(rule => rule.rule === 'checksGreen' && !rule.ok && rule.detail.includes('ci/build')), JSON.stringify(notes.verdict));
    for (const pr of loop.followedPullRequests) assert.ok(pr.verdict.rules.length > 0 && pr.verdict.rules.every(rule => rule.detail !== ''));
    assert.deepEqual(loop.redPullRequests.map(pr => pr.number), [notesPr]);

    // D2: counts from main, not the working tree (whose only pending file is the local draft).
    assert.deepEqual(document.planning.kind === 'ready' && document.planning.queue, { pending: 1, processed: 0, complete: 0 });
    assert.deepEqual(loop.counts, { pending: 2, processed: 3, complete: 0, invalid: 0, unpromoted: 2, openAtoIssues: 2, openPullRequests: 3, followedPullRequests: 2, localDrafts: 1 });

    // D3: the focus names its kind, the task, and its issue and PR with their titles.
    const reviewIssue = taskIssueNumber(fake, 'review-api');
    assert.equal(loop.stage, '2c');
    const focus = loop.focus;
    assert.ok(focus);
    assert.deepEqual([focus.kind, focus.taskId, focus.issue?.number, focus.pullRequest?.number, focus.title], ['task', 'review-api', reviewIssue, reviewPr, 'Build review-api']);
    assert.equal(focus.pullRequest?.title, 'Build review-api');
    assert.equal(focus.label, `Task review-api · issue #${String(reviewIssue)} · PR #${String(reviewPr)}`);

    // D4: the merge that waits for you is in next[], not only in needsYou.
    const planning = loop.next.find(step => step.track === 'planning');
    assert.deepEqual(planning && [planning.action, planning.waitsFor], ['mergePullRequest', 'you']);
    // Copilot opens drafts: ATO marks the PR ready as it merges it.
    assert.match(planning?.summary ?? '', new RegExp(`^Mark PR #${String(reviewPr)} ready and merge it at [0-9a-f]{7}, then close #${String(reviewIssue)}$`));
    assert.match(planning?.reason ?? '', /Auto-merge is off/);
    assert.ok(loop.needsYou.some(item => item.kind === 'readyToMerge' && item.pullNumber === reviewPr && item.action === 'merge'));

    // D5: the task whose issue was closed by hand is in the stage's reason, not only in needs-you.
    assert.match(loop.reason, new RegExp(`Also needs you: issue #${String(closedByHand)} \\(task add-login\\) was closed without a merged PR\\.`));
    assert.ok(loop.needsYou.some(item => item.kind === 'issueClosedOutsideLoop' && item.issueNumber === closedByHand));

    assert.ok(loop.rateLimit.graphql !== null && loop.rateLimit.graphql.limit > 0);
    assert.deepEqual(loop.drafts.map(draft => [draft.taskId, draft.valid]), [['local-idea', true]]);
    // A status reads; it never writes.
    assert.equal(fake.state.repo('octo', 'app').issues.length, issuesBefore);
    assert.equal(fake.state.repo('octo', 'app').pull(reviewPr)?.pull.merged, false);
  });

  it('ato status (text) shows stage, reason, focus, next step, counts, followed PRs, red PRs, needs-you and the budget', async () => {
    const run = await runCli(['status', '--workspace', workspace], env);
    assert.equal(run.code, 0, run.stderr);
    const text = run.stdout;
    const reviewIssue = taskIssueNumber(fake, 'review-api');
    for (const pattern of [
      /^planning: ready \(the loop reads the planning branch; counts below\)$/m,
      /^loop: octo\/app, planning branch main$/m,
      new RegExp(`^stage 2c · Development: PR #${String(reviewPr)} by copilot-swe-agent \\(task review-api\\) is ready to merge \\(a draft: marked ready first\\)\\. Also needs you: issue #${String(closedByHand)} \\(task add-login\\)`, 'm'),
      new RegExp(`^focus: Task review-api · issue #${String(reviewIssue)} · PR #${String(reviewPr)} — Build review-api$`, 'm'),
      new RegExp(`^  planning: Mark PR #${String(reviewPr)} ready and merge it at [0-9a-f]{7}, then close #${String(reviewIssue)} \\(waits for you\\) — `, 'm'),
      /^counts on main: 2 pending · 3 processed · 0 complete · 2 unpromoted · 2 open ATO issues · 2 of 3 open PRs followed · 1 local draft$/m,
      new RegExp(`^  #${String(notesPr)} \\[WIP\\] Build add-notes \\(by [^)]+\\) — Task add-notes · CI red · \\d merge rules? unmet$`, 'm'),
      /^ {6}✗ checks failing: ci\/build$/m,
      // The maintenance track's care of the red draft: its state, attempts and reason, then the failing checks.
      new RegExp(`^red PRs:\\n  #${String(notesPr)} \\[WIP\\] Build add-notes — analyzing, no fix attempt yet \\(budget 3\\): a red draft: a read-only agent analyses what failed — failing: ci/build \\(draft\\)$`, 'm'),
      new RegExp(`^needs you:\\n  PR #${String(reviewPr)} by copilot-swe-agent \\(task review-api\\) is ready to merge — `, 'm'),
      /^budget: core \d+\/5000 \(resets [^)]+\) · GraphQL \d+\/5000 \(resets [^)]+\)$/m,
    ]) assert.match(text, pattern);
  });

  it('ato tick --dry-run names the merge that waits for you, in text and JSON, and merges nothing', async () => {
    const json = await runCli(['tick', '--dry-run', '--json', '--workspace', workspace], env);
    assert.equal(json.code, 0, json.stderr);
    const plan = JSON.parse(json.stdout) as { tracks: { track: string; action: { kind: string; pullNumber?: number } | null; waitsFor: string | null }[] };
    const planning = plan.tracks.find(track => track.track === 'planning');
    assert.deepEqual(planning && [planning.action?.kind, planning.action?.pullNumber, planning.waitsFor], ['mergePullRequest', reviewPr, 'you']);
    const text = await runCli(['tick', '--dry-run', '--workspace', workspace], env);
    assert.match(text.stdout, new RegExp(`^  planning: Mark PR #${String(reviewPr)} ready and merge it at [0-9a-f]{7}, then close #\\d+ \\(waits for you\\) — It passes every rule of the merge policy\\. Auto-merge is off`, 'm'));
    assert.equal(fake.state.repo('octo', 'app').pull(reviewPr)?.pull.merged, false);
  });

  it('without a token: no loop, and it names ATO_GITHUB_TOKEN as well as the VS Code command', async () => {
    const noToken = { ATO_GITHUB_API_URL: fake.apiUrl };
    const text = await runCli(['status', '--workspace', workspace], noToken);
    assert.equal(text.code, 0, text.stderr);
    // The fake is a GitHub Enterprise configured by ATO_GITHUB_API_URL: the reason names that host and how to sign in to it.
    const api = fake.apiUrl;
    const host = new URL(api).host;
    const reason = `No GitHub token for ${host}: to run the loop on octo/app, use VS Code's GitHub Enterprise sign-in (with \`github-enterprise.uri\` set to it) or "ATO: Set GitHub Token" with \`ato.github.apiUrl\` set to ${api}; for the ato CLI set ATO_GITHUB_TOKEN and ATO_GITHUB_API_URL=${api}.`;
    assert.ok(text.stdout.split('\n').includes(`loop: off — ${reason}`), text.stdout);
    const json = parseDocument(await runCli(['status', '--json', '--workspace', workspace], noToken));
    assert.deepEqual(json.loop, { available: false, mode: 'off', reason });
    assert.deepEqual(json.auth.github, { kind: 'none' });
  });
});
