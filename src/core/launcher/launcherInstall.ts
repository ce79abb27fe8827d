import { lstat, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { delimiter as posixOrHostDelimiter, isAbsolute, join, resolve, win32 } from 'node:path';
import { cmdLauncher, launcherMarker, shLauncher, type LauncherTarget } from './launcherScript';

/** One launcher file: its name in the bin folder and its text. */
export interface LauncherFile {
  readonly name: string;
  readonly text: string;
}

/** Where the launcher goes, and why there. */
export interface LauncherDirectory {
  readonly directory: string;
  readonly why: string;
}

/**
 * `~/.local/bin` (or `$XDG_BIN_HOME` when set to an absolute path), on every platform: the per-user folder
 * for commands of the XDG base-directory convention (systemd's file-hierarchy, pipx and uv use it; uv and
 * pipx use it on Windows too). It needs no administrator rights, unlike the /usr/local/bin VS Code's own
 * `code` command goes to, and most Linux distributions put it on the PATH when it exists.
 */
export function launcherDirectory(env: NodeJS.ProcessEnv, home: string): LauncherDirectory {
  const xdg = env['XDG_BIN_HOME'];
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return { directory: xdg, why: '$XDG_BIN_HOME, your folder for per-user commands' };
  return { directory: join(home, '.local', 'bin'), why: 'the usual folder for per-user commands (no administrator rights needed)' };
}

/** `ato` (sh) everywhere, and `ato.cmd` on Windows as well (the sh one serves Git Bash there). */
export function launcherFiles(platform: NodeJS.Platform, target: LauncherTarget): readonly LauncherFile[] {
  const sh = { name: 'ato', text: shLauncher(target) };
  return platform === 'win32' ? [sh, { name: 'ato.cmd', text: cmdLauncher(target) }] : [sh];
}

/** Whether `directory` is one of the PATH's entries (case-insensitively on Windows, trailing separators aside). */
export function isOnPath(directory: string, pathVariable: string | undefined, platform: NodeJS.Platform): boolean {
  const windows = platform === 'win32';
  const normalise = (entry: string): string => {
    const resolved = windows ? win32.resolve(entry) : resolve(entry);
    return windows ? resolved.toLowerCase() : resolved;
  };
  const wanted = normalise(directory);
  return (pathVariable ?? '').split(windows ? ';' : posixOrHostDelimiter).some(entry => entry.trim() !== '' && normalise(entry.trim()) === wanted);
}

export type InstallOutcome =
  | { readonly kind: 'installed'; readonly written: readonly string[]; readonly unchanged: readonly string[] }
  /** A file of that name is there and ATO did not write it (or it is a link or a folder): nothing was written. */
  | { readonly kind: 'conflict'; readonly path: string; readonly reason: string };

type Existing = { readonly kind: 'missing' } | { readonly kind: 'ours'; readonly text: string } | { readonly kind: 'foreign'; readonly reason: string };

async function inspect(path: string): Promise<Existing> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  if (stats.isSymbolicLink()) return { kind: 'foreign', reason: 'it is a symbolic link ATO did not make' };
  if (!stats.isFile()) return { kind: 'foreign', reason: 'it is not a file' };
  const text = await readFile(path, 'utf8');
  return text.includes(launcherMarker) ? { kind: 'ours', text } : { kind: 'foreign', reason: 'ATO did not write it' };
}

/**
 * Writes the launcher files into `directory` (created if needed), each through a temporary file renamed
 * over it, so a crash leaves the old launcher or the new one, never half of one. Every file is checked
 * before any is written: when one of them belongs to someone else, nothing changes. Running it again
 * rewrites only what differs. With `onlyIfInstalled`, it refreshes a launcher ATO already wrote (the
 * extension moved on update) and creates none.
 */
export async function installLauncher(directory: string, files: readonly LauncherFile[], options: { readonly onlyIfInstalled?: boolean } = {}): Promise<InstallOutcome> {
  const existing = await Promise.all(files.map(async file => ({ file, path: join(directory, file.name), state: await inspect(join(directory, file.name)) })));
  for (const { path, state } of existing) {
    if (state.kind === 'foreign') return { kind: 'conflict', path, reason: state.reason };
  }
  if (options.onlyIfInstalled === true && !existing.some(entry => entry.state.kind === 'ours')) return { kind: 'installed', written: [], unchanged: [] };
  await mkdir(directory, { recursive: true });
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const { file, path, state } of existing) {
    if (state.kind === 'ours' && state.text === file.text) {
      unchanged.push(path);
      continue;
    }
    const temporary = `${path}.ato-${String(process.pid)}.tmp`;
    await writeFile(temporary, file.text, { mode: 0o755 });
    await rename(temporary, path);
    written.push(path);
  }
  return { kind: 'installed', written, unchanged };
}

export interface UninstallOutcome {
  readonly removed: readonly string[];
  /** Files of a launcher's name that ATO did not write: left where they are. */
  readonly kept: readonly { readonly path: string; readonly reason: string }[];
}

/** Removes the launcher files ATO wrote in `directory`; anything else of the same name stays. */
export async function uninstallLauncher(directory: string, names: readonly string[]): Promise<UninstallOutcome> {
  const removed: string[] = [];
  const kept: { path: string; reason: string }[] = [];
  for (const name of names) {
    const path = join(directory, name);
    const state = await inspect(path);
    if (state.kind === 'foreign') kept.push({ path, reason: state.reason });
    if (state.kind !== 'ours') continue;
    await unlink(path);
    removed.push(path);
  }
  return { removed, kept };
}
