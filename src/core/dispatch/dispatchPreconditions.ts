import { join } from 'node:path';
import type { AgentBackend } from '../agents/agentBackend';
import { GitError } from '../git/git';
import { headObjectType, repositoryHead } from '../git/repositoryHead';
import { assertWorktreeTaskId } from '../git/worktrees';
import { describeError } from '../logging/redactor';
import { planningLayout } from '../planning/planningLayout';
import type { ValidQueueEntry } from '../queue/queueEntry';
import { pathExists } from '../util/pathExists';

export interface DispatchPreconditionInput {
  readonly workspaceRoot: string;
  readonly planningRoot: string;
  readonly entry: ValidQueueEntry;
  /** The agent chosen for the task. */
  readonly agent: AgentBackend;
}

export type DispatchPreconditionResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Everything a dispatch needs that can be known before anything changes: checked BEFORE the task leaves
 * `pending/`, so a failed precondition is a clear message and the task stays where it was (a failure
 * after the move used to leave it stranded in `processed/`). Every unmet precondition is named at once.
 * - the task file is still there, and `processed/` has no file of the same name;
 * - for a local agent (a git worktree from HEAD): git runs, the workspace is a repository, HEAD is a
 *   commit, the task id can name the branch `ato/<id>`, and the task's `cwd` is a folder in HEAD.
 */
export async function checkDispatchPreconditions(input: DispatchPreconditionInput): Promise<DispatchPreconditionResult> {
  const unmet = [...await queueFolderProblems(input), ...(input.agent.needsWorktree ? await worktreeProblems(input) : [])];
  return unmet.length === 0 ? { ok: true } : { ok: false, reason: unmet.join(' ') };
}

async function queueFolderProblems({ planningRoot, entry }: DispatchPreconditionInput): Promise<string[]> {
  if (entry.folder !== 'pending') return [];
  const problems: string[] = [];
  if (!(await pathExists(entry.file))) problems.push(`The task file ${entry.relativePath} is gone.`);
  if (await pathExists(join(planningRoot, planningLayout.processed, entry.fileName))) {
    problems.push(`${planningLayout.processed}/ already holds a file named ${entry.fileName}: rename one of them.`);
  }
  return problems;
}

async function worktreeProblems({ workspaceRoot, entry, agent }: DispatchPreconditionInput): Promise<string[]> {
  const task = entry.result.task;
  const problems: string[] = [];
  try {
    assertWorktreeTaskId(task.id);
  } catch (error) {
    problems.push(`The task id cannot name a git branch: ${describeError(error)}.`);
  }
  let head;
  try {
    head = await repositoryHead(workspaceRoot);
  } catch (error) {
    return [...problems, `${agent.id} works in a git worktree, and git cannot run here: ${GitError.is(error) ? error.message : describeError(error)}.`];
  }
  if (head.kind === 'notARepository') {
    return [...problems, `${agent.id} works in a git worktree, and the workspace is not a git repository: run \`git init\` and commit your files first.`];
  }
  if (head.kind === 'noCommit') {
    return [...problems, `${agent.id} works in a git worktree started from HEAD, and the repository has no commit yet: commit your files first (\`git add -A && git commit -m "First commit"\`).`];
  }
  const cwd = task.cwd?.replace(/\\/g, '/').replace(/\/+$/, '');
  if (cwd !== undefined && cwd !== '' && cwd !== '.') {
    // `HEAD:./<path>` is relative to the workspace folder, as the task's cwd is; the worktree is checked out from HEAD.
    const type = await headObjectType(workspaceRoot, `./${cwd}`);
    if (type !== 'tree') problems.push(`The task's cwd "${task.cwd ?? ''}" is not a folder in the last commit (HEAD), so it would not exist in the agent's worktree${type === undefined ? '' : ` (it is a ${type === 'blob' ? 'file or a symbolic link' : type})`}: commit it, or fix the cwd.`);
  }
  return problems;
}
