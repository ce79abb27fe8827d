import * as path from 'node:path';
import { queuePathPattern } from '../../shared/protocol';
import type { QueueSnapshot } from '../queue/queueEntries';
import type { AtoState } from './atoState';

export type ResolvedTaskPath = { readonly ok: true; readonly file: string } | { readonly ok: false; readonly reason: string };

/**
 * Resolves a task path the webview asked to open (relative to the planning folder) to an absolute file,
 * only if it names a task file the queue index knows, inside one of the queue folders. The
 * webview is not trusted: its path is checked again here, whatever the protocol already checked.
 */
export function resolveTaskPath(state: Pick<AtoState, 'planning' | 'queue'>, relative: string): ResolvedTaskPath {
  const planning = state.planning;
  if (planning.kind !== 'ready' && planning.kind !== 'partial') return { ok: false, reason: 'no planning folder' };
  if (!queuePathPattern.test(relative)) return { ok: false, reason: 'not a path inside a queue folder' };
  const queueRoot = path.resolve(planning.path, 'issue_queue');
  const file = path.resolve(planning.path, ...relative.split('/'));
  const inside = path.relative(queueRoot, file).split(path.sep);
  if (inside.length < 2 || inside.includes('..') || path.isAbsolute(inside.join(path.sep))) return { ok: false, reason: 'outside the queue folders' };
  if (state.queue === undefined || !knowsPath(state.queue, relative)) return { ok: false, reason: 'not a task file the queue knows' };
  return { ok: true, file };
}

function knowsPath(queue: QueueSnapshot, relative: string): boolean {
  const lists = [queue.pending.ready, queue.pending.blocked.map(task => task.entry), queue.processed, queue.complete, queue.invalid];
  return lists.some(list => list.some(entry => entry.relativePath === relative));
}
