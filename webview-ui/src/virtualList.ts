/**
 * A fixed-row-height virtual scroller: however many rows there are, only those in view plus `overscan`
 * on each side are in the DOM, absolutely positioned inside a spacer as tall as all of them. A row whose
 * object is unchanged keeps its element, so an update that leaves the visible rows alone touches no DOM.
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

export class VirtualList<Row> {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private rows: readonly Row[] = [];
  private readonly rendered = new Map<number, { readonly row: Row; readonly element: HTMLElement }>();
  private frame: number | undefined;

  constructor(private readonly options: VirtualListOptions<Row>) {
    this.element = document.createElement('div');
    this.element.className = 'vlist';
    this.element.dataset['list'] = options.id;
    this.element.setAttribute('role', 'list');
    this.spacer = document.createElement('div');
    this.spacer.className = 'vlist-spacer';
    this.element.append(this.spacer);
    this.element.addEventListener('scroll', () => {
      if (this.frame !== undefined) return;
      this.frame = requestAnimationFrame(() => {
        this.frame = undefined;
        this.update();
        this.options.onScroll(this.element.scrollTop);
      });
    }, { passive: true });
  }

  get rowCount(): number {
    return this.rows.length;
  }

  rowAt(index: number): Row | undefined {
    return this.rows[index];
  }

  setRows(rows: readonly Row[]): void {
    this.rows = rows;
    const total = rows.length * this.options.rowHeight;
    this.spacer.style.height = `${total}px`;
    this.element.style.height = `${Math.min(total, this.options.maxHeight)}px`;
    this.element.hidden = rows.length === 0;
    this.update();
  }

  scrollTo(top: number): void {
    this.element.scrollTop = top;
    this.update();
  }

  /** Calls `visit` for every row in the DOM (e.g. to tick elapsed times). */
  forEachRendered(visit: (row: Row, element: HTMLElement) => void): void {
    for (const { row, element } of this.rendered.values()) visit(row, element);
  }

  private update(): void {
    const { rowHeight, overscan, maxHeight } = this.options;
    const viewport = this.element.clientHeight > 0 ? this.element.clientHeight : maxHeight;
    const first = Math.max(0, Math.floor(this.element.scrollTop / rowHeight) - overscan);
    const last = Math.min(this.rows.length, Math.ceil((this.element.scrollTop + viewport) / rowHeight) + overscan);
    for (const [index, entry] of this.rendered) {
      if (index < first || index >= last || this.rows[index] !== entry.row) {
        entry.element.remove();
        this.rendered.delete(index);
      }
    }
    for (let index = first; index < last; index++) {
      if (this.rendered.has(index)) continue;
      const row = this.rows[index];
      if (row === undefined) continue;
      const element = this.options.renderRow(row, index);
      element.dataset['index'] = String(index);
      element.style.transform = `translateY(${index * rowHeight}px)`;
      element.style.height = `${rowHeight}px`;
      this.spacer.append(element);
      this.rendered.set(index, { row, element });
    }
  }
}
