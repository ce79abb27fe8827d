// Builds the three bundles: the extension host (CJS, node, `vscode` external), the `ato` CLI and the
// control-panel webview (browser IIFE + CSS + codicons). Flags: --production (minified, no source maps),
// --watch (rebuild on change), --tests (also bundle the extension-host test suite into out/exthost).
import * as esbuild from 'esbuild';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(await readFile('package.json', 'utf8'));

/**
 * Heavy modules that must never be in the activation bundle. Core code loads each with
 * `await import('<name>')`; the build turns that into `require('./vendor/<file>')` and bundles the
 * module alone into dist/vendor/, so it is read from disk only on first use. A static import of one of
 * these is a build error.
 */
const lazyModules = {
  chokidar: 'chokidar.js',
  '@anthropic-ai/sdk': 'anthropic.js',
};

/**
 * Source files that gather several heavy packages into one vendor file (same rules: core loads each with
 * `await import('./<file name>')`, a static import is a build error).
 */
const lazySourceModules = {
  './src/core/forges/github/octokitVendor.ts': 'octokit.js',
};
const vendorFiles = { ...lazyModules, ...lazySourceModules };
const lazySourcePaths = new Map(Object.keys(lazySourceModules).map(key => [path.resolve(key).replace(/\.ts$/, ''), key]));

const lazyVendor = {
  name: 'lazy-vendor',
  setup(build) {
    const escape = text => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const names = Object.keys(lazyModules);
    const refuseStatic = args => ({ errors: [{ text: `"${args.path}" is heavy: load it with \`await import('${args.path}')\` so it stays out of the activation bundle` }] });
    if (names.length > 0) {
      const filter = new RegExp(`^(${names.map(escape).join('|')})$`);
      build.onResolve({ filter }, args => (args.kind !== 'dynamic-import' ? refuseStatic(args) : { path: args.path, namespace: 'lazy-vendor' }));
    }
    if (lazySourcePaths.size > 0) {
      const baseNames = [...lazySourcePaths.keys()].map(p => escape(path.basename(p)));
      build.onResolve({ filter: new RegExp(`(^|/)(${baseNames.join('|')})(\\.ts)?$`) }, args => {
        const key = lazySourcePaths.get(path.resolve(args.resolveDir, args.path).replace(/\.ts$/, ''));
        if (key === undefined) return undefined;
        return args.kind !== 'dynamic-import' ? refuseStatic(args) : { path: key, namespace: 'lazy-vendor' };
      });
    }
    // A tiny CommonJS shim per module: esbuild evaluates it only when the dynamic import runs, and its
    // `require` stays a plain require of the vendor file next to the bundle (the extension host's loader
    // handles require reliably; a bare import() of a file is less certain there).
    build.onLoad({ filter: /.*/, namespace: 'lazy-vendor' }, args => ({
      contents: `module.exports = require(${JSON.stringify(`./vendor/${vendorFiles[args.path]}`)});`,
      loader: 'js',
    }));
    build.onResolve({ filter: /^\.\/vendor\//, namespace: 'lazy-vendor' }, args => ({ path: args.path, external: true }));
  },
};

/** Prints errors in the `$esbuild-watch` problem-matcher format and fails the build on warnings. */
const reporter = name => ({
  name: 'reporter',
  setup(build) {
    build.onEnd(result => {
      for (const { text, location } of [...result.errors, ...result.warnings]) {
        console.error(`✘ [${name}] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log(`[watch] ${name} built (${result.errors.length} errors)`);
    });
  },
});

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  metafile: true,
  legalComments: production ? 'none' : 'inline',
  define: { ATO_VERSION: JSON.stringify(pkg.version) },
};

const contexts = {
  extension: {
    ...common,
    plugins: [lazyVendor],
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
  },
  // The CLI: dist/cli.js is a small loader that compiles dist/cliMain.js (the CLI itself) through V8's code cache.
  cli: {
    ...common,
    plugins: [lazyVendor],
    entryPoints: ['src/cli/ato.ts'],
    outfile: 'dist/cliMain.js',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
  },
  cliLoader: {
    ...common,
    entryPoints: ['src/cli/cliLoader.ts'],
    outfile: 'dist/cli.js',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['./cliMain.js'],
  },
  vendor: {
    ...common,
    sourcemap: false,
    entryPoints: Object.fromEntries(Object.entries(vendorFiles).map(([name, file]) => [file.replace(/\.js$/, ''), name])),
    outdir: 'dist/vendor',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
  },
  webview: {
    ...common,
    entryPoints: { panel: 'webview-ui/src/main.ts' },
    outdir: 'dist/webview',
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
  },
};
if (tests) {
  contexts.exthostTests = {
    ...common,
    minify: false,
    sourcemap: true,
    entryPoints: ['test/exthost/index.ts', 'test/exthost/*.test.ts'],
    outdir: 'out/exthost',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode', 'mocha'],
  };
}

async function copyWebviewAssets() {
  await mkdir('dist/webview', { recursive: true });
  const codicons = path.dirname(require.resolve('@vscode/codicons/dist/codicon.css'));
  await copyFile(path.join(codicons, 'codicon.css'), 'dist/webview/codicon.css');
  await copyFile(path.join(codicons, 'codicon.ttf'), 'dist/webview/codicon.ttf');
  await copyFile('webview-ui/src/panel.css', 'dist/webview/panel.css');
}

await rm('dist', { recursive: true, force: true });
if (tests) await rm('out/exthost', { recursive: true, force: true });
await copyWebviewAssets();

const built = await Promise.all(Object.entries(contexts).map(async ([name, options]) => {
  const context = await esbuild.context({ ...options, plugins: [...(options.plugins ?? []), reporter(name)] });
  return { name, context };
}));

if (watch) {
  await Promise.all(built.map(({ context }) => context.watch()));
  console.log('[watch] watching src/, webview-ui/ and test/ …');
} else {
  let failed = false;
  await mkdir('dist/meta', { recursive: true });
  for (const { name, context } of built) {
    try {
      const result = await context.rebuild();
      if (result.warnings.length > 0) failed = true;
      // The metafile lets tests check what each bundle contains (e.g. no SDK in the activation bundle).
      await writeFile(`dist/meta/${name}.json`, JSON.stringify(result.metafile));
    } catch {
      failed = true;
    } finally {
      await context.dispose();
    }
  }
  if (failed) process.exit(1);
  console.log(`built ${built.map(b => b.name).join(', ')}${production ? ' (production)' : ''}`);
}
