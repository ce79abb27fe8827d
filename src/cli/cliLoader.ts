#!/usr/bin/env node
// The `ato` binary (dist/cli.js): loads the CLI's bundle next to it (dist/cliMain.js, built from ato.ts)
// through V8's code cache, so every run after the first skips most of compiling it (issue 14: `ato status`).
// Node 22.1+ keeps the cache itself (module.enableCompileCache); on older Node it is kept here, in a folder
// of the user's own under the temp folder, keyed by Node's version and the bundle's content. Whatever goes
// wrong with the cache, the bundle loads as a plain require.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

// Node's fetch parses HTTP with llhttp, compiled to WebAssembly: V8 re-compiles its hot functions with its
// optimising compiler on background threads, and a process that has finished waits for those compiles before
// it exits — 50 to 300 ms of `ato status` (issue 14), more on a busy machine. A CLI parses a few responses:
// V8's baseline WebAssembly compiler is plenty. (A flag this V8 does not know is a warning on stderr only.)
setFlagsFromString('--liftoff-only');

type ModuleWrapper = (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;

const bundle = join(__dirname, 'cliMain.js');

/** `<temp>/ato-compile-cache-<uid>`, only when it is a folder this user owns that no one else can write to. */
function cacheDirectory(): string | undefined {
  const uid = process.getuid?.();
  const directory = join(tmpdir(), `ato-compile-cache${uid === undefined ? '' : `-${String(uid)}`}`);
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const stat = statSync(directory);
  if (!stat.isDirectory() || (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0))) return undefined;
  return directory;
}

function loadWithCodeCache(): boolean {
  let source: string;
  let cacheFile: string | undefined;
  let cachedData: Buffer | undefined;
  try {
    source = readFileSync(bundle, 'utf8');
    const directory = cacheDirectory();
    if (directory === undefined) return false;
    const key = createHash('sha256').update(`${process.version} ${process.arch}\n`).update(source).digest('hex').slice(0, 32);
    cacheFile = join(directory, `cli-${key}.bin`);
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined; // The first run with this bundle: it writes the cache at exit.
    }
  } catch {
    return false;
  }
  const script = new Script(Module.wrap(source.startsWith('#!') ? `//${source.slice(2)}` : source), { filename: bundle, ...(cachedData === undefined ? {} : { cachedData }) });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    const target = cacheFile;
    // At exit the cache also holds the functions this run compiled lazily.
    process.once('exit', () => {
      try {
        const temporary = `${target}.${String(process.pid)}`;
        writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        renameSync(temporary, target);
      } catch {
        // A cache that cannot be written costs the next run its compile, nothing more.
      }
    });
  }
  const wrapper = script.runInThisContext() as ModuleWrapper;
  const module = new Module(bundle);
  module.filename = bundle;
  module.loaded = true;
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, __dirname);
  return true;
}

const nodeCache = (Module as unknown as { enableCompileCache?: () => unknown }).enableCompileCache;
if (nodeCache !== undefined) {
  nodeCache();
  createRequire(bundle)(bundle);
} else if (!loadWithCodeCache()) {
  createRequire(bundle)(bundle);
}
