import { join } from 'node:path';
import { planningLayout } from '../../../planning/planningLayout';
import type { QueueEntry } from '../../../queue/queueEntry';
import type { QueueSnapshot } from '../../../queue/queueEntries';
import { QueueFileReader, type FileStamp } from '../../../queue/queueFiles';
import type { PlanningRead, PlanningSource } from './planningSource';

export interface WorkingTreePlanningSourceOptions {
  /** The planning folder (absolute). */
  readonly planningRoot: string;
  /** Symlinked goal or capability files must resolve inside it; default the planning folder. */
  readonly workspaceRoot?: string;
  /** The queue index's current snapshot. */
  readonly snapshot: () => QueueSnapshot;
  /** Brings the snapshot up to date before a read (e.g. waits for the index's pending batch). */
  readonly refresh?: () => Promise<unknown>;
}

interface TextFile {
  readonly stamp: FileStamp | undefined;
  readonly text: string | undefined;
}

const missing: TextFile = { stamp: undefined, text: undefined };

/**
 * The planning truth in local mode (PRODUCT §3): the working tree, through the queue index that already
 * watches it, plus the goal and capability files (read again only when their stamp changed). Never drafts:
 * every local task file is queued.
 */
export class WorkingTreePlanningSource implements PlanningSource {
  readonly mode = 'local';
  private readonly reader: QueueFileReader;
  private goal: TextFile = missing;
  private capabilities: TextFile = missing;
  private lastSnapshot: { readonly snapshot: QueueSnapshot; readonly entries: readonly QueueEntry[] } | undefined;

  constructor(private readonly options: WorkingTreePlanningSourceOptions) {
    this.reader = new QueueFileReader({ containmentRoot: options.workspaceRoot ?? options.planningRoot });
  }

  async read(): Promise<PlanningRead> {
    await this.options.refresh?.();
    const snapshot = this.options.snapshot();
    if (this.lastSnapshot?.snapshot !== snapshot) this.lastSnapshot = { snapshot, entries: entriesOf(snapshot) };
    [this.goal, this.capabilities] = await Promise.all([
      this.readText(planningLayout.goal, this.goal),
      this.readText(planningLayout.capabilities, this.capabilities),
    ]);
    return {
      revision: `local:${snapshot.revision}:${stampText(this.goal.stamp)}:${stampText(this.capabilities.stamp)}`,
      entries: this.lastSnapshot.entries,
      goal: this.goal.text,
      capabilities: this.capabilities.text,
      drafts: [],
    };
  }

  private async readText(relative: string, previous: TextFile): Promise<TextFile> {
    const read = await this.reader.read(join(this.options.planningRoot, ...relative.split('/')), previous.stamp);
    switch (read.kind) {
      case 'missing': return missing;
      case 'unchanged': return previous;
      case 'problem': return { stamp: read.stamp, text: undefined };
      case 'text': return { stamp: read.stamp, text: read.text };
    }
  }
}

/** Every entry of a snapshot (valid or not, in any folder), once, in path order. */
function entriesOf(snapshot: QueueSnapshot): readonly QueueEntry[] {
  const byFile = new Map<string, QueueEntry>();
  const add = (entry: QueueEntry): void => { byFile.set(entry.file, entry); };
  snapshot.pending.ready.forEach(add);
  for (const blocked of snapshot.pending.blocked) add(blocked.entry);
  snapshot.processed.forEach(add);
  snapshot.complete.forEach(add);
  snapshot.invalid.forEach(add);
  return Object.freeze([...byFile.values()].sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0)));
}

function stampText(stamp: FileStamp | undefined): string {
  return stamp === undefined ? '-' : `${stamp.mtimeMs}/${stamp.size}`;
}
