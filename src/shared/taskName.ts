/**
 * How every view names a task (issue 14: one naming): its title first, its id as the secondary text. Without
 * a title (a run whose task left the queue, an invalid file) the id is the name and nothing is repeated.
 */
export interface TaskName {
  readonly title: string;
  /** The id when the title is not the id; undefined otherwise. */
  readonly id: string | undefined;
}

export function taskName(id: string, title: string | undefined): TaskName {
  return title === undefined || title === '' || title === id ? { title: id, id: undefined } : { title, id };
}

/** "Fix the typo (fix-typo)" — for one-line texts such as notifications. */
export function taskNameText(id: string, title: string | undefined): string {
  const name = taskName(id, title);
  return name.id === undefined ? name.title : `${name.title} (${name.id})`;
}
