import { isGitHubError } from '../../../forges/github/githubError';
import type { GitHubPort } from '../../../forges/github/githubPort';

export type RemoteQueueMoveErrorKind =
  /** The task file is on the branch in neither `from` nor `to`. */
  | 'sourceMissing'
  /** Both paths exist on the branch: a different file already has the destination's name. */
  | 'destinationExists'
  /** `queueDraft`: a different file is already queued under this path. */
  | 'pathTaken'
  /** The branch does not exist. */
  | 'branchMissing'
  /** The branch kept moving under us; the next tick tries again. */
  | 'tooManyConflicts';

export class RemoteQueueMoveError extends Error {
  override readonly name = 'RemoteQueueMoveError';

  constructor(readonly kind: RemoteQueueMoveErrorKind, readonly path: string, message: string) {
    super(message);
  }

  static is(error: unknown, kind?: RemoteQueueMoveErrorKind): error is RemoteQueueMoveError {
    return error instanceof RemoteQueueMoveError && (kind === undefined || error.kind === kind);
  }
}

export interface RemoteCommitOutcome {
  /** `alreadyDone`: the branch already had the change (a retry after a crash, or another loop did it); nothing was written. */
  readonly status: 'committed' | 'alreadyDone';
  /** The branch head after the call: the new commit, or the head the outcome was read from. */
  readonly headSha: string;
  /** Commits attempted (more than one when the branch moved under us). */
  readonly attempts: number;
}

export interface MoveTaskRemoteOptions {
  readonly branch: string;
  /** Paths inside the repository, e.g. `planning/issue_queue/pending/x.task.md`. */
  readonly from: string;
  readonly to: string;
  /** Appended to the file (after one blank line), e.g. a result section; not appended twice. */
  readonly appendText?: string;
  readonly message: string;
  /** The head the caller read the queue from (the planning read's revision). */
  readonly expectedHeadSha: string;
  /** Commit attempts when the branch moves under us; default 4. */
  readonly maxAttempts?: number;
}

export interface QueueDraftOptions {
  readonly branch: string;
  /** Path inside the repository, in `pending/`. */
  readonly path: string;
  readonly text: string;
  /** Default `Queue <file name>`. */
  readonly message?: string;
  /** The head to commit on; default the branch's current head (one more request). */
  readonly expectedHeadSha?: string;
  readonly maxAttempts?: number;
}

const defaultAttempts = 4;

/**
 * Moves a task file between queue folders on the remote branch with ONE commit that deletes `from` and
 * adds `to` (PRODUCT §3): the task is never in two folders or in none. The commit is a compare-and-swap on
 * the branch head; when the branch moved, the head is read again and the move re-planned from it, a
 * bounded number of times. Idempotent: when `to` is there and `from` is not, the move is already done.
 */
export async function moveTaskRemote(port: GitHubPort, options: MoveTaskRemoteOptions): Promise<RemoteCommitOutcome> {
  const { branch, from, to } = options;
  return commitWithRetry(port, branch, options.expectedHeadSha, options.maxAttempts ?? defaultAttempts, async head => {
    const [source, destination] = await Promise.all([port.getFileText(from, head), port.getFileText(to, head)]);
    if (source === undefined) {
      if (destination !== undefined) return 'done';
      throw new RemoteQueueMoveError('sourceMissing', from, `${from} is not on ${branch} (nor ${to}).`);
    }
    if (destination !== undefined && from !== to) {
      throw new RemoteQueueMoveError('destinationExists', to, `Cannot move ${from}: ${to} is already on ${branch}.`);
    }
    if (from === to) return 'done';
    const text = options.appendText === undefined ? source : appendOnce(source, options.appendText);
    return { message: options.message, changes: [{ path: from, content: null }, { path: to, content: text }] };
  });
}

/**
 * The "Queue it" action: commits a local draft to `pending/` on the branch. Idempotent by path and content:
 * when the branch already has this text at this path, nothing is written; a different text there is
 * `pathTaken` (never overwritten).
 */
export async function queueDraft(port: GitHubPort, options: QueueDraftOptions): Promise<RemoteCommitOutcome> {
  const { branch, path, text } = options;
  const head = options.expectedHeadSha ?? await branchHead(port, branch);
  const name = path.slice(path.lastIndexOf('/') + 1);
  return commitWithRetry(port, branch, head, options.maxAttempts ?? defaultAttempts, async at => {
    const existing = await port.getFileText(path, at);
    if (existing === text) return 'done';
    if (existing !== undefined) throw new RemoteQueueMoveError('pathTaken', path, `${path} is already on ${branch} with different content.`);
    return { message: options.message ?? `Queue ${name}`, changes: [{ path, content: text }] };
  });
}

/** What one attempt of a commit on the planning branch does at a head: nothing (already there) or these changes. */
export type Plan = 'done' | { readonly message: string; readonly changes: readonly { readonly path: string; readonly content: string | null }[] };

/**
 * One commit on `branch`, planned from its head (`plan`), as a compare-and-swap; when the branch moved, the
 * plan is made again from the new head, at most `maxAttempts` times.
 */
export async function commitWithRetry(port: GitHubPort, branch: string, firstHead: string, maxAttempts: number, plan: (head: string) => Promise<Plan>): Promise<RemoteCommitOutcome> {
  let head = firstHead;
  for (let attempt = 1; ; attempt++) {
    const next = await plan(head);
    if (next === 'done') return { status: 'alreadyDone', headSha: head, attempts: attempt - 1 };
    try {
      const sha = await port.commitFiles(branch, { expectedHeadSha: head, message: next.message, changes: next.changes });
      return { status: 'committed', headSha: sha, attempts: attempt };
    } catch (error) {
      if (!isGitHubError(error, 'conflict')) throw error;
      if (attempt >= maxAttempts) {
        throw new RemoteQueueMoveError('tooManyConflicts', next.changes[0]?.path ?? '', `${branch} moved ${attempt} times while ATO was committing; it will try again.`);
      }
      head = await branchHead(port, branch);
    }
  }
}

async function branchHead(port: GitHubPort, branch: string): Promise<string> {
  const ref = await port.getRef(`refs/heads/${branch}`);
  if (ref === undefined) throw new RemoteQueueMoveError('branchMissing', branch, `The branch ${branch} does not exist.`);
  return ref.sha;
}

/** `text` with `addition` after one blank line, unless it already ends with it (a retried move). */
function appendOnce(text: string, addition: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const trimmedAddition = addition.replace(/(?:\r?\n)+$/, '');
  if (trimmedAddition === '' || text.includes(trimmedAddition)) return text;
  const trimmed = text.replace(/(?:\r?\n)+$/, '');
  return `${trimmed}${trimmed === '' ? '' : `${eol}${eol}`}${trimmedAddition}${eol}`;
}
