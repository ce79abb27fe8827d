import type { AgentBackend } from '../agents/agentBackend';
import { runGit } from '../git/git';
import { repositoryHead } from '../git/repositoryHead';
import { describeError } from '../logging/redactor';

export interface ToolCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** Nothing local can work until this is fixed (no usable git); `ato doctor` then exits 1. */
  readonly blocking?: boolean;
}

/** git and every configured agent's health (for claude-code: the CLI's version and whether it has a key). */
export async function checkLocalTools(workspaceRoot: string | undefined, agents: readonly AgentBackend[]): Promise<ToolCheck[]> {
  const git = (async (): Promise<ToolCheck> => {
    try {
      const version = (await runGit(['--version'], { cwd: workspaceRoot ?? process.cwd(), timeoutMs: 10_000 })).stdout.trim();
      if (workspaceRoot === undefined) return { name: 'git', ok: true, detail: version };
      const head = await repositoryHead(workspaceRoot);
      switch (head.kind) {
        case 'commit':
          return { name: 'git', ok: true, detail: `${version}; the workspace is a repository at ${head.sha.slice(0, 12)}` };
        case 'noCommit':
          return { name: 'git', ok: false, detail: `${version}; the repository has no commit yet — local agents start from HEAD: commit your files first (git add -A && git commit -m "First commit")` };
        case 'notARepository':
          return { name: 'git', ok: false, detail: `${version}; the workspace is not a git repository — local agents need one (git init, then a first commit)` };
      }
    } catch (error) {
      return { name: 'git', ok: false, blocking: true, detail: `not usable: ${describeError(error)}` };
    }
  })();
  const health = agents.map(async (agent): Promise<ToolCheck> => {
    try {
      const result = await agent.health();
      return { name: `agent ${agent.id} (${agent.kind})`, ok: result.ok, detail: result.detail };
    } catch (error) {
      return { name: `agent ${agent.id} (${agent.kind})`, ok: false, detail: describeError(error) };
    }
  });
  return Promise.all([git, ...health]);
}
