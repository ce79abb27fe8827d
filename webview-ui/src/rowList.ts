import type { ListRow } from './listModel';
import { sameRow } from './rowReuse';

/**
 * What a virtual list reads of its rows: how many, the one at an index, and where a row is. A plain array
 * is one; `GroupedRowList` is another that builds a row only when it is first asked for.
 */
export interface RowList<Row> {
  readonly length: number;
  at(index: number): Row | undefined;
  indexOf(row: Row): number;
}

/** One group of a grouped list: its header row and the members listed under it (none while collapsed). */
export interface RowGroup<T> {
  readonly header: ListRow;
  readonly members: readonly T[];
}

/**
 * Groups of rows (each a header, then one row per member) whose member rows are built when first asked for:
 * the panel's virtual lists ask only for the rows in view, so 10,000 tasks cost 10,000 references, not
 * 10,000 rows with their actions. A row equal to the row of the same key that `previous` built (same
 * fields, same objects, same actions, as `reuseRows` judges) is that very object, so the virtual list keeps
 * its element. Asking again for an index gives the same object.
 */
export class GroupedRowList<T> implements RowList<ListRow> {
  readonly length: number;
  /** The index of each group's header. */
  private readonly starts: readonly number[];
  private readonly built = new Map<number, ListRow>();
  private readonly indexes = new Map<ListRow, number>();
  /** Every row built so far, by key: what the next list of the same rows reuses. */
  private readonly byKey = new Map<string, ListRow>();
  private readonly previous: ReadonlyMap<string, ListRow> | undefined;

  constructor(
    private readonly groups: readonly RowGroup<T>[],
    private readonly rowOf: (member: T) => ListRow,
    previous?: RowList<ListRow>,
  ) {
    // Only the rows it built, not the list: holding the list would chain every list ever built.
    this.previous = previous instanceof GroupedRowList ? previous.byKey : undefined;
    const starts: number[] = [];
    let length = 0;
    for (const group of groups) {
      starts.push(length);
      length += 1 + group.members.length;
    }
    this.starts = starts;
    this.length = length;
  }

  at(index: number): ListRow | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    const cached = this.built.get(index);
    if (cached !== undefined) return cached;
    let group = 0;
    // A handful of groups: a linear scan is the fastest search.
    while (group + 1 < this.starts.length && (this.starts[group + 1] ?? Infinity) <= index) group++;
    const offset = index - (this.starts[group] ?? 0);
    const member = this.groups[group]?.members[offset - 1];
    const fresh = offset === 0 ? this.groups[group]?.header : member === undefined ? undefined : this.rowOf(member);
    if (fresh === undefined) return undefined;
    const before = this.previous?.get(fresh.key);
    const row = before !== undefined && sameRow(before, fresh) ? before : fresh;
    this.built.set(index, row);
    this.indexes.set(row, index);
    this.byKey.set(row.key, row);
    return row;
  }

  /** The row's index if this list has built it (a row never built is in no element), else -1. */
  indexOf(row: ListRow): number {
    return this.indexes.get(row) ?? -1;
  }
}

/** Every row of a list, built. */
export function allRows<Row>(rows: RowList<Row>): Row[] {
  const all: Row[] = [];
  for (let index = 0; index < rows.length; index++) {
    const row = rows.at(index);
    if (row !== undefined) all.push(row);
  }
  return all;
}
