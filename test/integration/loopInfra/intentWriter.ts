// Writes intents without pause until killed: `node --import tsx intentWriter.ts <workspace>`. Prints
// "ready" after the first record is on disk. Each round begins an intent, records three steps (one with a
// large result, so writes take a while) and finishes or abandons it.
import { IntentLog } from '../../../src/core/loop/engine/intentLog';

async function main(): Promise<void> {
  const [workspace = ''] = process.argv.slice(2);
  const log = new IntentLog({ workspaceRoot: workspace });
  const payload = 'x'.repeat(64 * 1024);
  for (let round = 0; ; round++) {
    const intent = await log.begin('promoteTask', `promote:task-${round}`, { taskId: `task-${round}`, round });
    if (round === 0) process.stdout.write('ready\n');
    const created = await log.step(intent, 'issueCreated', { issueNumber: round });
    const assigned = await log.step(created, 'assigned', { payload });
    const moved = await log.step(assigned, 'queueMoved');
    if (round % 5 === 4) await log.abandon(moved, 'test');
    else await log.finish(moved);
  }
}

void main();
