import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { git, runGit } from './gitRunner';

export const zeroSha = '0000000000000000000000000000000000000000';

export interface GitIdentity {
  readonly name: string;
  readonly email: string;
  /** ISO 8601. */
  readonly date: string;
}

export interface RefValue {
  readonly sha: string;
  /** `commit`, or `tag` for annotated tags. */
  readonly type: string;
}

export type RefMap = ReadonlyMap<string, RefValue>;

export interface TreeEntry {
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly sha: string;
  /** Blobs only. */
  readonly size: number | undefined;
  readonly path: string;
}

/** One change to a tree: put an object at `path`, or (`sha: null`) remove the file or folder there. */
export type TreeChange =
  | { readonly path: string; readonly mode: string; readonly type: 'blob' | 'tree' | 'commit'; readonly sha: string }
  | { readonly path: string; readonly sha: null };

export interface CommitInfo {
  readonly sha: string;
  readonly tree: string;
  readonly parents: readonly string[];
  readonly author: GitIdentity;
  readonly committer: GitIdentity;
  readonly message: string;
}

export interface ChangedFile {
  readonly path: string;
  readonly status: 'added' | 'removed' | 'modified' | 'renamed';
  /** Where a renamed file was (git's rename detection, as GitHub's `previous_filename`). */
  readonly previousPath?: string;
  readonly sha: string;
  readonly additions: number;
  readonly deletions: number;
  readonly patch: string | undefined;
}

/**
 * A bare repository driven only with plumbing (hash-object, a throw-away index, write-tree, commit-tree,
 * update-ref with the old value), so concurrent writers are safe: ref updates are compare-and-swap.
 */
export class BareRepo {
  private tempCounter = 0;
  /** Answers that depend only on commit shas (commits never change), shared by every PR on the same pair. */
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(readonly gitDir: string, private readonly tempDir: string) {}

