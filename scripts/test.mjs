// `npm test`: every check, in order — lint, typecheck, build, unit tests (mocha, outside VS Code),
// integration tests (real git, agent processes, the real Claude Code CLI against the fake Messages API),
// the control panel in headless Chromium against a fake host, package the .vsix, then the real-VS-Code suites (UI through Playwright, mocha inside the extension
// host). Installs the real-VS-Code prerequisites first if they are missing (scripts/setup-e2e.sh).
// Ends with one summary line: "tests: N passed, M failed".
import { spawn } from 'node:child_process';
const only = process.argv.slice(2); // e.g. `npm test -- unit` runs just the named steps
const node = process.execPath;

const steps = [
  { name: 'lint', cmd: ['node_modules/.bin/eslint', '--max-warnings', '0', '.'] },
  { name: 'typecheck', cmd: [node, 'scripts/typecheck.mjs'] },
  { name: 'build', cmd: [node, 'esbuild.mjs', '--tests'], gate: true },
  { name: 'unit', cmd: ['node_modules/.bin/mocha'], count: mochaCounts },
  { name: 'setup-claude', cmd: ['bash', 'scripts/setup-claude.sh'], gate: true },
  { name: 'integration', cmd: ['node_modules/.bin/mocha', '--config', '.mocharc.integration.json'], count: mochaCounts },
  { name: 'webview', cmd: [node, '--test', '--test-timeout=120000', '--test-reporter=spec', 'test/webview/panel.test.mjs'], count: nodeTestCounts },
  { name: 'package', cmd: [node, 'scripts/package.mjs', '--build'], gate: true },
  { name: 'setup-e2e', cmd: ['bash', 'scripts/setup-e2e.sh'], gate: true },
  { name: 'e2e-ui', cmd: [node, '--test', '--test-timeout=300000', '--test-reporter=spec', 'test/e2e/ui.test.mjs', 'test/e2e/loop.test.mjs'], count: nodeTestCounts },
  { name: 'e2e-exthost', cmd: [node, 'test/e2e/runExtHostTests.mjs'], count: exthostCounts },
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
for (const step of steps) {
  if (only.length > 0 && !only.includes(step.name)) continue;
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
