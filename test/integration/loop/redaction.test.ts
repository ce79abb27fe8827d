import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redactor } from '../../../src/core/logging/redactor';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { startTestServer } from '../../support/httpServer';
import { useTempDir } from '../../support/tempDir';
import { cloneApp, fileOnMain, gitAsync, startFakeGitHub, scenarioFile } from './loopHarness';
import { openKitLoop, type KitLoop } from './loopKit';

/**
 * Everything the loop writes to GitHub passes the redactor: a canary — a key ATO read (SecretStorage, the
 * environment), of no token shape, so only the redactor's knowledge of it can catch it — travels through
 * agent-written text (a task file, a PR's title, body and discussion) and must come out of ATO's hands
 * redacted: issue titles and bodies, comments, ATO's own commits (messages and the files they write).
 */
const canary = 'anthropic-canary-3b7e19d2c4';

const repoRoot = join(__dirname, '../../..');
/** The scenario token's user: ATO acts, comments and commits as it. */
const atoUser = 'octocat';
const atoUserName = 'The Octocat';

function canaryTask(): string {
  return `---
id: add-login
type: feature
priority: high
---
# Add a login form (key ${canary})

**Prompt:**
Add a login form. Use the API key ${canary} to call the service.

**Success Criteria:**
- [ ] The form works with ${canary}
`;
}

