import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import '../../../shared/zod';
import { atoDirectory, ensureAtoDirectory } from '../../events/atoDirectory';
import { writeFileAtomic } from '../../util/atomicWrite';

const dayMs = 24 * 60 * 60 * 1000;
export const julesLedgerFileName = 'jules-sessions.json';

const ledgerSchema = z.object({
  version: z.literal(1),
  sessions: z.array(z.object({ session: z.string(), taskId: z.string(), createdAt: z.iso.datetime() })),
});
type LedgerFile = z.output<typeof ledgerSchema>;

/**
 * The Jules sessions ATO created in the last 24 h, kept in `.ato/jules-sessions.json` (atomic writes) so a
 * restart does not forget them: Jules's plans cap sessions per rolling day, and `ato.agents.jules.dailySessions`
 * says where ATO stops. Read afresh each time (the CLI and the extension may both create sessions); a damaged
 * file counts as empty (and is rewritten on the next session), never a crash.
 */
export class JulesSessionLedger {
  constructor(private readonly workspaceRoot: string, readonly dailyCap: number, private readonly now: () => Date) {}

  /** Sessions created in the 24 h before now. */
  async sessionsToday(): Promise<number> {
    const since = this.now().getTime() - dayMs;
    return (await this.load()).filter(entry => Date.parse(entry.createdAt) > since).length;
  }

  async atCap(): Promise<boolean> {
    return this.dailyCap > 0 && (await this.sessionsToday()) >= this.dailyCap;
  }

  /** Records a created session (idempotent by name); entries older than a day are dropped. */
  async record(session: string, taskId: string, createdAt: string): Promise<void> {
    const since = this.now().getTime() - dayMs;
    const kept = (await this.load()).filter(entry => Date.parse(entry.createdAt) > since && entry.session !== session);
    const at = Number.isNaN(Date.parse(createdAt)) ? this.now().toISOString() : new Date(Date.parse(createdAt)).toISOString();
    const file: LedgerFile = { version: 1, sessions: [...kept, { session, taskId, createdAt: at }] };
    const directory = await ensureAtoDirectory(this.workspaceRoot);
    await writeFileAtomic(join(directory, julesLedgerFileName), `${JSON.stringify(file, null, 2)}\n`);
  }

  private async load(): Promise<LedgerFile['sessions']> {
    let text: string;
    try {
      text = await readFile(join(atoDirectory(this.workspaceRoot), julesLedgerFileName), 'utf8');
    } catch {
      return [];
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = ledgerSchema.safeParse(json);
    return parsed.success ? parsed.data.sessions : [];
  }
}
