import { branchNameProblem } from '../git/refName';

/** Task ids name a branch (`ato/<id>`) and a folder (`.ato/worktrees/<id>`): kept short. */
export const maxTaskIdLength = 128;

/** The prefix of every branch an agent's run works on. */
export const taskBranchPrefix = 'ato/';

const slugLike = /^[a-z0-9][a-z0-9._-]*$/i;

/** Letters, digits, `.`, `_`, `-`, starting with a letter or digit: the shape of an id, before git's rules. */
export function isSlugLike(text: string): boolean {
  return slugLike.test(text);
}

/**
 * Why `id` cannot be a task id, as a phrase that completes "The id … "; undefined when it can. An id
 * must be slug-like, at most {@link maxTaskIdLength} characters, and give a branch `ato/<id>` that git
 * accepts (no `..`, no `.lock` at the end, no trailing `.`, …; `git check-ref-format`).
 */
export function taskIdProblem(id: string): string | undefined {
  if (id === '') return 'is empty';
  if (id.length > maxTaskIdLength) return `is ${id.length} characters long; ids may have at most ${maxTaskIdLength} (they name a branch and a folder)`;
  const branch = `${taskBranchPrefix}${id}`;
  const refused = branchNameProblem(branch);
  if (refused !== undefined) return `${refused.replace(/ \("[^"]*"\)$/, '')}, which git refuses in the branch name "${branch}"`;
  if (id.startsWith('-') || id.startsWith('.') || id.startsWith('_')) return `starts with "${id.charAt(0)}": start with a letter or digit`;
  if (!isSlugLike(id)) return 'has characters other than letters, digits, ".", "_" and "-"';
  return undefined;
}
