import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitError, gitEnvironment, runGit } from '../../src/core/git/git';
import { GitHubError } from '../../src/core/forges/github/githubError';
import type { AssignableActor, GitHubPort, GitHubUsage, PullRequestRef, RepoPermission } from '../../src/core/forges/github/githubPort';
import type {
  FileChange, FileRename, GitCommitInfo, GitRefValue, IssueComment, IssueSummary, MergeResult, PullRequestSummary, RepoCoordinates, RepoSnapshot,
  TimelineSignal,
} from '../../src/core/forges/github/githubModel';

export interface MemoryGitHubPortOptions {
  /** Called before every port method runs: tests inject delays (to interleave racers) or faults here. */
  readonly beforeCall?: (method: string) => Promise<void> | void;
}

const zeroSha = '0000000000000000000000000000000000000000';
const identity = ['-c', 'user.name=ATO Test', '-c', 'user.email=ato@example.invalid', '-c', 'commit.gpgsign=false'];

/**
 * The git-data part of `GitHubPort` (refs, commits, trees, `commitFiles`, `getFileText`) over a real bare
 * repository on disk, with GitHub's semantics: ref updates are compare-and-swaps (`git update-ref <ref>
 * <new> <old>`), `updateRefFastForward` refuses anything that is not a fast-forward
 * (`git merge-base --is-ancestor`), and a lost race throws `GitHubError('conflict')`. The repository can be
 * cloned and fetched like a remote (its path is the URL). Other methods throw "not supported".
 */
export class MemoryGitHubPort implements GitHubPort {
  readonly repo: RepoCoordinates = { owner: 'memory', name: 'repo', apiUrl: 'memory://github' };
  private counts = { requests: 0 };
  private readonly calls = new Map<string, number>();

  constructor(readonly gitDir: string, private readonly options: MemoryGitHubPortOptions = {}) {}

  /** A new bare repository in `directory` whose `branch` holds one commit with `files`. */
  static async create(directory: string, files: Readonly<Record<string, string>> = { 'README.md': '# test\n' }, branch = 'main', options: MemoryGitHubPortOptions = {}): Promise<MemoryGitHubPort> {
    await runGit(['init', '--quiet', '--bare', `--initial-branch=${branch}`, directory], { cwd: tmpdir() });
    const port = new MemoryGitHubPort(directory, options);
    const tree = await port.writeTree(undefined, Object.entries(files).map(([path, content]) => ({ path, content })));
    const commit = await port.git(['commit-tree', tree, '-m', 'initial commit']);
    await port.git(['update-ref', `refs/heads/${branch}`, commit, zeroSha]);
    return port;
  }

  get usage(): GitHubUsage {
    return { requests: this.counts.requests, notModified: 0, points: this.counts.requests, core: undefined, graphql: undefined };
  }

  /** How many times each method was called. */
  callCount(method: string): number {
    return this.calls.get(method) ?? 0;
  }

  async getFileText(path: string, ref: string): Promise<string | undefined> {
    await this.enter('getFileText');
    const sha = await this.resolve(`${ref}:${path}`);
    if (sha === undefined) return undefined;
    return (await this.gitRaw(['cat-file', 'blob', sha])).stdout;
  }

  async commitFiles(branch: string, options: { readonly expectedHeadSha: string; readonly message: string; readonly changes: readonly FileChange[] }): Promise<string> {
    await this.enter('commitFiles');
    const ref = `refs/heads/${branch}`;
    const head = await this.resolve(ref);
    if (head === undefined) throw new GitHubError('notFound', `No branch ${branch}`, 404);
    // GitHub builds the commit on expectedHeadSha and fast-forwards the branch to it: that fails unless the branch is still there.
    if (head !== options.expectedHeadSha) throw new GitHubError('conflict', `Update is not a fast forward (${branch} is at ${head})`, 422);
    const tree = await this.writeTree(options.expectedHeadSha, options.changes);
    const commit = await this.git(['commit-tree', tree, '-p', options.expectedHeadSha, '-m', options.message]);
    await this.compareAndSwap(ref, commit, options.expectedHeadSha);
    return commit;
  }

