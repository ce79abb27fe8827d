import type { RunRecordProblem } from './runStore';

const what: Readonly<Record<RunRecordProblem['kind'], string>> = {
  unreadable: 'cannot be read',
  invalidJson: 'is not valid JSON',
  invalidRecord: 'is not a valid run record',
};

/** Long parser messages (a zod report of every field) are cut here: the file itself has the rest. */
const maxDetail = 300;

/**
 * How a run record that could not be used is reported (Doctor, needs-you, the tree): what is wrong and
 * what to do. ATO leaves the file as it is and does not count that run until it is fixed or deleted.
 */
export function describeRunRecordProblem(problem: RunRecordProblem): { readonly title: string; readonly detail: string } {
  const message = problem.message.replace(/\s+/g, ' ').trim();
  const cut = message.length > maxDetail ? `${message.slice(0, maxDetail - 1)}…` : message;
  return {
    title: `Run record ${problem.runId} ${what[problem.kind]}`,
    detail: `${cut === '' ? '' : `${cut}. `}ATO leaves .ato/runs/${problem.runId}.json as it is and ignores that run until you fix or delete the file.`,
  };
}
