import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { planningLayout, reportFileName } from '../planning/planningLayout';
import type { PlanningWriter } from '../planning/planningWriter';
import { checkFuturePlace } from '../util/pathContainment';
import { queueInnerPath } from './queueLocation';

export interface RunReportInput {
  readonly workspaceRoot: string;
  readonly planningRoot: string;
  /** The task file, relative to the workspace (as the run record holds it): in `processed/` while it runs. */
  readonly taskFile: string;
  /** The report's Markdown, as the agent produced it. */
  readonly text: string;
  readonly writer: PlanningWriter;
}

/**
 * Writes a run's report where its task file ends up: beside it in `complete/` (in the same sub-folder),
 * named `<name>.report.md` (see reportFileName; the queue never takes it for a task). Written before the
 * task moves there, so the `## Result` that links it never points at nothing; redacted and atomic (through
 * the planning writer), into a folder that really is inside the workspace. A later run of the same task
 * file replaces it. Returns the report's absolute path.
 */
export async function writeRunReport(input: RunReportInput): Promise<string> {
  const inner = queueInnerPath(input.workspaceRoot, input.planningRoot, input.taskFile);
  const folder = dirname(join(input.planningRoot, ...planningLayout.complete.split('/'), ...inner.split('/')));
  const place = await checkFuturePlace(input.workspaceRoot, folder);
  if (place.kind !== 'inside') {
    const where = place.kind === 'outside' ? `leads outside the workspace (to ${place.realPath})` : `cannot be resolved (${place.reason})`;
    throw new Error(`cannot write the report of ${input.taskFile}: ${folder} ${where}`);
  }
  await mkdir(folder, { recursive: true });
  const file = join(folder, reportFileName(basename(inner)));
  await input.writer.replace(file, input.text);
  return file;
}