  async getRef(ref: string): Promise<GitRefValue | undefined> {
    await this.enter('getRef');
    const name = qualified(ref);
    const sha = await this.resolve(name);
    return sha === undefined ? undefined : { ref: name, sha };
  }

  async getCommit(sha: string): Promise<GitCommitInfo> {
    await this.enter('getCommit');
    let raw: string;
    try {
      raw = (await this.gitRaw(['cat-file', 'commit', sha])).stdout;
    } catch {
      throw new GitHubError('notFound', `No commit ${sha}`, 404);
    }
    const split = raw.indexOf('\n\n');
    const header = raw.slice(0, split).split('\n');
    return {
      sha,
      treeSha: header.find(line => line.startsWith('tree '))?.slice(5) ?? '',
      parents: header.filter(line => line.startsWith('parent ')).map(line => line.slice(7)),
      // commit-tree ends the message with a newline; GitHub returns it as it was given.
      message: raw.slice(split + 2).replace(/\n$/, ''),
    };
  }

  async createCommit(options: { readonly message: string; readonly treeSha: string; readonly parents: readonly string[] }): Promise<string> {
    await this.enter('createCommit');
    try {
      return await this.git(['commit-tree', options.treeSha, ...options.parents.flatMap(parent => ['-p', parent]), '-m', options.message]);
    } catch (error) {
      throw new GitHubError('invalid', `Cannot create the commit: ${error instanceof Error ? error.message : String(error)}`, 422);
    }
  }

  async createTree(files: readonly { readonly path: string; readonly content: string }[]): Promise<string> {
    await this.enter('createTree');
    if (files.some(file => file.path.includes('/'))) return this.writeTree(undefined, files);
    // Top-level files only (the lease's tree): `mktree` needs no temporary index.
    const entries: string[] = [];
    for (const file of files) entries.push(`100644 blob ${(await this.withInput(['hash-object', '-w', '--stdin'], file.content)).trim()}\t${file.path}\0`);
    return (await this.withInput(['mktree', '-z'], entries.join(''))).trim();
  }

  async createRef(ref: string, sha: string): Promise<void> {
    await this.enter('createRef');
    const name = qualified(ref);
    try {
      await this.git(['update-ref', name, sha, zeroSha]);
    } catch {
      // (Also when `sha` does not exist, where GitHub says 422 "Object does not exist"; the tests never do that.)
      throw new GitHubError('conflict', 'Reference already exists', 422);
    }
  }

  async updateRefFastForward(ref: string, sha: string): Promise<void> {
    await this.enter('updateRefFastForward');
    const name = qualified(ref);
    // One process answers both "where is the ref" and "is it an ancestor of sha" (--merged); the update
    // below is the compare-and-swap against exactly that value.
    const { stdout } = await runGit(['for-each-ref', '--format=%(objectname)', `--merged=${sha}`, name], { cwd: this.gitDir });
    const current = stdout.trim();
    if (current === '') {
      if (await this.resolve(name) === undefined) throw new GitHubError('notFound', 'Reference does not exist', 422);
      throw new GitHubError('conflict', 'Update is not a fast forward', 422);
    }
    await this.compareAndSwap(name, sha, current);
  }

