import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { ciCliDirectory } from './ciWorkflow';

/**
 * The `ato` CLI the workflow runs: a copy of the bundle this ATO runs from (`dist/cli.js`, the loader, with
 * `dist/cliMain.js` and the vendor files it loads on demand), committed under `.github/ato/`. ATO is not published on npm, so `npx ato` would
 * fetch someone else's package; the copy needs only Node on the runner, is pinned to the version that wrote
 * the workflow, is reviewed like any file, and comes from the default branch, never from a pull request.
 * Its `package.json` says `commonjs`, so a repository whose own package.json says `"type": "module"` does
 * not turn the bundle into an ES module.
 */

export interface CiFile {
  /** Relative to the repository's root, with `/`. */
  readonly path: string;
  readonly content: Buffer;
}

/** The files of the CLI copy, read from `bundleDirectory` (the folder holding `cli.js`, `cliMain.js` and `vendor/`). */
export async function ciCliFiles(bundleDirectory: string, atoVersion: string): Promise<CiFile[]> {
  const files: CiFile[] = [];
  for (const name of ['cli.js', 'cliMain.js']) files.push({ path: `${ciCliDirectory}/${name}`, content: await readBundleFile(bundleDirectory, name) });
  const vendor = (await readdir(join(bundleDirectory, 'vendor')).catch(() => [])).filter(name => name.endsWith('.js')).sort();
  for (const name of vendor) files.push({ path: `${ciCliDirectory}/vendor/${name}`, content: await readBundleFile(bundleDirectory, `vendor/${name}`) });
  const manifest = { name: 'ato-ci-cli', version: atoVersion, private: true, type: 'commonjs', description: 'The ato CLI that .github/workflows/ato.yml runs, written by `ato init-ci`.' };
  files.push({ path: `${ciCliDirectory}/package.json`, content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') });
  return files;
}

async function readBundleFile(bundleDirectory: string, name: string): Promise<Buffer> {
  try {
    return await readFile(join(bundleDirectory, name));
  } catch (error) {
    throw new Error(`The ato CLI's ${name} is not in ${bundleDirectory} (build it with node esbuild.mjs): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

const copyManifestSchema = z.object({ version: z.string() });

/** The version an existing copy's package.json names, for "what differs"; undefined when it names none. */
export function ciCliCopyVersion(manifest: Buffer): string | undefined {
  try {
    return copyManifestSchema.safeParse(JSON.parse(manifest.toString('utf8'))).data?.version;
  } catch {
    return undefined;
  }
}
