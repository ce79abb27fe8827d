import { clipText } from '../util/clipText';

/**
 * The dependency cycles of a task graph (task id → the ids it depends on): every strongly connected
 * component with more than one task, and every task that depends on itself. Each cycle lists its ids
 * sorted; the cycles are sorted by their first id. Edges to ids that are not in the graph are ignored.
 * Tarjan's algorithm, iterative (no recursion limit on long chains), visiting ids in sorted order.
 */
export function findDependencyCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const ids = [...graph.keys()].sort();
  const number = new Map(ids.map((id, n) => [id, n]));
  // Tasks as numbers, their dependencies as sorted, de-duplicated numbers (unknown ids dropped).
  const successors = ids.map(id => {
    const next: number[] = [];
    for (const dependency of graph.get(id) ?? []) {
      const n = number.get(dependency);
      if (n !== undefined && !next.includes(n)) next.push(n);
    }
    return next.length > 1 ? next.sort((a, b) => a - b) : next;
  });
  const unvisited = -1;
  const index = new Int32Array(ids.length).fill(unvisited);
  const low = new Int32Array(ids.length);
  const onStack = new Uint8Array(ids.length);
  const stack: number[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (n: number): void => {
    index[n] = counter;
    low[n] = counter++;
    stack.push(n);
    onStack[n] = 1;
  };
  for (let root = 0; root < ids.length; root++) {
    if (index[root] !== unvisited) continue;
    const work: { node: number; next: number }[] = [{ node: root, next: 0 }];
    visit(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame === undefined) break;
      const node = frame.node;
      const next = successors[node]?.[frame.next];
      if (next !== undefined) {
        frame.next++;
        if (index[next] === unvisited) {
          visit(next);
          work.push({ node: next, next: 0 });
        } else if (onStack[next] === 1) {
          low[node] = Math.min(low[node] ?? 0, index[next] ?? 0);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent.node] = Math.min(low[parent.node] ?? 0, low[node] ?? 0);
      if (low[node] !== index[node]) continue;
      const component: string[] = [];
      for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
        onStack[member] = 0;
        component.push(ids[member] ?? '');
        if (member === node) break;
      }
      if (component.length > 1 || successors[node]?.includes(node) === true) cycles.push(component.sort());
    }
  }
  return cycles.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? '', 'en'));
}

/**
 * The shortest way from `start` back to itself inside `cycle` (a component from {@link findDependencyCycles}),
 * e.g. `['a', 'b', 'c', 'a']`; just `[start]` when there is none.
 */
export function cyclePath(graph: ReadonlyMap<string, readonly string[]>, cycle: readonly string[], start: string): string[] {
  const members = new Set(cycle);
  const cameFrom = new Map<string, string>();
  const queue = [start];
  // The queue grows while it is walked: an array iterator sees the new items.
  for (const current of queue) {
    for (const next of [...(graph.get(current) ?? [])].sort()) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at: string | undefined = current; at !== undefined && at !== start; at = cameFrom.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (cameFrom.has(next)) continue;
      cameFrom.set(next, current);
      queue.push(next);
    }
  }
  return [start];
}

/** At most this many task ids describe a cycle; a bigger cycle is described by its first steps and its size. */
export const maxCycleIdsShown = 6;
/** Ids longer than this are cut where a cycle is described. */
export const maxCycleIdLength = 60;

/**
 * One dependency cycle, summed up once for all its tasks: however many tasks it holds, its description
 * is bounded (a 10,000-task cycle must not be spelled out 10,000 times).
 */
export interface CycleSummary {
  /** How many tasks are in the cycle. */
  readonly size: number;
  /** The task the cycle is described at (its first, in the order the caller gave). */
  readonly first: string;
  /**
   * Ids along the dependencies from `first`: the shortest loop back to it (`[a, b, a]`) when the cycle has
   * at most {@link maxCycleIdsShown} tasks, else its first {@link maxCycleIdsShown} steps.
   */
  readonly walk: readonly string[];
  /** Whether `walk` is the whole loop. */
  readonly complete: boolean;
}

/**
 * Sums up a cycle (`members`, the first one where it is described) of `graph`. Small cycles get their
 * shortest loop; a big one a walk of bounded length along dependencies that stay inside it. Linear in the
 * steps shown, not in the cycle's size.
 */
export function summarizeCycle(graph: { get(id: string): readonly string[] | undefined }, members: readonly string[]): CycleSummary {
  const first = members[0] ?? '';
  if (members.length <= maxCycleIdsShown) {
    const loop = cyclePath(new Map(members.map(id => [id, graph.get(id) ?? []])), members, first);
    return { size: members.length, first, walk: loop, complete: loop.length > 1 };
  }
  const inCycle = new Set(members);
  const walk = [first];
  const seen = new Set(walk);
  for (let at = first; walk.length < maxCycleIdsShown;) {
    const next = [...(graph.get(at) ?? [])].sort().find(id => inCycle.has(id) && !seen.has(id));
    if (next === undefined) break;
    walk.push(next);
    seen.add(next);
    at = next;
  }
  return { size: members.length, first, walk, complete: false };
}

/** `a → b → c → a`, or `a → b → … → f → …` for a walk that does not close the loop; long ids cut. */
export function describeCycleWalk(summary: CycleSummary): string {
  const steps = summary.walk.map(shortCycleId).join(' → ');
  return summary.complete ? steps : `${steps} → …`;
}

export function shortCycleId(id: string): string {
  return clipText(id, maxCycleIdLength);
}
