import type { AgentBackend, AgentRunStatus } from '../../agents/agentBackend';
import { createWorktree, retireWorktree } from '../../git/worktrees';
import type { Logger } from '../../logging/logger';
import { describeError } from '../../logging/redactor';
import { commitShaPattern, newRunId } from '../../runs/runRecord';
import type { DraftAnalysisRequest } from '../tracks/maintenance/maintenanceAgents';
import { boundedDiff, checkedBranch, fetchBranch } from './followUpGit';
import { analysisComment, analysisId, analysisPrompt, followUpTask } from './followUpWork';

export interface DraftAnalysisOptions {
  readonly workspaceRoot: string;
  /** The `claude` backend (Messages API) when an Anthropic key is set; else undefined. */
  readonly claude: () => AgentBackend | undefined;
  /** The configured claude-code agent, run read-only (the `analyze` task type: reading tools only). */
  readonly claudeCode: () => AgentBackend | undefined;
  /** Everything the comment quotes passes it: the agent could echo a key it read. */
  readonly redact: (text: string) => string;
  readonly timeoutMs: number;
  readonly log: Logger;
  readonly now: () => Date;
}

/** The PR's diff is quoted up to this size; a larger one is cut (the agent can read the rest in its worktree). */
const maxDiffChars = 30_000;

/**
 * The self-analysis of a red draft PR (issue 11): a read-only agent — `claude` (one Messages API request)
 * when its key is set, else claude-code with reading tools only, in a worktree at the PR's head — answers
 * what failed, the likely cause and a proposed fix from the track's prompt and the PR's diff (when cheap).
 * The answer comes back as the comment body: redacted, fenced, bounded. One analysis per (PR, head) in
 * this process; across a restart the track's marker on the comment keeps it to one comment.
 */
export class DraftAnalysis {
  private readonly analyses = new Map<string, Promise<{ readonly agentId: string; readonly body: string }>>();

  constructor(private readonly options: DraftAnalysisOptions) {}

  analyze(request: DraftAnalysisRequest): Promise<{ readonly agentId: string; readonly body: string }> {
    const id = analysisId(request);
    const known = this.analyses.get(id);
    if (known !== undefined) return known;
    const running = this.run(request, id);
    this.analyses.set(id, running);
    running.catch(() => { this.analyses.delete(id); });
    return running;
  }

  /** The agent that analyses: `claude` when it is healthy (a key is set), else claude-code. */
  private async analyst(): Promise<AgentBackend> {
    const claude = this.options.claude();
    if (claude !== undefined && (await claude.health().catch(() => ({ ok: false }))).ok) return claude;
    const claudeCode = this.options.claudeCode();
    if (claudeCode !== undefined) return claudeCode;
    throw new Error('no read-only agent can analyse a red draft: set an Anthropic API key (the `claude` agent) or configure Claude Code');
  }

  private async run(request: DraftAnalysisRequest, id: string): Promise<{ readonly agentId: string; readonly body: string }> {
    const { workspaceRoot } = this.options;
    if (!commitShaPattern.test(request.headSha)) throw new Error(`"${request.headSha}" is not a commit id`);
    const agent = await this.analyst();
    await fetchBranch(workspaceRoot, checkedBranch(request.headRef));
    const diff = await boundedDiff(workspaceRoot, 'refs/remotes/origin/HEAD', request.headSha, maxDiffChars);
    const prompt = analysisPrompt(request, diff);
    const task = followUpTask(id, 'analyze', `Analyse the red draft PR #${String(request.pullNumber)}`, prompt);
    if (!agent.needsWorktree) return this.answered(request, agent, await this.ask(agent, task, workspaceRoot, undefined, prompt));
    const worktree = await createWorktree({ repoRoot: workspaceRoot, taskId: id, baseRef: request.headSha });
    try {
      return this.answered(request, agent, await this.ask(agent, task, worktree.path, worktree.branch, prompt));
    } finally {
      await retireWorktree({ repoRoot: workspaceRoot, path: worktree.path }).catch((error: unknown) => { this.options.log.warn('could not remove the worktree of %s: %s', id, describeError(error)); });
    }
  }

  private async ask(agent: AgentBackend, task: ReturnType<typeof followUpTask>, workdir: string, branch: string | undefined, prompt: string): Promise<AgentRunStatus> {
    const handle = await agent.dispatch({ runId: newRunId(this.options.now, Math.random), task, workdir, branch, prompt, timeoutMs: this.options.timeoutMs, onOutput: () => undefined });
    return agent.wait(handle);
  }

  private answered(request: DraftAnalysisRequest, agent: AgentBackend, status: AgentRunStatus): { readonly agentId: string; readonly body: string } {
    if (status.state !== 'succeeded') {
      const why = status.state === 'failed' ? `${status.failure}: ${status.message}` : status.state;
      throw new Error(`${agent.id} could not analyse PR #${String(request.pullNumber)} (${why})`);
    }
    const answer = answerOf(status);
    if (answer.trim() === '') throw new Error(`${agent.id} answered nothing about PR #${String(request.pullNumber)}`);
    return { agentId: agent.id, body: analysisComment({ agentId: agent.id, headSha: request.headSha, answer, redact: this.options.redact }) };
  }
}

/** The model's answer: `claude`'s report without its facts header (model, tokens), or claude-code's final text. */
function answerOf(status: Extract<AgentRunStatus, { state: 'succeeded' }>): string {
  if (status.report === undefined) return status.summary;
  const rule = status.report.indexOf('\n---\n');
  return rule === -1 ? status.report : status.report.slice(rule + '\n---\n'.length);
}
