// Preloaded (`node --import tsx --import cliVersion.ts src/cli/ato.ts …`): esbuild defines `ATO_VERSION` in
// dist/cli.js; the CLI run from its sources gets it here.
(globalThis as { ATO_VERSION?: string }).ATO_VERSION ??= '0.0.0-test';
