// The in-host suite for machines that can download VS Code (@vscode/test-cli + @vscode/test-electron):
// `node esbuild.mjs --tests && npx vscode-test`. Here, where VS Code cannot be downloaded, the same suite
// runs inside code-server through test/e2e/runExtHostTests.mjs (see README).
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'exthost',
  files: 'out/exthost/*.test.js',
  version: '1.139.1',
  workspaceFolder: './test/fixtures/exthost-workspace',
  mocha: { ui: 'bdd', timeout: 30000 },
  launchArgs: ['--disable-extensions'],
});
