import { requeueableRuns as requeueableOf } from '../../shared/requeueable';
import { queueEntryId } from '../queue/queueEntry';
import type { AtoState } from './atoState';

/** The store's runs whose task can be requeued, by run id → task id (see src/shared/requeueable.ts). */
export function requeueableRuns(state: Pick<AtoState, 'runs' | 'queue'>): ReadonlyMap<string, string> {
  const processed = state.queue?.processed ?? [];
  return processed.length === 0 ? new Map() : requeueableOf(state.runs, new Set(processed.map(queueEntryId)));
}