describe('nothing ATO writes carries a secret (canary through the loop, the fake GitHub and ato run)', function () {
  this.timeout(180_000);
  const tempDir = useTempDir('ato-redaction-');
  let fake: FakeGitHub;

  beforeEach(async () => { fake = await startFakeGitHub({ scenario: scenarioFile }); });
  afterEach(async () => { await fake.stop(); });

  async function tick(loop: KitLoop): Promise<string[]> {
    const report = await loop.result.engine.tickNow();
    const failed = report.outcomes.filter(o => o.result === 'failed');
    assert.deepEqual(failed, [], `an action failed: ${JSON.stringify(failed)}`);
    return report.outcomes.filter(o => o.result === 'done').map(o => o.action.kind);
  }

  /** Commits on the fake's branches made by ATO (through the git data API: committed as the token's user). */
  async function atoCommits(): Promise<{ sha: string; message: string; written: string[] }[]> {
    const { gitDir } = fake.state.repo('octo', 'app');
    const shas = (await gitAsync(gitDir, 'log', '--all', '--format=%H', `--committer=${atoUserName}`)).split('\n').filter(Boolean);
    const commits = [];
    for (const sha of shas) {
      const message = await gitAsync(gitDir, 'log', '-1', '--format=%B', sha);
      // The blobs this commit writes (added or changed paths), not the ones it removes.
      const blobs = (await gitAsync(gitDir, 'diff-tree', '-r', '--no-commit-id', '--root', sha)).split('\n').filter(Boolean).map(line => line.split(/\s+/)[3] ?? '').filter(blob => !/^0+$/.test(blob));
      const written = await Promise.all(blobs.map(blob => gitAsync(gitDir, 'cat-file', '-p', blob)));
      commits.push({ sha, message, written });
    }
    return commits;
  }

  it('a task, its PR and its discussion carry the canary: issues, comments and ATO\'s commits on GitHub do not', async () => {
    const redactor = new Redactor();
    redactor.addSecret(canary);
    const root = await cloneApp(fake, tempDir());
    const loop = await openKitLoop(fake, root, { redactor, settings: { 'merge.auto': true } });
    const sim = fake.simulate;
    const repo = () => fake.state.repo('octo', 'app');

    // The gap-analysis PR (an agent's) adds the task file that quotes the key.
    assert.deepEqual(await tick(loop), ['ensureGapIssue']);
    const gapIssue = repo().issues.find(i => i.labels.includes('ato:gap-analysis'));
    assert.ok(gapIssue);
    const gapPr = await sim.copilotOpensPullRequest(gapIssue.number, { files: { 'planning/issue_queue/pending/add-login.task.md': canaryTask() } });
    await sim.setCheckRuns(gapPr, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    await sim.copilotFinishes(gapPr);
    await tick(loop);
    assert.equal(repo().pull(gapPr)?.pull.merged, true);

    // Promoted: ATO writes the issue from the task file and moves the file to processed/.
    assert.deepEqual(await tick(loop), ['promoteTask']);
    const taskIssue = repo().issues.find(i => (i.body ?? '').includes('<!-- ato:task=add-login -->'));
    assert.ok(taskIssue, 'the task issue, found by its marker');
    assert.match(taskIssue.body ?? '', /‹redacted›/, 'the issue quotes the task, redacted');

    // The agent's PR quotes the key in its title and description, a reviewer in a comment; ATO merges it.
    const taskPr = await sim.copilotOpensPullRequest(taskIssue.number, { files: { 'src/login.ts': 'export const login = true;\n' }, title: `Add the login form for ${canary}` });
    const edited = await fetch(`${fake.apiUrl}/repos/octo/app/pulls/${String(taskPr)}`, { method: 'PATCH', headers: { authorization: `token ${fake.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ body: `Fixes #${String(taskIssue.number)}\n\nCalls the API with ${canary}.` }) });
    assert.equal(edited.status, 200);
    await sim.comment(taskPr, `Looks good; rotate ${canary} after merging.`, 'alice');
    await sim.copilotFinishes(taskPr);
    await sim.setCheckRuns(taskPr, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
    assert.deepEqual(await tick(loop), ['mergePullRequest']);
    assert.deepEqual(await tick(loop), ['completeTask']);
    const completed = (await fileOnMain(root, 'planning/issue_queue/complete/add-login.task.md')) ?? '';
    assert.match(completed, /## Result[\s\S]*‹redacted›/, 'the result names the PR, redacted');
    assert.deepEqual(await tick(loop), ['openCapabilityIssue']);
    const capabilityIssue = repo().issues.find(i => (i.body ?? '').includes(`source-pr=${String(taskPr)}`));
    assert.ok(capabilityIssue);
    assert.match(capabilityIssue.body ?? '', /Calls the API with ‹redacted›/);
    assert.match(capabilityIssue.body ?? '', /rotate ‹redacted› after merging/);
    await loop.close();

    // What ATO wrote to GitHub, everywhere: issues, comments of its user, its commits and their files.
    for (const issue of repo().issues) {
      assert.ok(!`${issue.title}\n${issue.body ?? ''}`.includes(canary), `issue #${String(issue.number)} "${issue.title}"`);
    }
    for (const comment of repo().comments().filter(c => c.author === atoUser)) assert.ok(!comment.body.includes(canary), `comment ${String(comment.id)}`);
    const commits = await atoCommits();
    assert.ok(commits.length >= 2, `ATO's queue moves are there to check (${String(commits.length)})`);
    for (const commit of commits) {
      assert.ok(!commit.message.includes(canary), `commit ${commit.sha}: ${commit.message}`);
      for (const text of commit.written) assert.ok(!text.includes(canary), `commit ${commit.sha} writes:\n${text}`);
    }
    assert.ok(commits.some(commit => commit.written.some(text => text.includes('‹redacted›'))), 'a move wrote the task file, redacted');
  });

  it('ato run: a tick that fails with a message quoting the keys prints it on stderr redacted', async () => {
    const githubToken = 'gh-canary-token-5e0a7c31';
    const julesKey = 'jules-canary-key-91f2b6d8';
    // An API that echoes what it knows of the caller, as a misconfigured proxy or server might.
    const echo = await startTestServer((_request, response) => {
      response.writeHead(422, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: `Validation failed for token ${githubToken} (and ${julesKey})`, documentation_url: 'https://docs.github.com/rest' }));
    });
    try {
      const root = await cloneApp(fake, tempDir());
      // The API is configured for the origin's host: a token goes only to the host it was issued for.
      await gitAsync(root, 'remote', 'set-url', 'origin', `${echo.url}/octo/app.git`);
      const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ATO_|GITHUB_TOKEN$|GH_TOKEN$|ANTHROPIC_|JULES_)/.test(name)));
      const child = spawn(process.execPath, ['--import', 'tsx', '--import', join(__dirname, 'cliVersion.ts'), join(repoRoot, 'src/cli/ato.ts'), 'run', '--workspace', root], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...env, ATO_GITHUB_API_URL: echo.url, ATO_GITHUB_TOKEN: githubToken, ATO_JULES_API_KEY: julesKey, ATO_GITHUB_REQUEST_SPACING_MS: '0', GIT_TERMINAL_PROMPT: '0' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      const exited = new Promise<number | null>(resolve => child.on('close', resolve));
      const deadline = Date.now() + 90_000;
      // The CLI's own line, printed by its watcher once the engine published the error (the log's warning comes first).
      while (!stderr.includes('ato: tick failed: ') && child.exitCode === null && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
      child.kill('SIGINT');
      const code = await exited;
      assert.match(stderr, /ato: tick failed: .*Validation failed for token ‹redacted› \(and ‹redacted›\)/, `exit ${String(code)}\n${stderr}`);
      assert.match(stderr, /\[warn\] Loop tick failed: .*Validation failed for token ‹redacted› \(and ‹redacted›\)/, 'the log line too');
      assert.ok(echo.requests.length > 0, 'the loop asked the API');
      for (const secret of [githubToken, julesKey]) {
        assert.ok(!stderr.includes(secret), stderr);
        assert.ok(!stdout.includes(secret), stdout);
      }
    } finally {
      await echo.close();
    }
  });
});
