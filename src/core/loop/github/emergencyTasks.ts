import { randomBytes } from 'node:crypto';
import { link, mkdir, open, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitHubPort } from '../../forges/github/githubPort';
import { planningLayout, queueFolders } from '../../planning/planningLayout';
import { queueDraft, RemoteQueueMoveError } from '../tracks/planning/remoteQueueMoves';
import type { EmergencyAction } from '../tracks/maintenance/emergencyPlan';
import { renderEmergencyTask } from '../tracks/maintenance/emergencyTask';

interface CommonContext {
  readonly now: Date;
  /** Crash-test hook, as in guardedActions.ts: named points between the steps. */
  readonly checkpoint?: (name: string) => void | Promise<void>;
}

/** GitHub mode: the task is committed to `pending/` on the planning branch (the commit is the write). */
export interface GitHubEmergencyContext extends CommonContext {
  readonly mode: 'github';
  readonly port: GitHubPort;
  /** The branch the planning folder is read from (the default branch). */
  readonly branch: string;
  /** The planning folder inside the repository (`ato.planningPath`, default `planning`). */
  readonly planningPath: string;
  /** The head the tick read the queue at; default the branch's head now (one more request). */
  readonly expectedHeadSha?: string;
}

/** Local mode: the task is written into the working tree's `pending/`. */
export interface LocalEmergencyContext extends CommonContext {
  readonly mode: 'local';
  /** Absolute path of the planning folder. */
  readonly planningRoot: string;
  /** The planning writer's redactor (a deploy log can quote a secret; the folder is versioned and pushed). */
  readonly redact: (text: string) => string;
}

export type EmergencyContext = GitHubEmergencyContext | LocalEmergencyContext;

export interface EmergencyOutcome {
  /** `alreadyQueued`: a task for this key is in pending/, processed/ or complete/ (an earlier run, another window). */
  readonly status: 'queued' | 'alreadyQueued';
  /** Where the task is: a repository path in GitHub mode, an absolute path in local mode. */
  readonly path: string;
  /** GitHub mode: the branch head after the call. */
  readonly headSha?: string;
}

/**
 * Carries out the emergency action: one task file for the finding's key, never two. Idempotent by key — a file
 * of that name in any queue folder means done — and crash-safe: the write is one atomic step (a commit that
 * compares-and-swaps the branch head; a hard link of a finished temporary file), so a crash before it leaves
 * nothing and a crash after it leaves exactly the one task, which the next call finds.
 */
export async function executeEmergency(action: EmergencyAction, context: EmergencyContext): Promise<EmergencyOutcome> {
  return context.mode === 'github' ? queueOnBranch(action, context) : queueInWorkingTree(action, context);
}

function queuePath(root: string, folder: (typeof queueFolders)[number], fileName: string): string {
  return `${root.replace(/\/+$/, '')}/${planningLayout[folder]}/${fileName}`;
}

async function queueOnBranch(action: EmergencyAction, context: GitHubEmergencyContext): Promise<EmergencyOutcome> {
  const { port, branch } = context;
  const head = context.expectedHeadSha ?? (await port.getRef(`refs/heads/${branch}`))?.sha;
  if (head === undefined) throw new RemoteQueueMoveError('branchMissing', branch, `The branch ${branch} does not exist.`);
  const paths = queueFolders.map(folder => queuePath(context.planningPath, folder, action.fileName));
  const texts = await Promise.all(paths.map(path => port.getFileText(path, head)));
  const found = paths.find((_, index) => texts[index] !== undefined);
  if (found !== undefined) return { status: 'alreadyQueued', path: found, headSha: head };
  const pending = queuePath(context.planningPath, 'pending', action.fileName);
  const { text } = renderEmergencyTask(action.finding, context.now);
  await context.checkpoint?.('queueEmergencyTask:beforeCommit');
  try {
    const outcome = await queueDraft(port, { branch, path: pending, text, expectedHeadSha: head, message: `Emergency task: ${action.fileName}` });
    await context.checkpoint?.('queueEmergencyTask:afterCommit');
    return { status: outcome.status === 'committed' ? 'queued' : 'alreadyQueued', path: pending, headSha: outcome.headSha };
  } catch (error) {
    // The branch moved and now has the file (another window, or our commit whose answer was lost), written at another time.
    if (RemoteQueueMoveError.is(error, 'pathTaken')) return { status: 'alreadyQueued', path: pending };
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, (error: unknown) => {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return false;
    throw error;
  });
}

async function queueInWorkingTree(action: EmergencyAction, context: LocalEmergencyContext): Promise<EmergencyOutcome> {
  for (const folder of queueFolders) {
    const file = join(context.planningRoot, planningLayout[folder], action.fileName);
    if (await exists(file)) return { status: 'alreadyQueued', path: file };
  }
  const pendingFolder = join(context.planningRoot, planningLayout.pending);
  await mkdir(pendingFolder, { recursive: true });
  const file = join(pendingFolder, action.fileName);
  const { text } = renderEmergencyTask(action.finding, context.now);
  // Written whole and flushed beside it, then linked into place: link never replaces, so the name appears
  // complete or not at all, and a second writer gets EEXIST.
  const temporary = join(pendingFolder, `.${action.fileName}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o644);
  try {
    await handle.writeFile(context.redact(text), 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await context.checkpoint?.('queueEmergencyTask:beforeLink');
    await link(temporary, file);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return { status: 'alreadyQueued', path: file };
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  await context.checkpoint?.('queueEmergencyTask:afterLink');
  return { status: 'queued', path: file };
}
