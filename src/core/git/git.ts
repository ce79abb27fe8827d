import { execFile, type ExecFileException } from 'node:child_process';

/**
 * What went wrong running git, for callers to branch on (`GitError.is(e, 'branchExists')`) instead of
 * reading messages. Classified from git's stderr, which ATO reads in the C locale.
 */
export type GitErrorKind =
  | 'notARepository'
  | 'branchExists'
  /** A worktree already exists at the path, or the branch is checked out in another worktree. */
  | 'worktreeExists'
  | 'unknownRevision'
  | 'invalidName'
  | 'timedOut'
  /** No `git` executable on the PATH. */
  | 'notInstalled'
  | 'failed';

export class GitError extends Error {
  override readonly name = 'GitError';

  constructor(
    readonly kind: GitErrorKind,
    message: string,
    /** The arguments after `git` (ATO's own `-c` options left out), credentials in URLs removed. */
    readonly args: readonly string[],
    /** git's standard error, with credentials in URLs removed. */
    readonly stderr: string,
    readonly exitCode: number | undefined,
  ) {
    super(message);
  }

  static is(error: unknown, kind?: GitErrorKind): error is GitError {
    return error instanceof GitError && (kind === undefined || error.kind === kind);
  }
}

export interface GitRunOptions {
  /** The directory git runs in (a repository or one of its worktrees). */
  readonly cwd: string;
  /** Default 60 s; git is killed after it. */
  readonly timeoutMs?: number;
  /** Exit codes that are answers rather than failures (e.g. 1 for `git diff --quiet`). 0 always is. */
  readonly okExitCodes?: readonly number[];
  /** Extra variables on top of the cleaned environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** The environment to clean and pass; default `process.env`. */
  readonly baseEnv?: NodeJS.ProcessEnv;
}

export interface GitResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export const defaultGitTimeoutMs = 60_000;

/** Output above this is an error rather than a memory problem (a diff of a vendored tree, say). */
const maxOutputBytes = 64 * 1024 * 1024;

/** Options every ATO git call carries: paths printed as UTF-8, not octal escapes. */
const fixedOptions = ['-c', 'core.quotepath=false'] as const;

/**
 * Runs `git <args>` with execFile (no shell: arguments are never interpreted), in the C locale so errors
 * can be classified, with an environment that carries no secrets and no repository redirections, never
 * prompting for credentials, and with a timeout. Rejects with a {@link GitError}.
 */
export function runGit(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
  const env = { ...gitEnvironment(options.baseEnv ?? process.env), ...options.env };
  return new Promise<GitResult>((resolve, reject) => {
    execFile('git', [...fixedOptions, ...args], {
      cwd: options.cwd,
      env,
      encoding: 'utf8',
      timeout: options.timeoutMs ?? defaultGitTimeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: maxOutputBytes,
      windowsHide: true,
    }, (error, stdout, stderr) => {
      if (error === null) {
        resolve({ stdout, stderr, exitCode: 0 });
        return;
      }
      const exitCode = typeof error.code === 'number' ? error.code : undefined;
      if (exitCode !== undefined && options.okExitCodes?.includes(exitCode) === true) {
        resolve({ stdout, stderr, exitCode });
        return;
      }
      reject(toGitError(error, args, stderr, options.timeoutMs ?? defaultGitTimeoutMs));
    });
  });
}

function toGitError(error: ExecFileException, args: readonly string[], rawStderr: string, timeoutMs: number): GitError {
  const stderr = removeUrlCredentials(rawStderr);
  const safeArgs = args.map(removeUrlCredentials);
  const command = `git ${safeArgs.join(' ')}`;
  if (error.code === 'ENOENT') return new GitError('notInstalled', `${command}: git is not installed or not on the PATH`, safeArgs, stderr, undefined);
  const exitCode = typeof error.code === 'number' ? error.code : undefined;
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
    return new GitError('failed', `${command} printed more than ${maxOutputBytes / 1024 / 1024} MiB`, safeArgs, stderr, exitCode);
  }
  if (error.killed === true) {
    return new GitError('timedOut', `${command} did not finish within ${Math.round(timeoutMs / 1000)} s`, safeArgs, stderr, exitCode);
  }
  const detail = stderr.trim() === '' ? removeUrlCredentials(error.message) : stderr.trim();
  return new GitError(classifyGitStderr(stderr), `${command} failed: ${detail}`, safeArgs, stderr, exitCode);
}

/** Maps git's (C-locale) error text to a kind. Exported for tests. */
export function classifyGitStderr(stderr: string): GitErrorKind {
  if (/not a git repository/i.test(stderr)) return 'notARepository';
  if (/a branch named '.*' already exists/.test(stderr)) return 'branchExists';
  if (/is already (?:checked out|used by worktree) at|already registered worktree|^fatal: '.*' already exists$/m.test(stderr)) return 'worktreeExists';
  if (/is not a valid branch name|not a valid ref name|invalid branch name/i.test(stderr)) return 'invalidName';
  if (/unknown revision|bad revision|Needed a single revision|invalid reference|not a valid object name|not a commit/i.test(stderr)) return 'unknownRevision';
  return 'failed';
}

/** Variables that point git at another repository, index or worktree; inherited from a hook they would misdirect ATO. */
const repositoryRedirections = new Set([
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR', 'GIT_NAMESPACE', 'GIT_PREFIX', 'GIT_CEILING_DIRECTORIES', 'GIT_DISCOVERY_ACROSS_FILESYSTEM',
]);

/** Names that look like credentials: tokens, keys, passwords. `SSH_AUTH_SOCK` (a socket path) is kept for pushes. */
const secretName = /token|secret|passw(or)?d|credential|api[_-]?key|private[_-]?key|access[_-]?key|_pat$|^pat$|auth$/i;

/**
 * The environment git runs with: the given one without secrets (ATO's and the forges' tokens, anything
 * named like a credential) and without repository redirections, in the C locale, never prompting.
 */
export function gitEnvironment(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (repositoryRedirections.has(name.toUpperCase())) continue;
    if (name !== 'SSH_AUTH_SOCK' && secretName.test(name)) continue;
    if (/^(LC_|LANG)/.test(name)) continue;
    env[name] = value;
  }
  env['LC_ALL'] = 'C';
  env['LANGUAGE'] = 'C';
  env['GIT_TERMINAL_PROMPT'] = '0';
  // Reads (status) must not take the index lock the user's own git and editor need.
  env['GIT_OPTIONAL_LOCKS'] = '0';
  return env;
}

/** `https://user:token@host/…` → `https://‹redacted›@host/…`: remotes with embedded credentials show up in git errors. */
export function removeUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]+@/gi, '$1‹redacted›@');
}
