import type { TaskType } from './taskTypes';

const taskIdPattern = /^[a-z0-9][a-z0-9._-]*$/i;

/** Task ids are slug-like: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export function isTaskId(text: string): boolean {
  return taskIdPattern.test(text);
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

/** A slug suggestion for a file name that is not a valid id, e.g. `Fix login!.md` → `fix-login`. */
export function suggestTaskId(text: string): string {
  const slug = text.slice(0, 80).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  let end = slug.length;
  while (end > 0 && slug[end - 1] === '-') end--;
  return end === 0 ? 'task' : slug.slice(0, end);
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
