import { join } from 'node:path';
import { GitError, runGit } from '../../../git/git';
import { isTaskFileName, planningLayout, queueFolders, type QueueFolder } from '../../../planning/planningLayout';
import { fileProblem, folderProblemEntry, pathInQueueFolder, type QueueEntry } from '../../../queue/queueEntry';
import { listQueueFolder, maxTaskFileBytes, QueueFileReader, queueFileProblems, queueFolderProblems, type FileStamp } from '../../../queue/queueFiles';
import type { TaskFileParser } from '../../../queue/queueIndex';
import { parseTaskFile } from '../../../tasks/parseTaskFile';
import type { TaskParseResult } from '../../../tasks/task';
import { decodeTaskText } from '../../../tasks/taskText';
import { checkPlace } from '../../../util/pathContainment';
import { listTreeFiles, readBlobs, type TreeFile } from './gitTreeFiles';
import type { PlanningRead, PlanningReadOptions, PlanningSource } from './planningSource';
import { PlanningSourceError } from './planningSourceError';

export interface RemotePlanningSourceOptions {
  /** The repository's top-level folder (the user's working tree, which is never modified). */
  readonly workspaceRoot: string;
  /** Usually `origin`. */
  readonly remote: string;
  /** The remote's default branch, e.g. `main`. */
  readonly branch: string;
  /** The planning folder's path inside the repository, `/`-separated, e.g. `planning`. */
  readonly planningPath: string;
  /** Fetch before each read unless a read says otherwise. */
  readonly fetch: boolean;
  /** `git fetch` is killed after this; default 30 s. */
  readonly fetchTimeoutMs?: number;
  /** Default 1 MiB, as for the local queue. */
  readonly maxFileBytes?: number;
  /** Default `parseTaskFile`. */
  readonly parse?: TaskFileParser;
}

const defaultFetchTimeoutMs = 30_000;
/** `git ls-tree`'s mode for a symlink. */
const symlinkMode = '120000';
/** Names git could take for an option, or that cannot name a ref. */
const safeName = /^(?!-)(?!.*\.\.)[\w.@/-]+$/;

/**
 * The planning truth in GitHub mode (PRODUCT §3): `planning/` on the remote's default branch, read from the
 * remote-tracking ref after an optional `git fetch` — with `git ls-tree` and one `git cat-file --batch`, so
 * the user's working tree, index, HEAD and current branch are never touched. Task files are parsed once
 * per blob (an unchanged tree costs no parsing; an unchanged commit costs one `git log`). Local task files
 * the branch does not have come back as drafts. Reads run one at a time.
 */
