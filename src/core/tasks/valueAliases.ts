import { nearest } from './editDistance';
import { builtInAgentIds, frontmatterKeys, type BuiltInAgentId, type FrontmatterKey } from './frontmatterFields';
import { taskPriorities, taskTypes, type TaskPriority, type TaskType } from './taskTypes';

/** Spellings users slip into, normalized (lower case, runs of `-` and spaces as `_`) → the canonical value. */
export const typeAliases: ReadonlyMap<string, TaskType> = new Map<string, TaskType>([
  ['bug_fix', 'fix'], ['bugfix', 'fix'], ['bug', 'fix'], ['fixes', 'fix'],
  ['cifix', 'ci_fix'],
  ['review_code', 'code_review'],
  ['analysis', 'analyze'], ['analyse', 'analyze'],
  ['summary', 'summarize'], ['summarise', 'summarize'],
  ['docs', 'documentation'], ['doc', 'documentation'],
  ['gap', 'gap_analysis'],
  ['capability', 'capability_update'], ['capabilities', 'capability_update'], ['capabilities_update', 'capability_update'],
  ['chore', 'maintenance'],
  ['feat', 'feature'],
]);

export const priorityAliases: ReadonlyMap<string, TaskPriority> = new Map<string, TaskPriority>([
  ['urgent', 'critical'], ['normal', 'medium'], ['med', 'medium'],
  ['p0', 'critical'], ['p1', 'high'], ['p2', 'medium'], ['p3', 'low'],
]);

export const agentAliases: ReadonlyMap<string, BuiltInAgentId> = new Map<string, BuiltInAgentId>([
  ['claude_code', 'claude-code'], ['claudecode', 'claude-code'],
  ['github_copilot', 'copilot'], ['copilot_swe_agent', 'copilot'],
  ['google_jules', 'jules'],
]);

export const keyAliases: ReadonlyMap<string, FrontmatterKey> = new Map<string, FrontmatterKey>([
  ['dependson', 'depends_on'], ['dependencies', 'depends_on'], ['depends', 'depends_on'], ['deps', 'depends_on'],
  ['working_directory', 'cwd'], ['workdir', 'cwd'],
]);

/**
 * How a value matched: exactly (case aside), through an alias or another spelling of a canonical value
 * (`ci-fix`, `CodeReview`), or not at all (with the nearest valid value).
 */
export type EnumMatch<T extends string> =
  | { readonly kind: 'exact'; readonly value: T }
  | { readonly kind: 'alias'; readonly value: T }
  /** `distance`: edits between what was written and the nearest spelling. */
  | { readonly kind: 'unknown'; readonly nearest: T; readonly distance: number };

export function normalizeSpelling(raw: string): string {
  return raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function squash(text: string): string {
  return text.replace(/[_\s-]+/g, '');
}

export function matchEnum<T extends string>(raw: string, canonical: readonly [T, ...T[]], aliases: ReadonlyMap<string, T>): EnumMatch<T> {
  const lower = raw.trim().toLowerCase();
  const exact = canonical.find(value => value === lower);
  if (exact !== undefined) return { kind: 'exact', value: exact };
  const normalized = normalizeSpelling(raw);
  const squashed = squash(lower);
  const spelled = canonical.find(value => normalizeSpelling(value) === normalized || squash(value) === squashed)
    ?? aliases.get(normalized) ?? aliases.get(squashed);
  if (spelled !== undefined) return { kind: 'alias', value: spelled };
  const candidates: (readonly [string, T])[] = [...canonical.map(value => [value, value] as const), ...aliases];
  const closest = nearest(normalized, candidates);
  return { kind: 'unknown', nearest: closest?.value ?? canonical[0], distance: closest?.distance ?? normalized.length };
}

export function matchTaskType(raw: string): EnumMatch<TaskType> {
  return matchEnum(raw, taskTypes, typeAliases);
}

export function matchPriority(raw: string): EnumMatch<TaskPriority> {
  return matchEnum(raw, taskPriorities, priorityAliases);
}

/** A built-in agent id by any spelling; `unknown` means a custom agent id (or a typo). */
export function matchAgent(raw: string): EnumMatch<BuiltInAgentId> {
  return matchEnum(raw, builtInAgentIds, agentAliases);
}

/** A known frontmatter key by any spelling, without looking for the nearest (cheap: for scanning many lines). */
export function knownKey(raw: string): FrontmatterKey | undefined {
  const lower = raw.trim().toLowerCase();
  if ((frontmatterKeys as readonly string[]).includes(lower)) return lower as FrontmatterKey;
  const normalized = normalizeSpelling(raw);
  const squashed = squash(lower);
  return frontmatterKeys.find(key => key === normalized || squash(key) === squashed) ?? keyAliases.get(normalized) ?? keyAliases.get(squashed);
}

/** A frontmatter key by any spelling (`Type`, `depends-on`, `dependsOn`), or the nearest key. */
export function matchKey(raw: string): EnumMatch<FrontmatterKey> {
  const match = matchEnum(raw, frontmatterKeys, keyAliases);
  // Keys differ from their canonical form only by case or `-`/`_`: no hint needed for `Type` or `depends-on`.
  if (match.kind === 'alias' && normalizeSpelling(raw) === match.value) return { kind: 'exact', value: match.value };
  return match;
}
