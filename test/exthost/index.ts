// The extension-test entry point, the same `run()` contract as @vscode/test-electron: the extension host
// requires this file and awaits run(). Bundled to out/exthost/index.js by `node esbuild.mjs --tests`.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // ATO_EXTHOST_GREP (passed by runExtHostTests.mjs) runs only the tests whose titles match, for one file's work.
  const grep = process.env['ATO_EXTHOST_GREP'];
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, ...(grep === undefined || grep === '' ? {} : { grep }) });
  // ATO_EXTHOST_FILES (comma-separated names, e.g. `cliLauncher,eventsDocument`): only those files, for one change's tests.
  const only = process.env['ATO_EXTHOST_FILES']?.split(',').map(name => `${name.trim()}.test.js`);
  // The multi-root suites need a window with several folders (runExtHostTests.mjs --multi-root); the rest one folder.
  const multiRoot = process.env['ATO_EXTHOST_SUITE'] === 'multiRoot';
  for (const file of readdirSync(__dirname).sort()) if (file.endsWith('.test.js') && file.startsWith('multiRoot') === multiRoot && (only === undefined || only.includes(file))) mocha.addFile(join(__dirname, file));
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
