import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { parseTaskFileWithLocations } from './parseTaskFile';
import type { Task, TaskDiagnostic, TextRange } from './task';
import { fileStartRange, quoted, taskDiagnostic } from './taskDiagnostics';

export interface TaskPathContext {
  /** The workspace folder every target and `cwd` must stay inside. */
  readonly workspaceRoot: string;
  /** The task file's text, to point each diagnostic at the line that names the path. */
  readonly taskFileText: string;
}

/** Where a path ends up: lexically outside, inside, or inside by name but outside once symlinks are followed. */
type Containment = { readonly kind: 'inside' } | { readonly kind: 'outside' } | { readonly kind: 'symlink'; readonly realPath: string } | { readonly kind: 'unresolvable'; readonly reason: string };

function isWithin(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside === '' || (!inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside));
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

const separators = process.platform === 'win32' ? /[\\/]+/ : /\/+/;

/**
 * Follows `path` as the operating system would: each existing component through `realpath`, so `..`
 * after a symlink climbs from the link's target, not from the link; the part that does not exist yet is
 * taken by name (creating it makes real folders, where `..` means what it says).
 */
async function followPath(base: string, path: string): Promise<string> {
  const start = isAbsolute(path) ? parse(resolve(path)).root : base;
  const segments = (isAbsolute(path) ? path.slice(parse(path).root.length) : path).split(separators);
  let current = await realpath(start);
  for (const [index, segment] of segments.entries()) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, segment);
    try {
      current = await realpath(next);
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      return resolve(next, ...segments.slice(index + 1));
    }
  }
  return current;
}

async function containment(root: string, realRoot: string, path: string): Promise<Containment> {
  const absolute = resolve(root, path);
  if (!isWithin(root, absolute) && !isWithin(realRoot, absolute)) return { kind: 'outside' };
  try {
    const realPath = await followPath(realRoot, path);
    return isWithin(realRoot, realPath) ? { kind: 'inside' } : { kind: 'symlink', realPath };
  } catch (error) {
    return { kind: 'unresolvable', reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Checks that each target file and the `cwd` of `task` resolve inside the workspace: no absolute path
 * outside it, no `..` escape, no symlink whose real path leads outside (a path that does not exist yet is
 * fine when the part that exists stays inside). Each problem is an error at the line naming the path.
 */
export async function checkTaskPaths(task: Task, context: TaskPathContext): Promise<TaskDiagnostic[]> {
  const root = resolve(context.workspaceRoot);
  const realRoot = await realpath(root).catch(() => root);
  const { locations } = parseTaskFileWithLocations(context.taskFileText, `${task.id}.task.md`);
  const checks: { readonly path: string; readonly what: 'target' | 'cwd'; readonly range: TextRange }[] = task.targetFiles.map((path, index) => ({
    path,
    what: 'target' as const,
    range: (locations.targetFiles[index]?.text === path ? locations.targetFiles[index] : locations.targetFiles.find(target => target.text === path))?.range ?? fileStartRange,
  }));
  if (task.cwd !== undefined) checks.push({ path: task.cwd, what: 'cwd', range: locations.keys.get('cwd')?.valueRange ?? fileStartRange });
  const diagnostics: TaskDiagnostic[] = [];
  for (const { path, what, range } of checks) {
    const label = what === 'cwd' ? `"cwd" ${quoted(path)}` : `Target file ${quoted(path)}`;
    const found = path.includes('\0') ? { kind: 'unresolvable', reason: 'it contains a NUL character' } as const : await containment(root, realRoot, path);
    switch (found.kind) {
      case 'inside':
        break;
      case 'outside':
        diagnostics.push(taskDiagnostic('error', what === 'cwd' ? 'cwd-outside-workspace' : 'target-outside-workspace', `${label} is outside the workspace (${root}).`, range));
        break;
      case 'symlink':
        diagnostics.push(taskDiagnostic('error', 'symlink-outside-workspace', `${label} leads outside the workspace through a symlink (to ${found.realPath}).`, range));
        break;
      case 'unresolvable':
        diagnostics.push(taskDiagnostic('error', 'path-unresolvable', `${label} cannot be resolved: ${found.reason}.`, range));
        break;
    }
  }
  return diagnostics;
}
