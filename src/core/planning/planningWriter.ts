import { writeFile } from 'node:fs/promises';
import type { Redactor } from '../logging/redactor';
import { writeFileAtomic } from '../util/atomicWrite';

/**
 * The one way ATO writes text into the planning folder — the task files it creates, the `## Result`
 * sections it appends. The folder is versioned and pushed, and that text quotes people and agents (a
 * selection delegated to AI, an agent's summary), so all of it passes the redactor first.
 */
export class PlanningWriter {
  constructor(private readonly redactor: Redactor) {}

  /** What a text becomes in the planning folder; for names derived from text (a task's id from its title). */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /** Replaces `file` with `text`, redacted, atomically (see {@link writeFileAtomic}). */
  replace(file: string, text: string): Promise<void> {
    return writeFileAtomic(file, this.redactor.redact(text));
  }

  /** Creates `file` with `text`, redacted; throws `EEXIST` rather than overwrite anything. */
  async create(file: string, text: string): Promise<void> {
    await writeFile(file, this.redactor.redact(text), { encoding: 'utf8', flag: 'wx' });
  }
}
