import type { AdoptionRecord, AdoptionReport } from '../core/loop/tracks/planning/issueAdoption';
import type { CliContext } from './cliContext';
import { openLoop, unavailable, withLock } from './loopCommands';

function work(record: AdoptionRecord): string {
  return record.work === 'gap-analysis' ? 'the gap analysis' : `task ${record.work.replace(/^task:/, '')}`;
}

function printReport(context: CliContext, report: AdoptionReport): void {
  if (report.adopted.length > 0) {
    context.out(report.dryRun ? 'Would adopt (dry run: nothing changed):\n' : 'Adopted (labelled and marked):\n');
    for (const record of report.adopted) context.out(`  #${String(record.issueNumber)} "${record.title}" → ${work(record)}\n`);
  }
  if (report.passedOver.length > 0) {
    context.out('Left alone:\n');
    for (const record of report.passedOver) context.out(`  #${String(record.issueNumber)} "${record.title}" (${work(record)}): ${record.why}\n`);
  }
  if (report.linked.length > 0) context.out(`Already ATO's: ${report.linked.map(record => `#${String(record.issueNumber)} (${work(record)})`).join(', ')}\n`);
}

/**
 * `ato adopt [--dry-run] [--json]`: the open issues made by hand (or by an earlier tool) for queued tasks
 * and the gap analysis, matched by title — listed, or labelled and marked as ATO's behind the lock and the
 * lease. Running it again changes nothing. Exit 1 when it could not act (the lease is held elsewhere).
 */
export async function adopt(context: CliContext, dryRun: boolean): Promise<number> {
  const body = async (): Promise<number> => {
    const { loop, close } = await openLoop(context);
    if (loop.kind === 'unavailable') return unavailable(context, loop);
    try {
      const outcome = await loop.engine.adoptIssues(dryRun);
      if (context.json) {
        context.out(`${JSON.stringify(context.redactor.redactValue({ dryRun, result: outcome.result, message: outcome.message, ...(outcome.report === undefined ? {} : { adopted: outcome.report.adopted, passedOver: outcome.report.passedOver, linked: outcome.report.linked }) }), null, 2)}\n`);
      } else {
        if (outcome.report !== undefined) printReport(context, outcome.report);
        context.out(`${outcome.message}\n`);
      }
      return outcome.report === undefined ? 1 : 0;
    } finally {
      await loop.engine.close();
      await close();
    }
  };
  // A dry run writes nothing, so it needs no lock.
  return dryRun ? body() : withLock(context, 'ato adopt', body);
}
