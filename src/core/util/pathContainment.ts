import { realpath as realpathAsync } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Path containment (PRODUCT §3.1, §5): a path written in a task file, or a folder ATO reads from, must stay
 * inside a root — the workspace, or the agent's own worktree. One set of rules for every place that checks:
 * the task-file parser (by the text alone), the editor's diagnostics, the queue index, the CLI and the
 * dispatcher (through the file system, symlinks followed).
 */

/**
 * Why a relative path written in a task file cannot be used, from its text alone; undefined when it can.
 * Both `/` and `\` count as separators, so a file written on either system is judged the same everywhere.
 */
export function pathTextProblem(path: string): string | undefined {
  if (path.includes('\0')) return 'contains a NUL character';
  if (/^[\\/]/.test(path) || /^[a-z]:/i.test(path)) return 'is an absolute path';
  // An agent reads `~/x` as the home folder, whatever a shell would do with it.
  if (path.startsWith('~')) return 'starts with "~" (the home folder)';
  let depth = 0;
  for (const segment of path.split(/[\\/]+/)) {
    if (segment === '..') depth--;
    else if (segment !== '' && segment !== '.') depth++;
    if (depth < 0) return 'climbs out with ".."';
  }
  return undefined;
}

/** True when `path` is `root` or below it, by name (both absolute, already resolved). */
export function isWithin(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside === '' || (!inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside));
}

/** `realpath`, possibly memoized or synchronous (see {@link realPathCache}). */
export type RealPath = (path: string) => Promise<string>;

/**
 * A memoizing `realpath` for one batch of checks (task files of one queue read share `src/`, `packages/`…).
 * With `sync`, each call is a synchronous system call: no wait behind a busy thread pool, for small batches.
 */
export function realPathCache(options: { readonly sync?: boolean } = {}): RealPath {
  const known = new Map<string, Promise<string>>();
  return path => {
    let found = known.get(path);
    if (found === undefined) {
      found = options.sync === true ? syncRealPath(path) : realpathAsync(path);
      known.set(path, found);
    }
    return found;
  };
}

function syncRealPath(path: string): Promise<string> {
  try {
    return Promise.resolve(realpathSync(path));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** What the file system takes as a separator (the text rules above take both everywhere). */
const osSeparators = process.platform === 'win32' ? /[\\/]+/ : /\/+/;

const defaultRealPath: RealPath = path => realpathAsync(path);

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Follows a relative `path` from the real folder `base` as the operating system would: each existing
 * component through `realpath`, so `..` after a symlink climbs from the link's target, not from the link.
 * The part that does not exist yet is taken by name (creating it makes real folders, where `..` means what
 * it says). Throws for errors other than absence (a symlink loop, a permission problem).
 */
async function followPath(base: string, path: string, real: RealPath): Promise<{ readonly path: string; readonly exists: boolean }> {
  const segments = path.split(osSeparators);
  let current = base;
  for (const [index, segment] of segments.entries()) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, segment);
    try {
      current = await real(next);
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      return { path: resolve(next, ...segments.slice(index + 1)), exists: false };
    }
  }
  return { path: current, exists: true };
}

/** Where a relative path leads from a root. */
export type Containment =
  /** Inside the root once symlinks are followed; `realPath` is where it leads (by name past the part that exists). */
  | { readonly kind: 'inside'; readonly realPath: string; readonly exists: boolean }
  /** Out of the root by its text alone: absolute, `~`, or `..` past the root. */
  | { readonly kind: 'outside'; readonly reason: string }
  /** Inside by name, outside once a symlink is followed. */
  | { readonly kind: 'symlink'; readonly realPath: string }
  | { readonly kind: 'unresolvable'; readonly reason: string };

/**
 * Resolves `path` (relative, as a task file writes it) from `root`, following symlinks, and says whether it
 * stays inside the root's real path. A path that does not exist yet is inside when the part that exists is.
 */
export async function resolveContained(root: string, path: string, real: RealPath = defaultRealPath): Promise<Containment> {
  const problem = pathTextProblem(path);
  if (problem !== undefined) return { kind: 'outside', reason: problem };
  try {
    const realRoot = await real(resolve(root));
    const followed = await followPath(realRoot, path, real);
    return isWithin(realRoot, followed.path) ? { kind: 'inside', realPath: followed.path, exists: followed.exists } : { kind: 'symlink', realPath: followed.path };
  } catch (error) {
    return { kind: 'unresolvable', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Where an existing folder or file really is, relative to a root. */
export type PlaceCheck =
  | { readonly kind: 'inside'; readonly realPath: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'outside'; readonly realPath: string }
  | { readonly kind: 'unresolvable'; readonly reason: string };

/**
 * Checks that the absolute `path` (a queue folder, a task file's folder) really is inside `root` once every
 * symlink on the way is followed. A path that does not exist is `missing` (nothing there to read).
 */
export async function checkPlace(root: string, path: string, real: RealPath = defaultRealPath): Promise<PlaceCheck> {
  let realPath: string;
  try {
    realPath = await real(resolve(path));
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'unresolvable', reason: error instanceof Error ? error.message : String(error) };
  }
  try {
    return isWithin(await real(resolve(root)), realPath) ? { kind: 'inside', realPath } : { kind: 'outside', realPath };
  } catch (error) {
    return { kind: 'unresolvable', reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Like {@link checkPlace} for a folder that may not exist yet (a move's destination, which `mkdir` will
 * create): judged by its nearest existing ancestor, since what is created below that is a real folder.
 */
export async function checkFuturePlace(root: string, path: string, real: RealPath = defaultRealPath): Promise<Exclude<PlaceCheck, { kind: 'missing' }>> {
  let current = resolve(path);
  for (;;) {
    const found = await checkPlace(root, current, real);
    if (found.kind !== 'missing') return found;
    const parent = dirname(current);
    if (parent === current) return { kind: 'unresolvable', reason: `no part of ${path} exists` };
    current = parent;
  }
}
