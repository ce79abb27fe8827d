import { describeCycleWalk, shortCycleId, summarizeCycle, type CycleSummary } from '../tasks/dependencyCycles';
import { priorityRank } from '../tasks/taskTypes';
import { isValidQueueEntry, type QueueEntry, type ValidQueueEntry } from './queueEntry';

/** Why a valid pending task cannot be dispatched yet. */
export type BlockReason =
  /** Some `depends_on` ids are not in `complete/` (yet, or at all). */
  | { readonly kind: 'dependencies'; readonly missing: readonly string[] }
  /**
   * The task is part of a dependency cycle among pending tasks. `cycle` is one summary shared by all its
   * tasks, described at its first task in dispatch order; the others refer to it.
   */
  | { readonly kind: 'cycle'; readonly cycle: CycleSummary }
  /** Another task file has the same id; `files` are the others' paths relative to the planning folder. */
  | { readonly kind: 'duplicateId'; readonly files: readonly string[] };

export interface BlockedTask {
  readonly entry: ValidQueueEntry;
  readonly reason: BlockReason;
}

/** Valid pending tasks in dispatch order: those that may go now, and those that must wait, each in order. */
export interface PendingOrder {
  readonly ready: readonly ValidQueueEntry[];
  readonly blocked: readonly BlockedTask[];
}

/** Anything that answers "is this id taken / done?": a `Set`, or a `Map` keyed by id. */
export interface IdLookup {
  has(id: string): boolean;
}

