import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

interface Metafile {
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, { readonly imports: readonly { readonly path: string; readonly external?: boolean }[] }>>;
}

const repoRoot = join(__dirname, '..', '..');
const metaDirectory = join(repoRoot, 'dist', 'meta');

/** Heavy SDKs that must load lazily, never with activation (esbuild.mjs bundles them into dist/vendor/). */
const lazyOnlyModules = ['@octokit', '@gitbeaker', '@anthropic-ai', 'chokidar'];

/** zod files a bundle may contain: the mini build, the core it sits on, and the message locales. */
const allowedZod = /^node_modules\/zod\/(mini\/|v4\/(mini|core|locales)\/)/;

function readMeta(name: string): Metafile {
  return JSON.parse(readFileSync(join(metaDirectory, `${name}.json`), 'utf8')) as Metafile;
}

/** Inputs from packages, each as `node_modules/<package>/…` (innermost node_modules, whatever the install layout). */
function nodeModulesInputs(meta: Metafile): string[] {
  return Object.keys(meta.inputs)
    .map(path => path.replace(/\\/g, '/'))
    .filter(path => path.includes('node_modules/'))
    .map(path => path.slice(path.lastIndexOf('node_modules/')));
}

describe('bundles (dist/meta, written by esbuild.mjs)', function () {
  this.timeout(120_000);

  before(function () {
    // `npm test` builds before the unit tests; a bare `mocha` run builds here if it has to.
    if (existsSync(join(metaDirectory, 'extension.json'))) return;
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'ignore' });
    if (!existsSync(join(metaDirectory, 'extension.json'))) this.skip();
  });

  it('the extension bundle contains source and some of zod (so the checks below look at something)', () => {
    const inputs = Object.keys(readMeta('extension').inputs);
    assert.ok(inputs.includes('src/extension.ts'), 'the composition root is the entry');
    assert.ok(inputs.some(path => path.startsWith('src/core/')));
    assert.ok(nodeModulesInputs(readMeta('extension')).some(path => path.includes('node_modules/zod/')));
  });

  it('keeps heavy SDKs out of the activation bundle', () => {
    const offenders = nodeModulesInputs(readMeta('extension')).filter(path => lazyOnlyModules.some(name => path.includes(`node_modules/${name}/`)));
    assert.deepEqual(offenders, []);
  });

  it('builds each lazily loaded module on its own, in dist/vendor', () => {
    const vendor = readMeta('vendor');
    const outputs = Object.keys(vendor.outputs).filter(path => path.endsWith('.js'));
    assert.ok(outputs.includes('dist/vendor/chokidar.js'), outputs.join(', '));
    assert.ok(nodeModulesInputs(vendor).some(path => path.startsWith('node_modules/chokidar/')));
  });

  it('the Anthropic SDK is its own vendor file, reached from the extension and the CLI only by a dynamic import (never at activation)', () => {
    const vendor = readMeta('vendor');
    assert.ok(Object.keys(vendor.outputs).includes('dist/vendor/anthropic.js'));
    assert.ok(nodeModulesInputs(vendor).some(path => path.startsWith('node_modules/@anthropic-ai/sdk/')));
    for (const name of ['extension', 'cli']) {
      const meta = readMeta(name) as Metafile & { readonly inputs: Readonly<Record<string, { readonly imports: readonly { readonly path: string; readonly kind: string }[] }>> };
      assert.deepEqual(nodeModulesInputs(meta).filter(path => path.includes('node_modules/@anthropic-ai/')), [], `${name} bundles none of the SDK`);
      const importers = Object.entries(meta.inputs).flatMap(([input, { imports }]) => imports.filter(i => i.path === 'lazy-vendor:@anthropic-ai/sdk').map(i => `${input} ${i.kind}`));
      assert.deepEqual(importers, ['src/core/agents/claude/claudeApiBackend.ts dynamic-import'], `${name}: who loads the SDK, and how`);
    }
  });

  for (const name of ['extension', 'cli', 'webview']) {
    it(`${name}: uses zod/mini only, never the classic zod entry`, function () {
      if (!existsSync(join(metaDirectory, `${name}.json`))) this.skip();
      const meta = readMeta(name);
      const zodInputs = nodeModulesInputs(meta).filter(path => path.includes('node_modules/zod/'));
      const classic = zodInputs.filter(path => !allowedZod.test(path));
      assert.deepEqual(classic, [], 'classic zod files in the bundle');
      const externalZod = Object.values(meta.outputs).flatMap(output => output.imports).filter(i => i.path === 'zod' || i.path.startsWith('zod/'));
      assert.deepEqual(externalZod, [], 'zod is bundled, not required at run time');
    });
  }

  it('the extension bundle requires no package at run time but vscode (the .vsix ships no node_modules)', () => {
    const external = Object.values(readMeta('extension').outputs).flatMap(output => output.imports).filter(i => i.external === true).map(i => i.path);
    const isBuiltin = (path: string): boolean => path.startsWith('node:') || builtinModules.includes(path);
    const unexpected = external.filter(path => path !== 'vscode' && !isBuiltin(path) && !path.startsWith('./') && !path.startsWith('../'));
    assert.deepEqual([...new Set(unexpected)], []);
  });
});
