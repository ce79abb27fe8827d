import type { TaskPriority, TaskType } from './taskTypes';

/**
 * The one table that documents task-file frontmatter. The parser's key list, the editor's completion
 * and hover, and `schemas/task-frontmatter.schema.json` (checked by a unit test) all derive from it.
 */
export const frontmatterKeys = ['id', 'type', 'priority', 'agent', 'created', 'depends_on', 'cwd', 'timeout', 'budget_usd'] as const;
export type FrontmatterKey = (typeof frontmatterKeys)[number];

/** The largest `budget_usd:` a task may give (the same ceiling as `ato.agents.claudeCode.maxBudgetUsd`). */
export const maxTaskBudgetUsd = 10_000;

export interface FrontmatterFieldDoc {
  /** One line, shown as the completion's detail. */
  readonly summary: string;
  /** Markdown, shown in hover and completion documentation. */
  readonly description: string;
  /** What a value looks like, e.g. `feature`, `[other-task-id]`. */
  readonly example: string;
  readonly defaultValue?: string;
}

export const frontmatterFields: Readonly<Record<FrontmatterKey, FrontmatterFieldDoc>> = {
  id: {
    summary: 'Task id (slug)',
    description: 'A unique, slug-like id: letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 128 characters. It names the run\'s branch `ato/<id>`, so what git refuses in a branch name (`..`, an ending `.lock` or `.`) is an error. Other tasks name it in `depends_on`; ATO writes it into the markers that link the task to its issue, PR and run. Defaults to the file name without `.task.md` / `.md`.',
    example: 'add-login-form',
    defaultValue: 'the file name without `.task.md` / `.md`',
  },
  type: {
    summary: 'Kind of work',
    description: 'What kind of work the task is. It decides which agents can take it, whether the agent may change the repository, and where the task sits in the loop. Case-insensitive; common aliases (`bug` → `fix`, `docs` → `documentation`, …) are accepted with a hint. Without frontmatter the type comes from the file-name prefix (`gap-`, `system-`, `capability-`, `review-`, `maintenance-`; anything else is `feature`).',
    example: 'feature',
    defaultValue: 'from the file-name prefix, else `feature`',
  },
  priority: {
    summary: 'Dispatch priority',
    description: 'The queue dispatches the highest priority first, then the oldest. Case-insensitive; `urgent`, `normal` and `p0`–`p3` are accepted with a hint.',
    example: 'medium',
    defaultValue: '`medium`',
  },
  agent: {
    summary: 'Agent that runs the task',
    description: '`auto` lets ATO choose the eligible agent with the best record for this task type; any other value names an agent: `copilot`, `jules`, `claude-code`, `claude` or the id of a custom CLI agent from the settings. An explicit agent always wins.',
    example: 'auto',
    defaultValue: '`auto`',
  },
  created: {
    summary: 'Creation time (ISO 8601)',
    description: 'When the task was created, as an ISO 8601 date or date-time (`2026-11-21` or `2026-11-21T10:00:00Z`). Among tasks of equal priority the oldest is dispatched first.',
    example: '2026-11-21T10:00:00Z',
  },
  depends_on: {
    summary: 'Tasks that must complete first',
    description: 'Ids of tasks that must be complete before this one is dispatched: a list (`[a, b]` or one `- id` per line) or a single id. A dependency cycle is an error; an id that names no known task is a warning.',
    example: '[other-task-id]',
  },
  cwd: {
    summary: 'Working directory',
    description: 'The directory the agent starts in, relative to the workspace root (e.g. `packages/web`). It must resolve inside the workspace: absolute paths, `~`, `..` escapes and symlinks that lead outside are errors. A run resolves it inside its own worktree (symlinks followed), where it must be a folder.',
    example: 'packages/web',
    defaultValue: 'the workspace root',
  },
  timeout: {
    summary: 'Run time limit',
    description: 'How long the agent may run before ATO stops it: a duration such as `90s`, `30m`, `2h` or `1h30m`; a bare number is minutes. At most 24 hours.',
    example: '30m',
    defaultValue: "the agent's own timeout",
  },
  budget_usd: {
    summary: 'Spend cap in USD',
    description: 'The most this task may spend, in US dollars (e.g. `2.5`). Claude Code gets it as `--max-budget-usd`; an agent that reports its cost while running is stopped when it reaches it. A run that reaches it waits for you with "Raise budget and resume" (`ato resume <id> --budget <usd>`). 0 means no cap.',
    example: '2.5',
    defaultValue: '`ato.runs.defaultBudgetUsd` (0: no cap)',
  },
};

export const taskTypeDocs: Readonly<Record<TaskType, string>> = {
  feature: 'New behaviour: the agent changes code and opens a pull request.',
  fix: 'Fix a bug: the agent changes code and opens a pull request.',
  ci_fix: 'Make a red CI run green again (ATO creates these for red pull requests).',
  code_review: 'Review code and report findings; read-only, the repository is not changed.',
  analyze: 'Investigate and report; read-only, the repository is not changed.',
  summarize: 'Summarize code, a discussion or a change; read-only.',
  documentation: 'Write or update documentation.',
  gap_analysis: 'Compare the goal with the current capabilities and add the next task files to the queue (stage 1 of the planning loop).',
  capability_update: 'Update `planning/state/system_capabilities.md` after a merge (stage 3 of the planning loop).',
  review: 'A periodic review document in `planning/reviews/`; read-only, not development work.',
  maintenance: 'Housekeeping (dependencies, clean-ups); not development work in the planning loop.',
};

export const taskPriorityDocs: Readonly<Record<TaskPriority, string>> = {
  low: 'Dispatched after everything else.',
  medium: 'The default.',
  high: 'Dispatched before medium and low tasks.',
  critical: 'Dispatched before all but emergencies.',
  emergency: 'Dispatched first; ATO uses it for a red default branch or a failed deployment.',
};

export const builtInAgentIds = ['auto', 'copilot', 'jules', 'claude-code', 'claude'] as const;
export type BuiltInAgentId = (typeof builtInAgentIds)[number];

export const agentDocs: Readonly<Record<BuiltInAgentId, string>> = {
  auto: 'Let ATO choose: eligible agents are scored by success rate for the task type, load and cost.',
  copilot: 'GitHub Copilot coding agent: ATO opens a GitHub issue for the task and assigns it to Copilot.',
  jules: 'Google Jules: a Jules session on the repository that opens a pull request.',
  'claude-code': 'The Claude Code CLI, run locally in a fresh git worktree on branch `ato/<task-id>`.',
  claude: 'Claude through the Anthropic API, for read-only work: analysis, review, summaries.',
};

/** Examples offered when completing a `timeout:` value. */
export const timeoutExamples: readonly (readonly [string, string])[] = [
  ['30m', '30 minutes'],
  ['1h', '1 hour'],
  ['1h30m', '1 hour 30 minutes'],
  ['2h', '2 hours'],
  ['90s', '90 seconds'],
];