export class RemotePlanningSource implements PlanningSource {
  readonly mode = 'github';
  private readonly parse: TaskFileParser;
  private readonly maxBytes: number;
  private readonly trackingRef: string;
  private readonly planningPath: string;
  /** Parse results by `<blob sha>/<file name>` (the name gives the default id and type). */
  private parses = new Map<string, TaskParseResult>();
  private lastTree: { readonly commit: string; readonly entries: readonly QueueEntry[]; readonly goal: string | undefined; readonly capabilities: string | undefined } | undefined;
  private draftCache = new Map<string, { readonly stamp: FileStamp; readonly entry: QueueEntry }>();
  private readonly draftReader: QueueFileReader;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: RemotePlanningSourceOptions) {
    for (const [what, name] of [['remote', options.remote], ['branch', options.branch], ['planning path', options.planningPath]] as const) {
      if (!safeName.test(name)) throw new PlanningSourceError('invalidName', `"${name}" is not a usable ${what} name.`);
    }
    this.parse = options.parse ?? parseTaskFile;
    this.maxBytes = options.maxFileBytes ?? maxTaskFileBytes;
    this.trackingRef = `refs/remotes/${options.remote}/${options.branch}`;
    this.planningPath = options.planningPath.replace(/\/+$/, '');
    this.draftReader = new QueueFileReader({ containmentRoot: options.workspaceRoot, maxBytes: this.maxBytes });
  }

  read(options: PlanningReadOptions = {}): Promise<PlanningRead> {
    const next = this.tail.then(() => this.readNow(options.fetch ?? this.options.fetch));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async readNow(fetch: boolean): Promise<PlanningRead> {
    if (fetch) await this.fetch();
    const { commit, committedAtMs } = await this.head();
    if (this.lastTree?.commit !== commit) this.lastTree = { commit, ...await this.readTree(commit, committedAtMs) };
    const { entries, goal, capabilities } = this.lastTree;
    return { revision: commit, entries, goal, capabilities, drafts: await this.readDrafts(entries) };
  }

  /**
   * Updates only the remote-tracking ref: no tags, no FETCH_HEAD, no submodules, and no `git maintenance run
   * --auto` after it (one more process on every read, issue 14): housekeeping is left to the user's own git.
   */
  private async fetch(): Promise<void> {
    const { remote, branch, workspaceRoot } = this.options;
    try {
      await runGit(['-c', 'maintenance.auto=false', 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--no-recurse-submodules', remote, `+refs/heads/${branch}:${this.trackingRef}`], {
        cwd: workspaceRoot,
        timeoutMs: this.options.fetchTimeoutMs ?? defaultFetchTimeoutMs,
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new PlanningSourceError('fetchFailed', `Could not fetch ${branch} from ${remote}: ${detail}`, { cause: error });
    }
  }

  private async head(): Promise<{ commit: string; committedAtMs: number }> {
    try {
      const { stdout } = await runGit(['log', '-1', '--no-walk', '--format=%H %ct', this.trackingRef, '--'], { cwd: this.options.workspaceRoot });
      const [commit = '', seconds = '0'] = stdout.trim().split(' ');
      return { commit, committedAtMs: Number(seconds) * 1000 };
    } catch (error) {
      if (GitError.is(error, 'unknownRevision')) {
        throw new PlanningSourceError('branchMissing', `${this.trackingRef} does not exist: fetch ${this.options.branch} from ${this.options.remote} first.`, { cause: error });
      }
      throw gitFailed(error);
    }
  }

  private async readTree(commit: string, committedAtMs: number): Promise<{ entries: QueueEntry[]; goal: string | undefined; capabilities: string | undefined }> {
    const root = this.options.workspaceRoot;
    let files: TreeFile[];
    try {
      files = await listTreeFiles(root, commit, this.planningPath);
    } catch (error) {
      throw gitFailed(error);
    }
    const goalPath = `${this.planningPath}/${planningLayout.goal}`;
    const capabilitiesPath = `${this.planningPath}/${planningLayout.capabilities}`;
    const tasks: { file: TreeFile; folder: QueueFolder; fileName: string; key: string }[] = [];
    const problems: QueueEntry[] = [];
    const wanted: string[] = [];
    const texts = new Map<string, TreeFile>();
    for (const file of files) {
      if (file.path === goalPath || file.path === capabilitiesPath) {
        if (file.type === 'blob' && file.mode !== symlinkMode && file.size <= this.maxBytes) {
          texts.set(file.path, file);
          wanted.push(file.sha);
        }
        continue;
      }
      if (file.mode === symlinkMode) problems.push(...this.symlinkProblems(file.path));
      const place = this.queuePlace(file.path);
      if (place === undefined || file.type !== 'blob') continue;
      const key = `${file.sha}/${place.fileName}`;
      tasks.push({ file, ...place, key });
      if (!this.parses.has(key) && file.mode !== symlinkMode && file.size <= this.maxBytes) wanted.push(file.sha);
    }
    let blobs: Map<string, Buffer>;
    try {
      blobs = await readBlobs(root, wanted);
    } catch (error) {
      throw gitFailed(error);
    }
    const parses = new Map<string, TaskParseResult>();
    const entries = tasks.map(({ file, folder, fileName, key }): QueueEntry => {
      const result = parses.get(key) ?? this.parses.get(key) ?? this.parseBlob(file, fileName, blobs.get(file.sha));
      parses.set(key, result);
      return { file: file.path, relativePath: file.path.slice(this.planningPath.length + 1), folder, fileName, mtimeMs: committedAtMs, size: file.size, result };
    });
    entries.push(...problems);
    // Only what this tree holds stays cached: a task file edited many times does not pile up parses.
    this.parses = parses;
    const text = (path: string): string | undefined => {
      const bytes = blobs.get(texts.get(path)?.sha ?? '');
      if (bytes === undefined) return undefined;
      const decoded = decodeTaskText(bytes);
      return 'text' in decoded ? decoded.text : undefined;
    };
    entries.sort((a, b) => compare(a.file, b.file));
    return { entries, goal: text(goalPath), capabilities: text(capabilitiesPath) };
  }

  /** The queue folder and file name of a task file in a queue folder or a sub-folder of one (none hidden). */
  private queuePlace(path: string): { folder: QueueFolder; fileName: string } | undefined {
    for (const folder of queueFolders) {
      const prefix = `${this.planningPath}/${planningLayout[folder]}/`;
      if (!path.startsWith(prefix)) continue;
      const inner = path.slice(prefix.length);
      const parts = inner.split('/');
      const fileName = parts.at(-1) ?? '';
      return parts.every(part => part !== '' && !part.startsWith('.')) && isTaskFileName(fileName) ? { folder, fileName } : undefined;
    }
    return undefined;
  }

  /**
   * A symlink in the tree is never followed: one at a queue folder (or on the way to it) means that folder
   * is not read; one inside a queue folder that is not a task file name (a symlinked sub-folder) is named.
   * Either is reported as a problem entry, as the local queue does. (A symlinked task file is an invalid file.)
   */
  private symlinkProblems(path: string): QueueEntry[] {
    const problems: QueueEntry[] = [];
    for (const folder of queueFolders) {
      const folderPath = `${this.planningPath}/${planningLayout[folder]}`;
      const place = { relativePath: planningLayout[folder], folder };
      if (folderPath === path || folderPath.startsWith(`${path}/`)) {
        problems.push(folderProblemEntry({ file: folderPath, ...place }, queueFileProblems.symlinkOutside, `The queue folder ${planningLayout[folder]}/ is a symlink on ${this.options.branch} (${path}); ATO reads only real folders from the remote branch.`));
      } else if (path.startsWith(`${folderPath}/`)) {
        const inner = path.slice(folderPath.length + 1);
        const name = inner.slice(inner.lastIndexOf('/') + 1);
        if (isTaskFileName(name) || inner.split('/').some(part => part.startsWith('.'))) continue;
        problems.push(folderProblemEntry({ file: path, relativePath: `${planningLayout[folder]}/${inner}`, folder }, queueFolderProblems.linkedFolder, `${inner} is a symlink on ${this.options.branch}; ATO does not follow symlinks in the queue. Move the task files into a real folder.`));
      }
    }
    return problems;
  }

  /** The same file problems as the local queue: too large, binary or not UTF-8; plus symlinks, which a tree cannot resolve. */
  private parseBlob(file: TreeFile, fileName: string, bytes: Buffer | undefined): TaskParseResult {
    if (file.mode === symlinkMode) {
      return fileProblem(queueFileProblems.unreadable, `This task file is a symlink on ${this.options.branch}; ATO reads only regular files from the remote branch.`);
    }
    if (file.size > this.maxBytes) {
      return fileProblem(queueFileProblems.tooLarge, `This task file is ${formatBytes(file.size)}; task files may be at most ${formatBytes(this.maxBytes)}.`);
    }
    if (bytes === undefined) return fileProblem(queueFileProblems.unreadable, `git could not read this task file (${file.sha}).`);
    const decoded = decodeTaskText(bytes);
    return 'text' in decoded ? this.safeParse(decoded.text, fileName) : fileProblem(decoded.problem.code, decoded.problem.message);
  }

  /**
   * Task files in the working tree's `pending/` (and its sub-folders) whose path is in none of the branch's
   * queue folders: local drafts. (A task the loop already moved to `processed/` on the branch is not a
   * draft, even while the working tree, not yet pulled, still has it in `pending/`.) Each is read again only
   * when its stamp changed. A local `pending/` that leads outside the workspace is not read: it is reported.
   */
  private async readDrafts(remote: readonly QueueEntry[]): Promise<QueueEntry[]> {
    const known = new Set(remote.map(pathInQueueFolder));
    const relativeFolder = planningLayout.pending;
    const directory = join(this.options.workspaceRoot, ...this.planningPath.split('/'), ...relativeFolder.split('/'));
    const place = await checkPlace(this.options.workspaceRoot, directory);
    if (place.kind === 'outside') {
      this.draftCache = new Map();
      return [folderProblemEntry({ file: `${this.planningPath}/${relativeFolder}`, relativePath: relativeFolder, folder: 'pending' }, queueFileProblems.symlinkOutside, `The local queue folder ${relativeFolder}/ leads outside the workspace (to ${place.realPath}); ATO does not read it.`)];
    }
    const names = place.kind === 'inside' ? (await listQueueFolder(directory)).files.filter(inner => !known.has(inner)).sort(compare) : [];
    const cache = new Map<string, { stamp: FileStamp; entry: QueueEntry }>();
    const drafts: QueueEntry[] = [];
    for (const inner of names) {
      const previous = this.draftCache.get(inner);
      const read = await this.draftReader.read(join(directory, ...inner.split('/')), previous?.stamp);
      if (read.kind === 'missing') continue;
      if (read.kind === 'unchanged' && previous !== undefined) {
        cache.set(inner, previous);
        drafts.push(previous.entry);
        continue;
      }
      if (read.kind === 'unchanged') continue;
      const fileName = inner.slice(inner.lastIndexOf('/') + 1);
      const result = read.kind === 'problem' ? read.result : this.safeParse(read.text, fileName);
      const entry: QueueEntry = {
        file: `${this.planningPath}/${relativeFolder}/${inner}`,
        relativePath: `${relativeFolder}/${inner}`,
        folder: 'pending',
        fileName,
        mtimeMs: read.stamp.mtimeMs,
        size: read.stamp.size,
        result,
      };
      cache.set(inner, { stamp: read.stamp, entry });
      drafts.push(entry);
    }
    this.draftCache = cache;
    return drafts;
  }

  private safeParse(text: string, fileName: string): TaskParseResult {
    try {
      return this.parse(text, fileName);
    } catch (error) {
      return fileProblem('internal-error', `ATO could not read this task file: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function gitFailed(error: unknown): PlanningSourceError {
  return new PlanningSourceError('gitFailed', error instanceof Error ? error.message : String(error), { cause: error });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
