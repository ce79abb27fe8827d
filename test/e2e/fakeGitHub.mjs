// The project's fake GitHub for the real-VS-Code suites: a scenario served by its own process, with its
// control endpoint and a few reads of what the loop did.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './harness.mjs';

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

