// `npm test`: every check, in order — lint, typecheck, build, unit tests (mocha, outside VS Code),
// integration tests (real git, agent processes, the real Claude Code CLI against the fake Messages API),
// the set-up of the browser suites (scripts/setup-e2e.sh: Chromium, node 24, code-server — skipped when
// present), the control panel in headless Chromium against a fake host, the .vsix, then the real-VS-Code
// suites (UI through Playwright, mocha inside the extension host). A fresh machine needs nothing else.
// Ends with one summary line: "tests: N passed, M failed".
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
// e.g. `npm test -- unit` runs just the named steps (and the set-up steps they need)
const named = process.argv.slice(2);
const node = process.execPath;

// Every `*.test.mjs` of a folder, in name order: a new suite cannot be left out of `npm test`.
function testFiles(folder) {
  return readdirSync(folder).filter(name => name.endsWith('.test.mjs')).sort().map(name => `${folder}/${name}`);
}

// `needs`: set-up steps a step cannot run without; `npm test -- webview` runs them first too.
const steps = [
  { name: 'lint', cmd: ['node_modules/.bin/eslint', '--max-warnings', '0', '.'] },
  { name: 'typecheck', cmd: [node, 'scripts/typecheck.mjs'] },
  { name: 'build', cmd: [node, 'esbuild.mjs', '--tests'], gate: true },
  { name: 'unit', cmd: ['node_modules/.bin/mocha'], count: mochaCounts },
  { name: 'setup-claude', cmd: ['bash', 'scripts/setup-claude.sh'], gate: true },
  { name: 'integration', cmd: ['node_modules/.bin/mocha', '--config', '.mocharc.integration.json'], count: mochaCounts, needs: ['build', 'setup-claude'] },
  // Chromium (the webview step's browser), node 24 and code-server come from here.
  { name: 'setup-e2e', cmd: ['bash', 'scripts/setup-e2e.sh'], gate: true },
  { name: 'webview', cmd: [node, '--test', '--test-timeout=120000', '--test-reporter=spec', ...testFiles('test/webview')], count: nodeTestCounts, needs: ['build', 'setup-e2e'] },
  { name: 'package', cmd: [node, 'scripts/package.mjs', '--build'], gate: true },
  { name: 'e2e-ui', cmd: [node, '--test', '--test-timeout=300000', '--test-reporter=spec', ...testFiles('test/e2e')], count: nodeTestCounts, needs: ['package', 'setup-e2e'] },
  { name: 'e2e-exthost', cmd: [node, 'test/e2e/runExtHostTests.mjs'], count: exthostCounts, needs: ['build', 'setup-e2e'] },
  // The same, in a window with two folders (a .code-workspace): each folder its own ATO workspace.
  { name: 'e2e-exthost-multiroot', cmd: [node, 'test/e2e/runExtHostTests.mjs', '--multi-root'], count: exthostCounts, needs: ['build', 'setup-e2e'] },
];

function mochaCounts(out) {
  return { passed: Number(/(\d+) passing/.exec(out)?.[1] ?? 0), failed: Number(/(\d+) failing/.exec(out)?.[1] ?? 0) };
}
function nodeTestCounts(out) {
  return { passed: Number(/^ℹ pass (\d+)/m.exec(out)?.[1] ?? 0), failed: Number(/^ℹ fail (\d+)/m.exec(out)?.[1] ?? 0) };
}
function exthostCounts(out) {
  const match = /^exthost: (\d+) passed, (\d+) failed/m.exec(out);
  return { passed: Number(match?.[1] ?? 0), failed: Number(match?.[2] ?? 0) };
}

function run(step) {
  return new Promise(resolve => {
    const started = Date.now();
    console.log(`\n━━ ${step.name} ━━ ${step.cmd.join(' ')}`);
    const child = spawn(step.cmd[0], step.cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', d => { out += d; process.stdout.write(d); });
    child.stderr.on('data', d => { out += d; process.stderr.write(d); });
    child.on('close', code => resolve({ code, out, seconds: (Date.now() - started) / 1000 }));
  });
}

const summary = [];
let passed = 0, failed = 0, blocked = false;
const unknown = named.filter(name => !steps.some(step => step.name === name));
if (unknown.length > 0) {
  console.error(`npm test: no step ${unknown.join(', ')}; the steps are ${steps.map(step => step.name).join(', ')}`);
  process.exit(2);
}
const only = new Set(named.flatMap(name => [name, ...(steps.find(step => step.name === name)?.needs ?? [])]));
for (const step of steps) {
  if (only.size > 0 && !only.has(step.name)) continue;
  if (blocked) { summary.push(`${step.name}: skipped (an earlier step failed)`); continue; }
  const result = await run(step);
  const counts = step.count ? step.count(result.out) : undefined;
  if (counts) { passed += counts.passed; failed += counts.failed; }
  // A step that fails without a failing test (a crash, a harness error) counts as one failure.
  if (result.code !== 0 && (!counts || counts.failed === 0)) failed += 1;
  summary.push(`${step.name}: ${result.code === 0 ? 'ok' : `FAILED (exit ${result.code})`}${counts ? ` — ${counts.passed} passed, ${counts.failed} failed` : ''} in ${result.seconds.toFixed(1)} s`);
  if (result.code !== 0 && step.gate) blocked = true;
}
console.log(`\n━━ summary ━━\n${summary.join('\n')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
