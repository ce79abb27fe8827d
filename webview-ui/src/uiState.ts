/**
 * What the panel remembers across hide/show (through the webview API's getState/setState, nothing else):
 * the filter text, the sort order, which groups are collapsed and where each list was scrolled. Pure.
 */
export type SortOrder = 'activity' | 'order';

export interface UiState {
  readonly filter: string;
  readonly sort: SortOrder;
  /** Group keys, e.g. `queue:complete` or `runs:succeeded`. */
  readonly collapsed: readonly string[];
  /** Scroll offset in pixels per list id. */
  readonly scroll: Readonly<Record<string, number>>;
}

export const initialUiState: UiState = { filter: '', sort: 'activity', collapsed: ['queue:complete', 'runs:succeeded', 'runs:cancelled'], scroll: {} };

export type UiEvent =
  | { readonly kind: 'filter'; readonly text: string }
  | { readonly kind: 'sort'; readonly sort: SortOrder }
  | { readonly kind: 'toggleGroup'; readonly group: string }
  | { readonly kind: 'scroll'; readonly list: string; readonly top: number };

export function reduceUiState(state: UiState, event: UiEvent): UiState {
  switch (event.kind) {
    case 'filter':
      return event.text === state.filter ? state : { ...state, filter: event.text.slice(0, 200) };
    case 'sort':
      return event.sort === state.sort ? state : { ...state, sort: event.sort };
    case 'toggleGroup':
      return { ...state, collapsed: state.collapsed.includes(event.group) ? state.collapsed.filter(group => group !== event.group) : [...state.collapsed, event.group] };
    case 'scroll': {
      const top = Math.max(0, Math.round(event.top));
      return state.scroll[event.list] === top ? state : { ...state, scroll: { ...state.scroll, [event.list]: top } };
    }
  }
}

/** Reads what getState returned; anything unexpected (an older shape, a tampered value) falls back to defaults. */
export function parseUiState(raw: unknown): UiState {
  if (typeof raw !== 'object' || raw === null) return initialUiState;
  const value = raw as Record<string, unknown>;
  const filter = typeof value['filter'] === 'string' ? value['filter'].slice(0, 200) : initialUiState.filter;
  const sort = value['sort'] === 'order' || value['sort'] === 'activity' ? value['sort'] : initialUiState.sort;
  const collapsedRaw = value['collapsed'];
  const collapsed = Array.isArray(collapsedRaw) ? collapsedRaw.filter((group): group is string => typeof group === 'string').slice(0, 50) : initialUiState.collapsed;
  const scroll: Record<string, number> = {};
  const scrollRaw = value['scroll'];
  if (typeof scrollRaw === 'object' && scrollRaw !== null) {
    for (const [list, top] of Object.entries(scrollRaw as Record<string, unknown>)) {
      if (['needsYou', 'redPrs', 'followedPrs', 'queue', 'runs'].includes(list) && typeof top === 'number' && Number.isFinite(top) && top >= 0) scroll[list] = top;
    }
  }
  return { filter, sort, collapsed, scroll };
}