  probeChanges(): Promise<boolean> { return unsupported('probeChanges'); }
  snapshot(): Promise<RepoSnapshot> { return unsupported('snapshot'); }
  listIssuesByLabel(): Promise<readonly IssueSummary[]> { return unsupported('listIssuesByLabel'); }
  listOpenIssues(): Promise<readonly IssueSummary[]> { return unsupported('listOpenIssues'); }
  addLabels(): Promise<void> { return unsupported('addLabels'); }
  getIssue(): Promise<IssueSummary> { return unsupported('getIssue'); }
  createIssue(): Promise<IssueSummary> { return unsupported('createIssue'); }
  updateIssue(): Promise<IssueSummary> { return unsupported('updateIssue'); }
  addAssignees(): Promise<IssueSummary> { return unsupported('addAssignees'); }
  listComments(): Promise<readonly IssueComment[]> { return unsupported('listComments'); }
  createComment(): Promise<IssueComment> { return unsupported('createComment'); }
  ensureLabel(): Promise<void> { return unsupported('ensureLabel'); }
  permissionOf(): Promise<RepoPermission> { return unsupported('permissionOf'); }
  renamedFiles(): Promise<readonly FileRename[]> { return unsupported('renamedFiles'); }
  openPullRequest(): Promise<PullRequestRef> { return unsupported('openPullRequest'); }
  openPullRequestsFrom(): Promise<readonly PullRequestRef[]> { return unsupported('openPullRequestsFrom'); }
  listTimelineSignals(): Promise<readonly TimelineSignal[]> { return unsupported('listTimelineSignals'); }
  getPullRequest(): Promise<PullRequestSummary> { return unsupported('getPullRequest'); }
  markReadyForReview(): Promise<void> { return unsupported('markReadyForReview'); }
  mergePullRequest(): Promise<MergeResult> { return unsupported('mergePullRequest'); }
  suggestedActors(): Promise<readonly AssignableActor[]> { return unsupported('suggestedActors'); }

  /** The sha `rev` names, or undefined. */
  async resolve(rev: string): Promise<string | undefined> {
    const { stdout, exitCode } = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', rev], { cwd: this.gitDir, okExitCodes: [1, 128] });
    return exitCode === 0 ? stdout.trim() : undefined;
  }

  private async enter(method: string): Promise<void> {
    this.counts.requests++;
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    await this.options.beforeCall?.(method);
  }

  /** `update-ref` with the old value: git's own compare-and-swap (a lock file and a check of the old value). */
  private async compareAndSwap(ref: string, sha: string, expected: string): Promise<void> {
    try {
      await this.git(['update-ref', ref, sha, expected]);
    } catch (error) {
      if (GitError.is(error)) throw new GitHubError('conflict', `Update is not a fast forward: ${error.stderr.trim()}`, 422);
      throw error;
    }
  }

  /** A tree: `base`'s tree (or an empty one) with `changes` applied, through a temporary index. */
  private async writeTree(base: string | undefined, changes: readonly FileChange[]): Promise<string> {
    const scratch = await mkdtemp(join(tmpdir(), 'ato-memory-index-'));
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    try {
      if (base === undefined) await this.git(['read-tree', '--empty'], env);
      else await this.git(['read-tree', base], env);
      // A bare repository has no work tree for `update-index --add/--remove`; `--index-info` needs none.
      const lines: string[] = [];
      for (const change of changes) {
        if (change.content === null) lines.push(`0 ${zeroSha}\t${change.path}`);
        else lines.push(`100644 ${(await this.withInput(['hash-object', '-w', '--stdin'], change.content)).trim()}\t${change.path}`);
      }
      if (lines.length > 0) await this.withInput(['update-index', '-z', '--index-info'], lines.map(line => `${line}\0`).join(''), env);
      return await this.git(['write-tree'], env);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  private async git(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<string> {
    return (await this.gitRaw(args, env)).stdout.trim();
  }

  private gitRaw(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<{ stdout: string }> {
    return runGit([...identity, ...args], { cwd: this.gitDir, ...(env === undefined ? {} : { env }) });
  }

  private withInput(args: readonly string[], input: string, env?: Readonly<Record<string, string>>): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', [...identity, ...args], { cwd: this.gitDir, env: { ...gitEnvironment(process.env), ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
      child.on('error', reject);
      child.on('close', code => {
        if (code === 0) resolve(stdout);
        else reject(new Error(`git ${args.join(' ')} failed: ${stderr}`));
      });
      child.stdin.end(input);
    });
  }
}

/** GitHub's ref routes take `heads/main`; ATO passes `refs/heads/main`. Both are accepted here. */
function qualified(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/${ref}`;
}

function unsupported(method: string): Promise<never> {
  return Promise.reject(new Error(`MemoryGitHubPort does not support ${method}`));
}