  static async create(gitDir: string, tempDir: string, defaultBranch: string): Promise<BareRepo> {
    await mkdir(gitDir, { recursive: true });
    await mkdir(tempDir, { recursive: true });
    await git(gitDir, ['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`]);
    await git(gitDir, ['config', 'http.receivepack', 'true']);
    await git(gitDir, ['config', 'uploadpack.allowAnySHA1InWant', 'true']);
    return new BareRepo(gitDir, tempDir);
  }

  async readRefs(): Promise<Map<string, RefValue>> {
    const out = await git(this.gitDir, ['for-each-ref', '--format=%(objectname) %(objecttype) %(refname)']);
    const refs = new Map<string, RefValue>();
    for (const line of out.split('\n')) {
      const [sha, type, ref] = line.split(' ');
      if (sha !== undefined && type !== undefined && ref !== undefined) refs.set(ref, { sha, type });
    }
    return refs;
  }

  /** What a fully qualified ref points at right now (not cached), or undefined. */
  async readRef(ref: string): Promise<string | undefined> {
    if (!ref.startsWith('refs/')) return undefined;
    const result = await runGit(this.gitDir, ['rev-parse', '--verify', '--quiet', '--end-of-options', ref]);
    return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
  }

  async isValidRefName(ref: string): Promise<boolean> {
    return (await runGit(this.gitDir, ['check-ref-format', ref])).code === 0;
  }

  /** The commit a branch, tag or sha names, or undefined. */
  async resolveCommit(rev: string): Promise<string | undefined> {
    if (rev.startsWith('-')) return undefined;
    const result = await runGit(this.gitDir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
    return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
  }

  async objectType(sha: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{4,40}$/.test(sha)) return undefined;
    const result = await runGit(this.gitDir, ['cat-file', '-t', sha]);
    return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
  }

  writeBlob(content: Buffer): Promise<string> {
    return git(this.gitDir, ['hash-object', '-w', '--stdin'], { input: content });
  }

  async readBlob(sha: string): Promise<Buffer> {
    const result = await runGit(this.gitDir, ['cat-file', 'blob', sha]);
    if (result.code !== 0) throw new Error(`no blob ${sha}`);
    return result.stdout;
  }

  /** Entries of a tree (of `treeish`, optionally under `path`); `recursive` lists files at any depth (and folders with `trees`). */
  async listTree(treeish: string, options: { readonly path?: string; readonly recursive?: boolean; readonly trees?: boolean } = {}): Promise<TreeEntry[]> {
    const args = ['ls-tree', '-l', '-z', ...(options.recursive === true ? ['-r'] : []), ...(options.trees === true ? ['-t'] : []), treeish, ...(options.path === undefined ? [] : ['--', options.path])];
    const out = (await runGit(this.gitDir, args)).stdout.toString('utf8');
    const entries: TreeEntry[] = [];
    for (const record of out.split('\0')) {
      const match = /^(\d+) (blob|tree|commit) ([0-9a-f]{40}) +(-|\d+)\t(.*)$/s.exec(record);
      if (match === null) continue;
      const [, mode, type, sha, size, path] = match as unknown as [string, string, TreeEntry['type'], string, string, string];
      entries.push({ mode, type, sha, size: size === '-' ? undefined : Number(size), path });
    }
    return entries;
  }

  /** The entry at `path` in a commit's tree, or undefined. */
  async entryAt(commit: string, path: string): Promise<TreeEntry | undefined> {
    const clean = path.replace(/^\/+|\/+$/g, '');
    if (clean === '') return undefined;
    return (await this.listTree(commit, { path: clean })).find(entry => entry.path === clean);
  }

  /** Writes a tree: `base` (a tree or commit, or none for an empty tree) with `changes` applied in order. */
  async writeTree(base: string | undefined, changes: readonly TreeChange[]): Promise<string> {
    const index = join(this.tempDir, `index-${process.pid}-${this.tempCounter++}-${randomBytes(4).toString('hex')}`);
    const env = { GIT_INDEX_FILE: index, GIT_LITERAL_PATHSPECS: '1' };
    try {
      await git(this.gitDir, base === undefined ? ['read-tree', '--empty'] : ['read-tree', base], { env });
      const original = new Set((await git(this.gitDir, ['ls-files', '-z'], { env })).split('\0').filter(path => path !== ''));
      // path -> index line to add, or null to remove; trees are read in afterwards under their prefix.
      const files = new Map<string, string | null>([...original].map(path => [path, '']));
      const trees = new Map<string, string>();
      const clear = (path: string): void => {
        for (const [file, line] of files) if ((file === path || file.startsWith(`${path}/`)) && line !== null) files.set(file, null);
        for (const tree of [...trees.keys()]) if (tree === path || tree.startsWith(`${path}/`) || path.startsWith(`${tree}/`)) trees.delete(tree);
        // A file where a parent folder of `path` must go is replaced too.
        const parts = path.split('/');
        for (let depth = 1; depth < parts.length; depth++) {
          const parent = parts.slice(0, depth).join('/');
          if (files.get(parent) !== undefined && files.get(parent) !== null) files.set(parent, null);
        }
      };
      for (const change of changes) {
        const path = change.path.replace(/^\/+|\/+$/g, '');
        clear(path);
        if (change.sha === null) continue;
        if (change.type === 'tree') trees.set(path, change.sha);
        else files.set(path, `${change.mode} ${change.sha}\t${path}`);
      }
      const lines: string[] = [];
      for (const [path, line] of files) {
        if (line === null && original.has(path)) lines.push(`0 ${zeroSha}\t${path}`);
        else if (line !== null && line !== '') lines.push(line);
      }
      if (lines.length > 0) await git(this.gitDir, ['update-index', '-z', '--add', '--index-info'], { env, input: lines.join('\0') + '\0' });
      for (const [path, sha] of trees) await git(this.gitDir, ['read-tree', `--prefix=${path}/`, sha], { env });
      return await git(this.gitDir, ['write-tree'], { env });
    } finally {
      await rm(index, { force: true });
    }
  }

  async commitTree(tree: string, parents: readonly string[], message: string, author: GitIdentity, committer: GitIdentity = author): Promise<string> {
    const args = ['commit-tree', tree, ...parents.flatMap(parent => ['-p', parent]), '-F', '-'];
    return git(this.gitDir, args, {
      input: message,
      env: {
        GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_AUTHOR_DATE: gitDate(author.date),
        GIT_COMMITTER_NAME: committer.name, GIT_COMMITTER_EMAIL: committer.email, GIT_COMMITTER_DATE: gitDate(committer.date),
      },
    });
  }

  async readCommit(sha: string): Promise<CommitInfo | undefined> {
    if (!/^[0-9a-f]{4,40}$/.test(sha)) return undefined;
    const result = await runGit(this.gitDir, ['cat-file', 'commit', sha]);
    if (result.code !== 0) return undefined;
    const full = sha.length === 40 ? sha : await git(this.gitDir, ['rev-parse', sha]);
    return parseCommit(full, result.stdout.toString('utf8'));
  }

  /**
   * Moves `ref` to `sha` if it still points at `expected` (null: only if it does not exist; undefined: no
   * check). Returns false when another writer got there first.
   */
  async updateRef(ref: string, sha: string, expected: string | null | undefined): Promise<boolean> {
    const args = ['update-ref', ref, sha, ...(expected === undefined ? [] : [expected ?? zeroSha])];
    return (await runGit(this.gitDir, args)).code === 0;
  }

  async deleteRef(ref: string, expected?: string): Promise<boolean> {
    return (await runGit(this.gitDir, ['update-ref', '-d', ref, ...(expected === undefined ? [] : [expected])])).code === 0;
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await this.ancestry(ancestor, descendant)) === 'ancestor';
  }

  /** One process for two questions: does `descendant` exist as a commit, and does it contain `ancestor`? */
  async ancestry(ancestor: string, descendant: string): Promise<'ancestor' | 'notAncestor' | 'missing'> {
    const code = (await runGit(this.gitDir, ['merge-base', '--is-ancestor', ancestor, descendant])).code;
    return code === 0 ? 'ancestor' : code === 1 ? 'notAncestor' : 'missing';
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    return this.cached(`merge-base ${a} ${b}`, [a, b], async () => {
      const result = await runGit(this.gitDir, ['merge-base', a, b]);
      return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
    });
  }

  private cached<T>(key: string, shas: readonly string[], compute: () => Promise<T>): Promise<T> {
    if (!shas.every(sha => /^[0-9a-f]{40}$/.test(sha))) return compute();
    let value = this.memo.get(key) as Promise<T> | undefined;
    if (value === undefined) {
      value = compute();
      this.memo.set(key, value);
      value.catch(() => this.memo.delete(key));
    }
    return value;
  }

  /** A three-way merge of two commits without a work tree: the merged tree, or `clean: false` on conflicts. */
  async mergeTree(ours: string, theirs: string): Promise<{ readonly clean: boolean; readonly tree: string }> {
    return this.cached(`merge-tree ${ours} ${theirs}`, [ours, theirs], () => this.computeMergeTree(ours, theirs));
  }

  private async computeMergeTree(ours: string, theirs: string): Promise<{ readonly clean: boolean; readonly tree: string }> {
    const result = await runGit(this.gitDir, ['merge-tree', '--write-tree', '--no-messages', ours, theirs]);
    if (result.code > 1) throw new Error(`git merge-tree failed: ${result.stderr}`);
    return { clean: result.code === 0, tree: result.stdout.toString('utf8').split('\n')[0]?.trim() ?? '' };
  }

  /** The tree of `onto` with the changes `commit` made to its first parent, or undefined if they do not apply. */
  async replay(commit: string, onto: string): Promise<string | undefined> {
    const info = await this.readCommit(commit);
    const parent = info?.parents[0];
    if (info === undefined || parent === undefined) return undefined;
    const patch = (await runGit(this.gitDir, ['diff-tree', '-p', '--binary', '--full-index', parent, commit])).stdout;
    if (patch.length === 0) return (await this.readCommit(onto))?.tree;
    const index = join(this.tempDir, `replay-${process.pid}-${this.tempCounter++}-${randomBytes(4).toString('hex')}`);
    const env = { GIT_INDEX_FILE: index };
    try {
      await git(this.gitDir, ['read-tree', onto], { env });
      const applied = await runGit(this.gitDir, ['apply', '--cached', '--3way'], { env, input: patch });
      if (applied.code !== 0) return undefined;
      return await git(this.gitDir, ['write-tree'], { env });
    } finally {
      await rm(index, { force: true });
    }
  }

  /** Commits reachable from `head` but not from `base`, oldest first. */
  async commitsBetween(base: string, head: string): Promise<readonly string[]> {
    return this.cached(`rev-list ${base} ${head}`, [base, head], async () => {
      const out = await git(this.gitDir, ['rev-list', '--reverse', `${base}..${head}`]);
      return out === '' ? [] : out.split('\n');
    });
  }

  /** Files that differ between two commits, with line counts and patches; renames detected as GitHub does (50 % similar). */
  async changedFiles(from: string, to: string): Promise<readonly ChangedFile[]> {
    return this.cached(`diff ${from} ${to}`, [from, to], () => this.computeChangedFiles(from, to));
  }

  private async computeChangedFiles(from: string, to: string): Promise<ChangedFile[]> {
    // NUL-separated: raw entries (`:modes shas status`, then the path, or the old and new path of a rename),
    // then numstat entries (`adds<TAB>dels<TAB>path`, or `adds<TAB>dels<TAB>` then the old and new path).
    const tokens = (await git(this.gitDir, ['diff-tree', '-r', '-M', '-z', '--raw', '--numstat', from, to])).split('\0');
    const counts = new Map<string, { additions: number; deletions: number }>();
    const entries: { path: string; status: ChangedFile['status']; sha: string; previousPath?: string }[] = [];
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index] ?? '';
      const rawMatch = /^:\d+ \d+ ([0-9a-f]{40}) ([0-9a-f]{40}) ([AMDTR])\d*$/.exec(token.trim());
      if (rawMatch !== null) {
        const [, oldSha, newSha, letter] = rawMatch as unknown as [string, string, string, string];
        if (letter === 'R') {
          entries.push({ previousPath: tokens[index + 1] ?? '', path: tokens[index + 2] ?? '', status: 'renamed', sha: newSha });
          index += 2;
        } else {
          entries.push({ path: tokens[index + 1] ?? '', status: letter === 'A' ? 'added' : letter === 'D' ? 'removed' : 'modified', sha: letter === 'D' ? oldSha : newSha });
          index += 1;
        }
        continue;
      }
      const statMatch = /^(\d+|-)\t(\d+|-)\t(.*)$/s.exec(token.replace(/^\n/, ''));
      if (statMatch === null) continue;
      const count = { additions: Number(statMatch[1]) || 0, deletions: Number(statMatch[2]) || 0 };
      if (statMatch[3] === '') {
        counts.set(tokens[index + 2] ?? '', count);
        index += 2;
      } else {
        counts.set(statMatch[3] ?? '', count);
      }
    }
    const patches = splitPatch((await runGit(this.gitDir, ['diff-tree', '-p', '-M', from, to])).stdout.toString('utf8'));
    return entries.map(entry => ({ ...entry, ...(counts.get(entry.path) ?? { additions: 0, deletions: 0 }), patch: patches.get(entry.path) }));
  }
}

