import type { AgentOutput, DispatchRequest } from '../../../src/core/agents/agentBackend';
import { JulesBackend, type JulesBackendDeps } from '../../../src/core/agents/jules/julesBackend';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import type { Task } from '../../../src/core/tasks/task';
import type { FakeJules } from '../../fakes/jules/fakeJules';
import { git, initRepo } from '../../support/gitRepo';

export const silentLog = createLogger({ write: () => undefined }, new Redactor());

export function julesTask(id = 'add-login', title = 'Add login'): Task {
  return {
    id, title, type: 'feature', priority: 'medium', agent: 'jules', created: undefined, dependsOn: [], cwd: undefined,
    timeoutMs: undefined, targetFiles: ['src/login.ts'], prompt: 'Add a login page.', successCriteria: [], context: '', body: '',
  };
}

/** A real repository whose `origin` is github.com/acme/app (never contacted: only its name is read). */
export function julesWorkspace(root: string, origin = 'https://github.com/acme/app.git'): string {
  initRepo(root);
  git(root, 'remote', 'add', 'origin', origin);
  return root;
}

export interface RequestWithOutput {
  readonly request: DispatchRequest;
  readonly outputs: AgentOutput[];
}

export function julesRequest(task: Task = julesTask(), runId = 'run-1'): RequestWithOutput {
  const outputs: AgentOutput[] = [];
  return { outputs, request: { runId, task, workdir: '/nowhere', branch: undefined, prompt: `# ${task.title}\n\n${task.prompt}`, timeoutMs: 60_000, onOutput: output => { outputs.push(output); } } };
}

export function julesBackend(fake: FakeJules, workspaceRoot: string, overrides: Partial<JulesBackendDeps> = {}): JulesBackend {
  return new JulesBackend({
    apiUrl: fake.apiUrl,
    apiKey: fake.apiKey,
    workspaceRoot,
    concurrent: 3,
    dailySessions: 15,
    requirePlanApproval: false,
    startingBranch: '',
    requestTimeoutMs: 10_000,
    log: silentLog,
    waitIntervals: { initialMs: 10, factor: 1, maxMs: 10 },
    ...overrides,
  });
}
