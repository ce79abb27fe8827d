// The project's fake GitHub for the real-VS-Code suites: a scenario served by its own process, with its
// control endpoint and a few reads of what the loop did.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { artifactsDir, controlPanel, launchChromium, repoRoot, runCommand, startCodeServer } from './harness.mjs';

/** The fake GitHub in its own process (`npm run fake:github`), so this process may run git synchronously. */
export async function startFakeGitHub(scenarioFile) {
  const scenario = path.join(repoRoot, 'test', 'fakes', 'github', 'scenarios', scenarioFile);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/fakes/github/cli.ts'), '--scenario', scenario, '--port', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', d => { out += d; });
  const info = await new Promise((resolve, reject) => {
    child.stdout.on('data', d => {
      out += d;
      const api = /API URL:\s+(\S+)/.exec(out)?.[1];
      const git = /octo\/app: (\S+)/.exec(out)?.[1];
      const token = /Token:\s+(\S+)/.exec(out)?.[1];
      if (api && git && token) resolve({ api, git, token });
    });
    child.on('exit', code => reject(new Error(`the fake GitHub exited (${code}): ${out}`)));
  });
  const control = async (action, ...args) => {
    const response = await fetch(`${info.api}/_fake/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args }) });
    const body = await response.json();
    assert.ok(response.ok, `${action}: ${JSON.stringify(body)}`);
    return body.result;
  };
  const issues = async () => {
    const response = await fetch(`${info.api}/repos/octo/app/issues?state=all`, { headers: { authorization: `token ${info.token}` } });
    return (await response.json()).filter(issue => issue.pull_request === undefined);
  };
  const pull = async number => {
    const response = await fetch(`${info.api}/repos/octo/app/pulls/${number}`, { headers: { authorization: `token ${info.token}` } });
    return response.json();
  };
  return { ...info, control, issues, pull, stop: () => child.kill('SIGTERM') };
}


/**
 * The fake GitHub, and a real VS Code whose workspace is a clone of its octo/app (origin points at the fake,
 * planning/ is on main), ATO installed from the .vsix, the browser on the workbench.
 */
export async function workbenchOnFakeClone({ vsix, machineSettings = {} }) {
  assert.ok(fs.existsSync(vsix), `build the .vsix first (npm run package): ${vsix} is missing`);
  fs.mkdirSync(artifactsDir, { recursive: true });
  const fake = await startFakeGitHub('planning-loop.yaml');
  const server = await startCodeServer({ vsix: [vsix], files: {}, machineSettings: { 'ato.github.apiUrl': fake.api, 'ato.network.timeoutSeconds': 10, ...machineSettings } });
  execFileSync('git', ['clone', '--quiet', fake.git, server.workspace], { stdio: 'ignore' });
  const context = await launchChromium(path.join(server.tmp, 'chromium'));
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(server.url());
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  return { fake, server, context, page };
}

/** Opens ATO's sidebar, stores the fake's token with "ATO: Set GitHub Token", and waits for the paused loop. */
export async function signInToFake(page, fake) {
  const loopSection = controlPanel(page).locator('[data-section="loop"]');
  await page.locator('.activitybar a[aria-label="ATO"]').click();
  await loopSection.waitFor({ timeout: 60_000 });
  await runCommand(page, 'ATO: Set GitHub Token');
  const input = page.locator('.quick-input-widget input[type="password"]');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(fake.token);
  await page.keyboard.press('Enter');
  await loopSection.locator('[data-loop-state="paused"]').waitFor({ timeout: 60_000 });
}