function gitDate(iso: string): string {
  return `@${Math.floor(Date.parse(iso) / 1000)} +0000`;
}

function parseIdentity(text: string): GitIdentity {
  const match = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(text);
  if (match === null) return { name: text, email: '', date: new Date(0).toISOString() };
  return { name: match[1]!, email: match[2]!, date: new Date(Number(match[3]) * 1000).toISOString().replace('.000Z', 'Z') };
}

function parseCommit(sha: string, text: string): CommitInfo {
  const split = text.indexOf('\n\n');
  const header = split < 0 ? text : text.slice(0, split);
  const message = split < 0 ? '' : text.slice(split + 2);
  let tree = '';
  const parents: string[] = [];
  let author = parseIdentity('');
  let committer = author;
  for (const line of header.split('\n')) {
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = parseIdentity(value);
    else if (key === 'committer') committer = parseIdentity(value);
  }
  return { sha, tree, parents, author, committer, message };
}

/** `diff --git a/x b/y` sections of a patch, keyed by the new path, without their headers (as GitHub's `patch`). */
function splitPatch(patch: string): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const section of patch.split(/^diff --git /m).slice(1)) {
    const path = /^a\/.*? b\/(.*)$/m.exec(section)?.[1];
    const hunk = section.indexOf('\n@@');
    if (path !== undefined && hunk >= 0) byPath.set(path, section.slice(hunk + 1).replace(/\n$/, ''));
  }
  return byPath;
}
