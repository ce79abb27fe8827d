import type { TaskPriority, TaskType } from './taskTypes';

/** A position in a text file: zero-based line and UTF-16 character, as VS Code counts them. */
export interface TextPosition {
  readonly line: number;
  readonly character: number;
}

export interface TextRange {
  readonly start: TextPosition;
  readonly end: TextPosition;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info' | 'hint';

/** A problem in a task file, shown in VS Code's Problems panel at `range`. */
export interface TaskDiagnostic {
  readonly severity: DiagnosticSeverity;
  readonly message: string;
  readonly range: TextRange;
  /** Stable machine-readable id, e.g. `unknown-type`, `yaml-syntax`, `target-outside-workspace`. */
  readonly code: string;
}

/** A valid task, parsed from a task file (frontmatter + Markdown sections, or plain Markdown). */
export interface Task {
  readonly id: string;
  readonly title: string;
  readonly type: TaskType;
  readonly priority: TaskPriority;
  /** `auto` or an agent id. */
  readonly agent: string;
  /** ISO 8601 creation time from the frontmatter, when given. */
  readonly created: string | undefined;
  readonly dependsOn: readonly string[];
  /** Working directory relative to the workspace root, when given. */
  readonly cwd: string | undefined;
  readonly timeoutMs: number | undefined;
  /** `budget_usd`: the most the task may spend; absent (or 0) means the default from the settings. */
  readonly budgetUsd?: number;
  /** Paths relative to the workspace root. */
  readonly targetFiles: readonly string[];
  readonly prompt: string;
  readonly successCriteria: readonly string[];
  readonly context: string;
  /** The Markdown after the frontmatter, unchanged. */
  readonly body: string;
}

/**
 * What parsing a task file yields: a task when there is no error-severity diagnostic, and every
 * diagnostic (warnings and hints come with a valid task too). Parsing never throws.
 */
export interface TaskParseResult {
  readonly task: Task | undefined;
  readonly diagnostics: readonly TaskDiagnostic[];
}
