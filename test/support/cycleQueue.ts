import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QueueEntries } from '../../src/core/queue/queueEntries';
import type { AtoState } from '../../src/core/state/atoState';
import { aQueueEntry } from './panelState';
import { taskFileText } from './simpleTaskParser';
import { anAtoState, planningExamples } from './stateBuilders';

/**
 * `count` task ids, `task-00042`, padded to `idLength` characters when asked (`task-00042-xxxx…`), in order: the
 * worst case of issue 9 C2 is one cycle through all of them, with long ids.
 */
export function cycleIds(count: number, idLength = 0): string[] {
  const digits = String(count - 1).length;
  return Array.from({ length: count }, (_, index) => {
    const id = `task-${String(index).padStart(digits, '0')}`;
    return idLength > id.length + 1 ? `${id}-${'x'.repeat(idLength - id.length - 1)}` : id;
  });
}

/** The task files of one dependency cycle through `ids`: each depends on the next, the last on the first. */
export function cycleTaskFiles(ids: readonly string[]): { readonly fileName: string; readonly text: string }[] {
  return ids.map((id, index) => ({
    fileName: `${id}.task.md`,
    text: taskFileText({ id, title: `Step ${String(index)} of the cycle`, dependsOn: [ids[(index + 1) % ids.length] ?? id] }),
  }));
}

/** Writes the cycle's task files into `planningRoot`'s pending/ (and creates the other queue folders). */
export async function writeCycleQueue(planningRoot: string, ids: readonly string[]): Promise<void> {
  const queue = join(planningRoot, 'issue_queue');
  for (const folder of ['pending', 'processed', 'complete']) await mkdir(join(queue, folder), { recursive: true });
  await Promise.all(cycleTaskFiles(ids).map(({ fileName, text }) => writeFile(join(queue, 'pending', fileName), text)));
}

/** The store's state for a workspace whose pending/ holds exactly that cycle (parsed by the tests' parser). */
export function aCycleState(ids: readonly string[]): AtoState {
  const entries = new QueueEntries();
  for (const { fileName, text } of cycleTaskFiles(ids)) entries.set(aQueueEntry('pending', fileName, text));
  entries.commit();
  const queue = entries.snapshot();
  return anAtoState({ planning: { ...planningExamples.ready, path: '/work/repo/planning', queue: queue.counts }, queue });
}
