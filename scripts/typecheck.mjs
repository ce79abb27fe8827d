// Type-checks every ring with its own tsconfig, in parallel: each ring sees only the types it may use
// (src/core has no `vscode` types, the webview has the DOM but no node).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const projects = ['tsconfig.shared.json', 'tsconfig.core.json', 'tsconfig.json', 'tsconfig.cli.json',
  'tsconfig.webview.json', 'tsconfig.test.json', 'tsconfig.exthost.json', 'tsconfig.bench.json'];

const results = await Promise.all(projects.map(project => new Promise(resolve => {
  const child = spawn(process.execPath, [tsc, '--noEmit', '-p', project], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', d => { out += d; });
  child.stderr.on('data', d => { out += d; });
  child.on('close', code => resolve({ project, code, out }));
})));
let failed = 0;
for (const { project, code, out } of results) {
  if (code !== 0) { failed++; process.stderr.write(`✗ ${project}\n${out}`); }
  else process.stdout.write(`✓ ${project}\n`);
}
process.exit(failed ? 1 : 0);
