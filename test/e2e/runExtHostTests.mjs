// Runs the mocha suite in out/exthost inside a real VS Code extension host (code-server), with the
// repository loaded as the extension under development: the same extensionDevelopmentPath +
// extensionTestsPath contract as @vscode/test-electron, passed through the web workbench's payload,
// which it honours only with enable-smoke-test-driver. Prints "exthost: N passed, M failed".
// With --multi-root it opens a .code-workspace with two folders (api/ and web/, each a git repository)
// and runs only the multiRoot*.test suites; without it, everything else in a one-folder window.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { launchChromium, repoRoot, startCodeServer } from './harness.mjs';

const testsPath = path.join(repoRoot, 'out', 'exthost');
if (!fs.existsSync(path.join(testsPath, 'index.js'))) {
  console.error('out/exthost/index.js is missing: run `node esbuild.mjs --tests` first');
  process.exit(1);
}
const multiRoot = process.argv.includes('--multi-root');
const rootFolders = ['api', 'web'];
const workspaceFile = 'ato.code-workspace';
const secondTryMarker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ato-exthost-agent-')), 'first-run-failed');
const server = await startCodeServer({
  args: ['--vscode-option', 'enable-smoke-test-driver'],
  files: multiRoot
    ? { ...Object.fromEntries(rootFolders.map(name => [`${name}/README.md`, `# ${name}\n`])), 'docs/README.md': '# docs (added at run time)\n', [workspaceFile]: JSON.stringify({ folders: rootFolders.map(name => ({ path: name })) }) }
    : { 'README.md': '# exthost test workspace\n' },
  git: !multiRoot,
  // Local CLI agents (scripts of the repository's fixtures, run by node): one for the dispatch test, and
  // one whose first run fails for the requeue test (it remembers that run in a file of its own).
  machineSettings: { 'ato.agents.custom': [
    { id: 'counter', command: process.execPath, args: [path.join(repoRoot, 'test/fixtures/agents/countingAgent.mjs')], taskTypes: ['feature', 'fix'] },
    { id: 'second-try', command: process.execPath, args: [path.join(repoRoot, 'test/fixtures/agents/failThenSucceed.mjs'), secondTryMarker], taskTypes: ['feature'] },
  ] },
});
if (multiRoot) {
  for (const name of [...rootFolders, 'docs']) {
    const git = (...args) => execFileSync('git', ['-c', 'user.name=ATO Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: path.join(server.workspace, name), stdio: 'ignore' });
    git('init', '--quiet', '--initial-branch=main');
    git('add', '--all');
    git('commit', '--quiet', '-m', 'initial');
  }
}
const results = path.join(server.tmp, 'results.json');
const host = new URL(server.base).host;
const payload = [
  ['extensionDevelopmentPath', `vscode-remote://${host}${repoRoot}`],
  ['extensionTestsPath', `vscode-remote://${host}${testsPath}`],
  ['extensionEnvironment', JSON.stringify({ ATO_EXTHOST_RESULTS: results, ATO_EXTHOST_SUITE: multiRoot ? 'multiRoot' : 'oneFolder', ...(process.env.ATO_EXTHOST_METRICS ? { ATO_EXTHOST_METRICS: process.env.ATO_EXTHOST_METRICS } : {}), ...(process.env.ATO_EXTHOST_FILES ? { ATO_EXTHOST_FILES: process.env.ATO_EXTHOST_FILES } : {}), ...(process.env.ATO_EXTHOST_GREP ? { ATO_EXTHOST_GREP: process.env.ATO_EXTHOST_GREP } : {}) })],
  ['skipWelcome', 'true'],
];
const context = await launchChromium(path.join(server.tmp, 'chromium'));
const page = context.pages()[0] ?? await context.newPage();
let exit;
const exited = new Promise(resolve => { exit = resolve; });
await page.exposeFunction('codeAutomationLog', (_type, args) => console.log(util.format(...args)));
await page.exposeFunction('codeAutomationExit', code => exit(code));
const payloadQuery = `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
await page.goto(multiRoot ? `${server.base}/?workspace=${encodeURIComponent(path.join(server.workspace, workspaceFile))}${payloadQuery}` : server.url(payloadQuery));
const timeoutMs = Number(process.env.ATO_EXTHOST_TIMEOUT_MS ?? 300_000);
const code = await Promise.race([exited, new Promise(resolve => setTimeout(() => resolve('timeout'), timeoutMs))]);
let passes = 0, failures = 1;
if (fs.existsSync(results)) ({ passes, failures } = JSON.parse(fs.readFileSync(results, 'utf8')));
console.log(`exthost: ${passes} passed, ${failures} failed`);
console.log(`extension host finished: ${code === 'timeout' ? `timed out after ${timeoutMs} ms` : `exit code ${code}`}`);
await context.close();
await server.stop();
fs.rmSync(path.dirname(secondTryMarker), { recursive: true, force: true });
process.exit(code === 0 && failures === 0 ? 0 : 1);
