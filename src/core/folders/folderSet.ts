import { isAbsolute, relative } from 'node:path';

/** A workspace folder as ATO sees it: each one is its own ATO workspace (PRODUCT §2). */
export interface FolderRef {
  /** Stable for the folder's life in the window: its URI. */
  readonly key: string;
  readonly name: string;
  /** The folder on disk. */
  readonly path: string;
}

/** What a change of the window's folders means for the per-folder services: which to start, which to stop. */
export function diffFolders<T extends FolderRef>(running: Iterable<string>, wanted: readonly T[]): { readonly added: readonly T[]; readonly removed: readonly string[] } {
  const have = new Set(running);
  const want = new Set(wanted.map(folder => folder.key));
  return { added: wanted.filter(folder => !have.has(folder.key)), removed: [...have].filter(key => !want.has(key)) };
}

/** The folder a file lies in; the innermost one when folders nest. */
export function folderOfPath<T extends FolderRef>(folders: readonly T[], file: string): T | undefined {
  let found: T | undefined;
  for (const folder of folders) {
    const inside = relative(folder.path, file);
    if (inside.startsWith('..') || isAbsolute(inside)) continue;
    if (found === undefined || folder.path.length > found.path.length) found = folder;
  }
  return found;
}

/** The argument that names a folder for a command: appended by the tree and the panel, stripped before the handler runs. */
export interface FolderArg {
  readonly atoFolder: string;
}

export function folderArg(key: string): FolderArg {
  return { atoFolder: key };
}

function isFolderArg(value: unknown): value is FolderArg {
  return typeof value === 'object' && value !== null && 'atoFolder' in value && typeof value.atoFolder === 'string';
}

/** The folder a command's arguments name: a folder argument, or a tree row (or the first of a selection) that carries one. */
export function folderNamedBy(args: readonly unknown[]): string | undefined {
  for (const arg of args) {
    if (isFolderArg(arg)) return arg.atoFolder;
    const row: unknown = Array.isArray(arg) ? arg[0] : arg;
    if (typeof row === 'object' && row !== null && 'folder' in row && typeof row.folder === 'string') return row.folder;
  }
  return undefined;
}

/** The arguments the handler sees: without folder arguments. */
export function withoutFolderArgs(args: readonly unknown[]): unknown[] {
  return args.filter(arg => !isFolderArg(arg));
}

/**
 * What a command acts on, in this order: the folder its arguments name (a tree row, the panel), else the only
 * one, else the folder of the row selected in ATO's tree while the tree has focus (`selected`), else the
 * active editor's; else ask among all.
 */
export type FolderChoice<T> = { readonly kind: 'folder'; readonly folder: T } | { readonly kind: 'ask'; readonly among: readonly T[] } | { readonly kind: 'none' };

export function chooseFolder<T extends FolderRef>(folders: readonly T[], hints: { readonly named?: string | undefined; readonly selected?: string | undefined; readonly activeFile?: string | undefined }): FolderChoice<T> {
  const named = hints.named === undefined ? undefined : folders.find(folder => folder.key === hints.named);
  if (named !== undefined) return { kind: 'folder', folder: named };
  const [only, ...others] = folders;
  if (only === undefined) return { kind: 'none' };
  // A row of a folder that has left the window: never act on another folder without asking.
  if (hints.named !== undefined) return { kind: 'ask', among: folders };
  if (others.length === 0) return { kind: 'folder', folder: only };
  const selected = hints.selected === undefined ? undefined : folders.find(folder => folder.key === hints.selected);
  if (selected !== undefined) return { kind: 'folder', folder: selected };
  const active = hints.activeFile === undefined ? undefined : folderOfPath(folders, hints.activeFile);
  return active === undefined ? { kind: 'ask', among: folders } : { kind: 'folder', folder: active };
}
