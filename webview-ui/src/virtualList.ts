import type { RowList } from './rowList';

/**
 * A fixed-row-height virtual scroller: however many rows there are, only those in view plus `overscan`
 * on each side are in the DOM, absolutely positioned inside a spacer as tall as all of them. A row whose
 * object is unchanged keeps its element, even when it moved (a new run on top shifts every row down), so an
 * update that leaves the visible rows alone touches no DOM but their position.
 *
 * It never reads layout while it renders: the viewport's height is the one it sets, and the scroll position
 * the one it last set or saw in a scroll event. Reading `clientHeight` or `scrollTop` (or writing
 * `scrollTop`) after DOM writes forces a synchronous layout of the whole page; with five lists that was five
 * to ten layouts in one update. A scroll position to restore is written in the next animation frame, where
 * the browser lays out anyway, and the rows for it are rendered at once.
 *
 * Each row is a `listitem` of the `list` with `aria-setsize` and `aria-posinset`, so a screen reader says
 * "12 of 10,000" although only a few rows exist. A row holding the focus stays rendered while it is
 * scrolled out of view, so keyboard focus is never dropped to the page.
 */
export interface VirtualListOptions<Row> {
  readonly id: string;
  readonly rowHeight: number;
  /** The scroller grows with its rows up to this height, then scrolls. */
  readonly maxHeight: number;
  readonly overscan: number;
  readonly renderRow: (row: Row, index: number) => HTMLElement;
  readonly onScroll: (top: number) => void;
}

interface Rendered<Row> {
  readonly row: Row;
  readonly element: HTMLElement;
}

export class VirtualList<Row> {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private rowList: RowList<Row> = [];
  private rendered = new Map<number, Rendered<Row>>();
  private frame: number | undefined;
  /** The scroll position the rows are rendered for: the last one set or seen in a scroll event. */
  private top = 0;
  /** A scroll position to write in the next frame (see the class comment). */
  private pendingTop: number | undefined;
  private pendingFrame: number | undefined;

  constructor(private readonly options: VirtualListOptions<Row>) {
    this.element = document.createElement('div');
    this.element.className = 'vlist';
    this.element.dataset['list'] = options.id;
    this.element.setAttribute('role', 'list');
    this.spacer = document.createElement('div');
    this.spacer.className = 'vlist-spacer';
    this.spacer.setAttribute('role', 'none');
    this.element.append(this.spacer);
    this.element.addEventListener('scroll', () => {
      if (this.frame !== undefined) return;
      this.frame = requestAnimationFrame(() => {
        this.frame = undefined;
        // In a frame, after the scroll: layout is current, reading it costs nothing.
        this.top = this.element.scrollTop;
        this.update();
        this.options.onScroll(this.top);
      });
    }, { passive: true });
  }

  /** The rows last set. */
  get rows(): RowList<Row> {
    return this.rowList;
  }

  get rowCount(): number {
    return this.rowList.length;
  }

  rowAt(index: number): Row | undefined {
    return this.rowList.at(index);
  }

  /** The rows to show: an array, or a list that builds a row when first asked for (only those in view are). */
  setRows(rows: RowList<Row>): void {
    this.rowList = rows;
    const total = rows.length * this.options.rowHeight;
    this.spacer.style.height = `${total}px`;
    this.element.style.height = `${this.viewportHeight()}px`;
    this.element.hidden = rows.length === 0;
    // The browser clamps the scroll position to the new height; so do the rows.
    this.top = this.clamp(this.top);
    this.update();
  }

  /** Scrolls to `top` (clamped to the rows): the rows for it now, the scroller itself in the next frame. */
  scrollTo(top: number): void {
    const clamped = this.clamp(top);
    if (clamped === this.top && this.pendingTop === undefined) return;
    this.top = clamped;
    this.pendingTop = clamped;
    this.pendingFrame ??= requestAnimationFrame(() => {
      this.pendingFrame = undefined;
      const pending = this.pendingTop;
      this.pendingTop = undefined;
      if (pending !== undefined) this.element.scrollTop = pending;
    });
    this.update();
  }

  /** Calls `visit` for every row in the DOM (e.g. to tick elapsed times). */
  forEachRendered(visit: (row: Row, element: HTMLElement) => void): void {
    for (const { row, element } of this.rendered.values()) visit(row, element);
  }

  private viewportHeight(): number {
    return Math.min(this.rowList.length * this.options.rowHeight, this.options.maxHeight);
  }

  private clamp(top: number): number {
    const max = Math.max(0, this.rowList.length * this.options.rowHeight - this.viewportHeight());
    return Number.isFinite(top) ? Math.min(Math.max(0, top), max) : 0;
  }

  private update(): void {
    const { rowHeight, overscan } = this.options;
    const count = this.rowList.length;
    const first = Math.max(0, Math.floor(this.top / rowHeight) - overscan);
    const last = Math.min(count, Math.ceil((this.top + this.viewportHeight()) / rowHeight) + overscan);
    // Elements by the row they show: a row still in range keeps its element, wherever it moved.
    const previous = new Map<Row, HTMLElement>();
    for (const entry of this.rendered.values()) previous.set(entry.row, entry.element);
    const rendered = new Map<number, Rendered<Row>>();
    const size = String(count);
    for (let index = first; index < last; index++) {
      const row = this.rowList.at(index);
      if (row === undefined) continue;
      rendered.set(index, { row, element: this.place(row, index, previous, size) });
    }
    this.keepFocusedRow(previous, rendered, size);
    for (const element of previous.values()) element.remove();
    this.rendered = rendered;
  }

  /** The row's element at `index`: the one it had (taken out of `previous`) or a new one. */
  private place(row: Row, index: number, previous: Map<Row, HTMLElement>, size: string): HTMLElement {
    let element = previous.get(row);
    if (element === undefined) {
      element = this.options.renderRow(row, index);
      element.style.height = `${this.options.rowHeight}px`;
      this.spacer.append(element);
    } else {
      previous.delete(row);
    }
    const position = String(index + 1);
    if (element.getAttribute('aria-posinset') !== position) {
      element.dataset['index'] = String(index);
      element.setAttribute('aria-posinset', position);
      element.style.transform = `translateY(${index * this.options.rowHeight}px)`;
    }
    if (element.getAttribute('aria-setsize') !== size) element.setAttribute('aria-setsize', size);
    return element;
  }

  /** A row out of range that holds the focus stays (where its row now is), unless its row is gone. */
  private keepFocusedRow(previous: Map<Row, HTMLElement>, rendered: Map<number, Rendered<Row>>, size: string): void {
    const active = document.activeElement;
    if (active === null || !this.spacer.contains(active)) return;
    for (const [row, element] of previous) {
      if (!element.contains(active)) continue;
      const index = this.rowList.indexOf(row);
      if (index >= 0 && !rendered.has(index)) rendered.set(index, { row, element: this.place(row, index, previous, size) });
      return;
    }
  }
}
