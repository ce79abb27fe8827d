import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentOutput, DispatchRequest } from '../../../src/core/agents/agentBackend';
import type { Task } from '../../../src/core/tasks/task';
import type { TaskType } from '../../../src/core/tasks/taskTypes';
import { git, initRepo } from '../../support/gitRepo';

/** A valid task as the queue would hand it to the dispatcher. */
export function aTask(id: string, type: TaskType = 'feature', prompt = 'Create the feature file.'): Task {
  return {
    id, title: `Task ${id}`, type, priority: 'medium', agent: 'auto', created: undefined, dependsOn: [], cwd: undefined, timeoutMs: undefined,
    targetFiles: [], prompt, successCriteria: [], context: '', body: prompt,
  };
}

export interface Workspace {
  readonly repo: string;
  readonly worktree: string;
  readonly branch: string;
}

/**
 * A real git repository with one commit on `main`, and a real worktree on a new branch `ato/<taskId>`,
 * as the dispatcher prepares it for a local agent.
 */
export function aWorkspace(root: string, taskId: string, files: Readonly<Record<string, string>> = { 'README.md': '# demo\n', 'src/app.txt': 'app\n' }): Workspace {
  const repo = join(root, 'repo');
  mkdirSync(repo, { recursive: true });
  initRepo(repo, files);
  const branch = `ato/${taskId}`;
  const worktree = join(root, 'worktrees', taskId);
  git(repo, 'worktree', 'add', '--quiet', '-b', branch, worktree, 'main');
  return { repo, worktree, branch };
}

/** Commits everything in the worktree, as the dispatcher does after a run; returns the commit's subject on the branch. */
export function commitWorktree(workspace: Workspace, message: string): string {
  git(workspace.worktree, 'add', '--all');
  git(workspace.worktree, 'commit', '--quiet', '-m', message);
  return git(workspace.repo, 'log', '-1', '--format=%s', workspace.branch);
}

export interface RequestKit {
  readonly outputs: AgentOutput[];
  request(overrides: Partial<DispatchRequest> & { readonly task: Task; readonly workdir: string }): DispatchRequest;
}

export function requestKit(): RequestKit {
  const outputs: AgentOutput[] = [];
  return {
    outputs,
    request: overrides => ({
      runId: `run-${overrides.task.id}`, branch: undefined, prompt: overrides.task.prompt, timeoutMs: 90_000,
      onOutput: output => outputs.push(output), ...overrides,
    }),
  };
}

/** Waits until `condition` holds, polling every 20 ms; throws after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

export async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}
