import { codeSpan, singleLine } from './thirdPartyText';

/** One merged task PR a review covers, as its task's result section recorded it. */
export interface ReviewedMerge {
  readonly taskId: string;
  readonly pullNumber: number;
  /** The PR's title as recorded (third-party text: shown on one defused line). */
  readonly title: string;
  readonly url: string | undefined;
  readonly completedAt: string | undefined;
}

/** The marker a review task carries: the range of merges it covers, counted from 1 in completion order. */
export function reviewRangeMarker(first: number, last: number): string {
  return `<!-- ato:review-range=${String(first)}-${String(last)} -->`;
}

/** The review task's id and file name stem: one per range, so a second queueing finds the first. */
export function reviewTaskId(first: number, last: number): string {
  return `review-merges-${String(first)}-${String(last)}`;
}

/**
 * The review task file (type `review`, priority medium): what the merges of the range were, and where the
 * agent puts its report (`<planning>/reviews/<task id>.md`). A read-only agent answers it (the registry's
 * choice for `review`): it reads and reports, it changes no code.
 */
export function reviewTaskText(options: { readonly first: number; readonly last: number; readonly merges: readonly ReviewedMerge[]; readonly planningPath: string }): string {
  const { first, last, merges } = options;
  const id = reviewTaskId(first, last);
  const report = `${options.planningPath}/reviews/${id}.md`;
  const lines = merges.map(merge => {
    const link = merge.url === undefined ? `PR #${String(merge.pullNumber)}` : `[PR #${String(merge.pullNumber)}](${merge.url})`;
    const when = merge.completedAt === undefined ? '' : `, completed ${singleLine(merge.completedAt, 40)}`;
    return `- ${link} (task ${codeSpan(merge.taskId)}${when}): ${singleLine(merge.title)}`;
  });
  return [
    '---',
    `id: ${id}`,
    'type: review',
    'priority: medium',
    '---',
    `# Review merges ${String(first)}–${String(last)} (${String(merges.length)} merged task pull requests)`,
    '',
    reviewRangeMarker(first, last),
    '',
    '**Prompt:**',
    `Review the ${String(merges.length)} task pull requests merged since the last review, listed under Context, as one change to the project: do they fit together and with the project's goals, what did they leave unfinished or inconsistent, what should be tested or cleaned up next. Read the code and the pull requests; change nothing. Write the report to ${codeSpan(report)} (create ${codeSpan(`${options.planningPath}/reviews/`)} when missing).`,
    '',
    '**Success Criteria:**',
    `- [ ] ${codeSpan(report)} names each pull request below and what it found in it`,
    '- [ ] The report lists follow-up work, each item small enough to become one task',
    '',
    '**Context:**',
    ...lines,
    '',
  ].join('\n');
}
