import { taskIdProblem } from './taskIdRules';
import type { TaskType } from './taskTypes';

/**
 * Task ids are slug-like (letters, digits, `.`, `_`, `-`, starting with a letter or digit), at most 128
 * characters, and name a branch `ato/<id>` that git accepts (see `taskIdProblem` for the reason when not).
 */
export function isTaskId(text: string): boolean {
  return taskIdProblem(text) === undefined;
}

/** The file name alone, from a path with `/` or `\` separators. */
export function baseName(fileName: string): string {
  const parts = fileName.split(/[\\/]/);
  return parts[parts.length - 1] ?? fileName;
}

/** The default task id: the file name without `.task.md` or `.md` (case-insensitive). */
export function defaultTaskId(fileName: string): string {
  return baseName(fileName).replace(/(?:\.task)?\.md$/i, '');
}

/** A valid id suggested for text that is not one, e.g. `Fix login!.md` → `fix-login`, `a..b.lock` → `a.b-lock`. */
export function suggestTaskId(text: string): string {
  const slug = text.slice(0, 80).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/\.{2,}/g, '.').replace(/^[^a-z0-9]+/, '');
  let end = slug.length;
  while (end > 0 && (slug[end - 1] === '-' || slug[end - 1] === '.')) end--;
  const trimmed = slug.slice(0, end).replace(/\.lock$/, '-lock');
  return trimmed === '' ? 'task' : trimmed;
}

const prefixTypes: readonly (readonly [RegExp, TaskType])[] = [
  [/^gap[-_]/i, 'gap_analysis'],
  [/^(?:system|capability|capabilities)[-_]/i, 'capability_update'],
  [/^review[-_]/i, 'review'],
  [/^maintenance[-_]/i, 'maintenance'],
];

/** The type a file's name implies (PRODUCT §3.1): `gap-…`, `system-…`, `review-…`, …; anything else is `feature`. */
export function typeFromFileName(fileName: string): TaskType {
  const name = baseName(fileName);
  return prefixTypes.find(([prefix]) => prefix.test(name))?.[1] ?? 'feature';
}
