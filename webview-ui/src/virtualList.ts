/**
 * A fixed-row-height virtual scroller: however many rows there are, only those in view plus `overscan`
 * on each side are in the DOM, absolutely positioned inside a spacer as tall as all of them. A row whose
 * object is unchanged keeps its element, even when it moved (a new run on top shifts every row down), so an
 * update that leaves the visible rows alone touches no DOM but their position.
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
  private rowList: readonly Row[] = [];
  private rendered = new Map<number, { readonly row: Row; readonly element: HTMLElement }>();
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

  /** The rows last set. */
  get rows(): readonly Row[] {
    return this.rowList;
  }

  get rowCount(): number {
    return this.rowList.length;
  }

  rowAt(index: number): Row | undefined {
    return this.rowList[index];
  }

  setRows(rows: readonly Row[]): void {
    this.rowList = rows;
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
    const last = Math.min(this.rowList.length, Math.ceil((this.element.scrollTop + viewport) / rowHeight) + overscan);
    // Elements by the row they show: a row still in range keeps its element, wherever it moved.
    const previous = new Map<Row, HTMLElement>();
    for (const entry of this.rendered.values()) previous.set(entry.row, entry.element);
    const rendered = new Map<number, { readonly row: Row; readonly element: HTMLElement }>();
    for (let index = first; index < last; index++) {
      const row = this.rowList[index];
      if (row === undefined) continue;
      let element = previous.get(row);
      if (element === undefined) {
        element = this.options.renderRow(row, index);
        element.style.height = `${rowHeight}px`;
        this.spacer.append(element);
      } else {
        previous.delete(row);
      }
      if (element.dataset['index'] !== String(index)) {
        element.dataset['index'] = String(index);
        element.style.transform = `translateY(${index * rowHeight}px)`;
      }
      rendered.set(index, { row, element });
    }
    for (const element of previous.values()) element.remove();
    this.rendered = rendered;
  }
}
