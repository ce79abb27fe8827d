import type { ListRow, RowAction } from './listModel';

/**
 * `next` with every row that equals the row of the same key in `previous` replaced by that previous
 * object, so the virtual list keeps its element: rebuilding a list after one run changed then re-renders
 * that run's row only. Rows are equal when every field is the same value or the same object (the parts
 * the webview keeps are the very objects of the last update) and their actions say the same. Pure.
 */
export function reuseRows(previous: readonly ListRow[], next: readonly ListRow[]): ListRow[] {
  if (previous.length === 0) return [...next];
  const byKey = new Map<string, ListRow>();
  for (const row of previous) byKey.set(row.key, row);
  return next.map(row => {
    const before = byKey.get(row.key);
    return before !== undefined && sameRow(before, row) ? before : row;
  });
}

/** Rows are equal when every field is the same value or the same object and their actions say the same. */
export function sameRow(a: ListRow, b: ListRow): boolean {
  const left = a as unknown as Readonly<Record<string, unknown>>;
  const right = b as unknown as Readonly<Record<string, unknown>>;
  const keys = Object.keys(right);
  if (keys.length !== Object.keys(left).length) return false;
  return keys.every(key => key === 'actions' ? sameActions(a.kind === 'group' ? [] : a.actions, b.kind === 'group' ? [] : b.actions) : left[key] === right[key]);
}

function sameActions(a: readonly RowAction[], b: readonly RowAction[]): boolean {
  return a.length === b.length && a.every((action, index) => {
    const other = b[index];
    return action.label === other?.label && action.icon === other.icon && action.disabledReason === other.disabledReason
      && sameFields(action.message, other.message);
  });
}

/** Messages of row actions are flat: equal when they have the same fields with the same values. */
function sameFields(a: object | undefined, b: object | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const left = a as Readonly<Record<string, unknown>>;
  const right = b as Readonly<Record<string, unknown>>;
  const keys = Object.keys(right);
  return keys.length === Object.keys(left).length && keys.every(key => left[key] === right[key]);
}