export interface OrderOptions {
  /** Files whose id some other task file also has, with the other files' relative paths. */
  readonly duplicates?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Orders the valid tasks in `pending/` (other entries are ignored): highest priority first, then oldest
 * (frontmatter `created`, else the file's modification time), then id, then path. A task waits when one
 * of its `depends_on` ids is not in `completedIds`, when it is in a dependency cycle, or when its id is
 * not unique. Pure.
 */
export function orderPending(entries: Iterable<QueueEntry>, completedIds: IdLookup, options: OrderOptions = {}): PendingOrder {
  const sorted: ValidQueueEntry[] = [];
  for (const entry of entries) if (entry.folder === 'pending' && isValidQueueEntry(entry)) sorted.push(entry);
  sorted.sort(compareDispatchOrder);
  return splitPending(sorted, completedIds, options);
}

/** Dispatch order of two valid tasks: negative when `a` goes first. Keys are computed once per entry. */
export function compareDispatchOrder(a: ValidQueueEntry, b: ValidQueueEntry): number {
  const x = keyOf(a);
  const y = keyOf(b);
  return y.rank - x.rank || x.age - y.age || compareStrings(x.id, y.id) || compareStrings(a.relativePath, b.relativePath);
}

/**
 * Splits tasks that are already in dispatch order into ready and blocked, keeping the order. Linear, plus
 * a cycle search over just the tasks that wait for another pending task.
 */
export function splitPending(sorted: readonly ValidQueueEntry[], completedIds: IdLookup, options: OrderOptions = {}): PendingOrder {
  const cycles = findCycles(sorted, completedIds);
  const ready: ValidQueueEntry[] = [];
  const blocked: BlockedTask[] = [];
  for (const entry of sorted) {
    const reason = blockReason(entry, completedIds, cycles, options);
    if (reason === undefined) ready.push(entry);
    else blocked.push({ entry, reason });
  }
  return { ready, blocked };
}

/** The first ready task that `eligible` accepts (e.g. one the dispatcher has not just tried), if any. */
export function nextReady(order: PendingOrder, eligible: (entry: ValidQueueEntry) => boolean = () => true): ValidQueueEntry | undefined {
  return order.ready.find(eligible);
}

/** How many ids or files a block reason names before "and N more". */
const maxNamed = 3;

/**
 * One line for the UI: why the task `taskId` waits. Bounded whatever the queue holds: a small cycle is
 * spelled out, a big one is described at its first task and referred to at the others.
 */
export function describeBlockReason(reason: BlockReason, taskId: string): string {
  switch (reason.kind) {
    case 'dependencies':
      return `waits for ${listSome(reason.missing.map(shortCycleId))} to complete`;
    case 'cycle': {
      const { cycle } = reason;
      if (cycle.complete) return `dependency cycle: ${describeCycleWalk(cycle)}`;
      if (taskId === cycle.first) return `dependency cycle of ${String(cycle.size)} tasks: ${describeCycleWalk(cycle)}`;
      return `in the dependency cycle of ${String(cycle.size)} tasks described at ${shortCycleId(cycle.first)}`;
    }
    case 'duplicateId':
      return `the same id is used by ${listSome(reason.files)}`;
  }
}

function listSome(items: readonly string[]): string {
  const shown = items.slice(0, maxNamed).join(', ');
  return items.length > maxNamed ? `${shown} and ${String(items.length - maxNamed)} more` : shown;
}

/** Sort key for age: `created` when it is a valid date, else the file's modification time. */
export function ageOf(entry: ValidQueueEntry): number {
  const created = entry.result.task.created;
  const parsed = created === undefined ? Number.NaN : Date.parse(created);
  return Number.isNaN(parsed) ? entry.mtimeMs : parsed;
}

interface DispatchKey {
  readonly rank: number;
  readonly age: number;
  readonly id: string;
}

// Entries are immutable, so their keys can be remembered for as long as the entry lives.
const dispatchKeys = new WeakMap<ValidQueueEntry, DispatchKey>();

function keyOf(entry: ValidQueueEntry): DispatchKey {
  let key = dispatchKeys.get(entry);
  if (key === undefined) {
    key = { rank: priorityRank(entry.result.task.priority), age: ageOf(entry), id: entry.result.task.id };
    dispatchKeys.set(entry, key);
  }
  return key;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function blockReason(entry: ValidQueueEntry, completedIds: IdLookup, cycles: ReadonlyMap<ValidQueueEntry, CycleSummary>, options: OrderOptions): BlockReason | undefined {
  const duplicates = options.duplicates?.get(entry.file);
  if (duplicates !== undefined && duplicates.length > 0) return { kind: 'duplicateId', files: duplicates };
  const cycle = cycles.get(entry);
  if (cycle !== undefined) return { kind: 'cycle', cycle };
  const { dependsOn } = entry.result.task;
  if (dependsOn.length === 0) return undefined;
  const missing = dependsOn.filter(id => !completedIds.has(id));
  return missing.length > 0 ? { kind: 'dependencies', missing: [...new Set(missing)] } : undefined;
}

/**
 * Tasks in a dependency cycle among pending tasks (Tarjan's strongly connected components, iterative so a
 * long chain cannot overflow the stack): a component of two or more tasks, or a task that depends on
 * itself. A dependency that is complete is satisfied, so it is not an edge. Maps each task in a cycle to
 * its component's summary (one object per cycle), described at its first task in dispatch order.
 */
function findCycles(tasks: readonly ValidQueueEntry[], completedIds: IdLookup): Map<ValidQueueEntry, CycleSummary> {
  // Only a task that waits for something can be in a cycle: the others are not nodes at all.
  const nodes: CycleNode[] = [];
  tasks.forEach((entry, order) => {
    if (entry.result.task.dependsOn.some(id => !completedIds.has(id))) nodes.push({ entry, order, edges: [], index: -1, low: 0, onStack: false });
  });
  const byId = new Map<string, CycleNode[]>();
  for (const node of nodes) {
    const list = byId.get(node.entry.result.task.id);
    if (list === undefined) byId.set(node.entry.result.task.id, [node]);
    else list.push(node);
  }
  for (const node of nodes) {
    for (const id of node.entry.result.task.dependsOn) if (!completedIds.has(id)) node.edges.push(...byId.get(id) ?? []);
  }
  const result = new Map<ValidQueueEntry, CycleSummary>();
  const stack: CycleNode[] = [];
  let counter = 0;
  const visit = (node: CycleNode): void => {
    node.index = node.low = counter++;
    stack.push(node);
    node.onStack = true;
  };
  for (const root of nodes) {
    if (root.index !== -1) continue;
    visit(root);
    // Each frame: a node and how many of its edges have been followed.
    const frames: { node: CycleNode; next: number }[] = [{ node: root, next: 0 }];
    for (let frame = frames.at(-1); frame !== undefined; frame = frames.at(-1)) {
      const { node } = frame;
      const target = node.edges[frame.next];
      if (target !== undefined) {
        frame.next++;
        if (target.index === -1) {
          visit(target);
          frames.push({ node: target, next: 0 });
        } else if (target.onStack) {
          node.low = Math.min(node.low, target.index);
        }
        continue;
      }
      frames.pop();
      const parent = frames.at(-1);
      if (parent !== undefined) parent.node.low = Math.min(parent.node.low, node.low);
      if (node.low !== node.index) continue;
      const component: CycleNode[] = [];
      for (let member = stack.pop(); member !== undefined; member = member === node ? undefined : stack.pop()) {
        member.onStack = false;
        component.push(member);
      }
      if (component.length > 1 || node.edges.includes(node)) {
        component.sort((a, b) => a.order - b.order);
        const ids = [...new Set(component.map(member => member.entry.result.task.id))];
        const dependencies = new Map(component.map(member => [member.entry.result.task.id, member.entry.result.task.dependsOn]));
        const summary = summarizeCycle(dependencies, ids);
        for (const member of component) result.set(member.entry, summary);
      }
    }
  }
  return result;
}

interface CycleNode {
  readonly entry: ValidQueueEntry;
  /** Position in dispatch order. */
  readonly order: number;
  readonly edges: CycleNode[];
  index: number;
  low: number;
  onStack: boolean;
}
