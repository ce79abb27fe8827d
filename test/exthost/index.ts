// The extension-test entry point, the same `run()` contract as @vscode/test-electron: the extension host
// requires this file and awaits run(). Bundled to out/exthost/index.js by `node esbuild.mjs --tests`.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false });
  // The multi-root suites need a window with several folders (runExtHostTests.mjs --multi-root); the rest one folder.
  const multiRoot = process.env['ATO_EXTHOST_SUITE'] === 'multiRoot';
  for (const file of readdirSync(__dirname).sort()) if (file.endsWith('.test.js') && file.startsWith('multiRoot') === multiRoot) mocha.addFile(join(__dirname, file));
  return new Promise((resolve, reject) => {
    const runner = mocha.run(failures => {
      // ATO_EXTHOST_RESULTS comes from the payload's extensionEnvironment (test/e2e/runExtHostTests.mjs).
      const results = process.env['ATO_EXTHOST_RESULTS'];
      if (results !== undefined) writeFileSync(results, JSON.stringify({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? failures }));
      if (failures > 0) reject(new Error(`${failures} extension-host tests failed.`));
      else resolve();
    });
  });
}
