import { readOnlyTaskTypes, type TaskType } from '../../tasks/taskTypes';

/** `--permission-mode` choices of Claude Code 2.1.330. */
export const claudePermissionModes = ['acceptEdits', 'auto', 'bypassPermissions', 'manual', 'dontAsk', 'plan'] as const;
export type ClaudePermissionMode = (typeof claudePermissionModes)[number];

/** Tools for review/analyze/summarize: read and search, nothing that runs a command or changes a file. */
export const defaultReadOnlyTools: readonly string[] = ['Read', 'Grep', 'Glob'];
/**
 * Tools for tasks that change the repository: the read-only set plus editing, and git commands that only
 * look. No command that runs the repository's code (npm, make…) and no git command that commits or
 * pushes: ATO commits the worktree itself.
 */
export const defaultWriteTools: readonly string[] = ['Read', 'Edit', 'Write', 'Grep', 'Glob', 'Bash(git diff:*)', 'Bash(git log:*)', 'Bash(git show:*)', 'Bash(git status:*)', 'Bash(ls:*)'];
/**
 * Never available to a read-only task type, whatever the configuration or the permission mode: they run
 * commands or change files. MCP tools (`mcp__…`) are never available to one either.
 */
export const readOnlyDeniedTools: readonly string[] = ['Bash', 'Edit', 'Write', 'NotebookEdit'];

/**
 * Where Claude Code may read its settings from: the user's own files only. The project (`.claude/settings.json`)
 * and local (`.claude/settings.local.json`) sources are the cloned repository's: their hooks, `env`,
 * `apiKeyHelper`, permission rules, plugins, agents, commands, skills, output styles and MCP approvals would
 * configure a run of ATO's with the API key in its environment.
 */
export const claudeSettingSources = 'user';

export interface ClaudeArgsOptions {
  readonly maxTurns?: number;
  readonly maxBudgetUsd?: number;
  readonly model?: string;
  readonly permissionMode?: ClaudePermissionMode;
  readonly readOnlyTools?: readonly string[];
  readonly writeTools?: readonly string[];
  readonly extraArgs?: readonly string[];
}

/** What the worktree of one run brings: looked up by the backend, passed as ATO decides. */
export interface ClaudeRunContext {
  /** The worktree's `.mcp.json`, when the user allowed project MCP servers. */
  readonly projectMcpConfig?: string;
  /** The repository's CLAUDE.md, framed as its content (see repositoryNotes.ts). */
  readonly repositoryNotes?: string;
  /** The task's spend cap (`budget_usd`, or the default): wins over the agent's `maxBudgetUsd` when lower. */
  readonly budgetUsd?: number;
}

/**
 * The command line of one run (the prompt goes to stdin). Every run reads user settings only and only the
 * MCP servers ATO names (`--strict-mcp-config`): none, or — for a task that may change the repository, when
 * the user allowed it for this workspace — the worktree's `.mcp.json`. A read-only task type has only its
 * reading tools at all (`--tools`), with `dontAsk` and the command/editing tools denied, and never an MCP
 * server. The repository's CLAUDE.md comes as appended text, not as a setting source.
 */
export function claudeArgs(options: ClaudeArgsOptions, type: TaskType, run: ClaudeRunContext = {}): string[] {
  const readOnly = readOnlyTaskTypes.has(type);
  const tools = readOnly ? readOnlyToolsOf(options.readOnlyTools ?? defaultReadOnlyTools) : options.writeTools ?? defaultWriteTools;
  const mode: ClaudePermissionMode = readOnly ? 'dontAsk' : options.permissionMode ?? 'dontAsk';
  const args = ['-p', '--output-format', 'stream-json', '--verbose', '--max-turns', String(options.maxTurns ?? 40), '--permission-mode', mode];
  args.push('--setting-sources', claudeSettingSources, '--strict-mcp-config');
  if (!readOnly && run.projectMcpConfig !== undefined) args.push('--mcp-config', run.projectMcpConfig);
  if (run.repositoryNotes !== undefined) args.push('--append-system-prompt', run.repositoryNotes);
  // `--tools` decides which built-in tools exist; `--allowedTools` only which run without asking.
  if (readOnly) args.push('--tools', [...new Set(tools.map(toolName))].join(','));
  // Variadic options: each is followed by another option, so nothing else is taken for a tool name.
  if (tools.length > 0) args.push('--allowedTools', ...tools);
  if (readOnly) args.push('--disallowedTools', ...readOnlyDeniedTools);
  if (options.model !== undefined) args.push('--model', options.model);
  const budgets = [options.maxBudgetUsd, run.budgetUsd].filter((usd): usd is number => usd !== undefined && usd > 0);
  if (budgets.length > 0) args.push('--max-budget-usd', String(Math.min(...budgets)));
  args.push(...(options.extraArgs ?? []));
  return args;
}

/** A configured read-only list without what a read-only task never gets. */
function readOnlyToolsOf(configured: readonly string[]): string[] {
  return configured.filter(rule => {
    const name = toolName(rule);
    return !readOnlyDeniedTools.includes(name) && !name.startsWith('mcp__');
  });
}

/** `Bash(git diff:*)` → `Bash`. */
function toolName(rule: string): string {
  const open = rule.indexOf('(');
  return (open === -1 ? rule : rule.slice(0, open)).trim();
}
