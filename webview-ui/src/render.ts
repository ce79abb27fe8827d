import { panelProtocolVersion, parseToHostMessage, type PanelDispatchOutcome, type PanelPart, type PanelPreview, type PanelSnapshot, type PanelUpdate, type ToHostMessage } from '../../src/shared/protocol';
import { element } from './dom';
import { emptyLoopListText } from './emptyListText';
import { FleetView } from './fleetView';
import type { HostApi } from './hostApi';
import { buildFollowedPullRequestRows, buildNeedsYouRows, buildRedPullRequestRows, queueRows, runRowDetail, runRows, type ListRow } from './listModel';
import { LoopView } from './loopView';
import { queueSourceText } from '../../src/shared/queueSourceText';
import { buildPanelModel, type PanelButton } from './panelModel';
import { isPlanRow, PlanCards } from './needsYouView';
import { buildCareCards } from './careModel';
import { CareCards } from './careView';
import { applyPanelUpdate } from './panelParts';
import type { RowList } from './rowList';
import { reuseRows } from './rowReuse';
import { renderListRow } from './listRowView';
import { renderHeader, renderSection } from './sectionView';
import { reduceUiState, type SortOrder, type UiEvent, type UiState } from './uiState';
import { VirtualList } from './virtualList';

const rowHeight = 22;
type ListId = 'needsYou' | 'redPrs' | 'followedPrs' | 'queue' | 'runs';
const listIds: readonly ListId[] = ['needsYou', 'redPrs', 'followedPrs', 'queue', 'runs'];

/** Anything the panel can post: a row action, a section button or a loop button. */
interface Postable {
  readonly message: ToHostMessage | undefined;
  readonly disabledReason: string | undefined;
}

/**
 * The panel's DOM. Built once; each update re-renders the sections whose parts changed and hands new rows
 * to the virtual lists whose inputs changed (rows that did not change keep their objects and elements). Every piece of text goes through `textContent`, never HTML, so a task title or
 * an issue comment can never inject markup or script.
 */
export class PanelView {
  private readonly header = element('header', 'panel-header');
  private readonly notice = element('div', 'panel-notice');
  private readonly top = element('div', 'panel-top');
  private readonly footer = element('div', 'panel-footer');
  private readonly empty: Readonly<Record<ListId, HTMLElement>> = { needsYou: element('p', 'muted empty'), redPrs: element('p', 'muted empty'), followedPrs: element('p', 'muted empty'), queue: element('p', 'muted empty'), runs: element('p', 'muted empty') };
  private readonly counts: Readonly<Record<ListId, HTMLElement>> = { needsYou: element('span', 'count'), redPrs: element('span', 'count'), followedPrs: element('span', 'count'), queue: element('span', 'count'), runs: element('span', 'count') };
  private readonly lists: Readonly<Record<ListId, VirtualList<ListRow>>>;
  private readonly loop: LoopView;
  private readonly queueSource = element('p', 'queue-source muted');
  /** The sections of the lists only a GitHub loop fills. */
  private readonly loopSections: Readonly<Record<'redPrs' | 'followedPrs', HTMLElement>>;
  private readonly fleet: FleetView;
  /** Jules plans awaiting approval: cards under the Needs you list, not its fixed-height rows. */
  private readonly plans: PlanCards;
  /** PRs under the maintenance track's care: cards above the Red PRs list's rows. */
  private readonly care: CareCards;
  /** What the care cards were last rendered from (by identity). */
  private careInputs: readonly unknown[] = [];
  /** The Needs you rows last split into plan cards and list rows (the split is redone only when they change). */
  private needsYouSplit: { readonly source: readonly ListRow[]; readonly listed: readonly ListRow[] } | undefined;
  /** Pending task ids picked for "Dispatch selected"; kept across snapshots while the tasks stay pending. */
  private readonly selected = new Set<string>();
  private selectionVersion = 0;
  private snapshot: PanelSnapshot | undefined;
  /** Each list's rows and what they were built from (parts and UI state, by identity): rebuilt only when one of those changed. */
  private readonly listMemo = new Map<ListId, { readonly inputs: readonly unknown[]; readonly rows: RowList<ListRow> }>();
  /** The panel's own layout, put back after a protocol mismatch replaced it. */
  private readonly layout: readonly HTMLElement[];

  constructor(
    private readonly root: HTMLElement,
    private readonly host: HostApi,
    private ui: UiState,
    private readonly saveUi: (state: UiState) => void,
    private readonly now: () => number = Date.now,
  ) {
    const list = (id: ListId, maxHeight: number): VirtualList<ListRow> => new VirtualList<ListRow>({
      id,
      rowHeight,
      maxHeight,
      overscan: 8,
      renderRow: row => renderListRow(row, this.now()),
      onScroll: top => { this.dispatch({ kind: 'scroll', list: id, top }); },
    });
    this.lists = { needsYou: list('needsYou', 176), redPrs: list('redPrs', 176), followedPrs: list('followedPrs', 264), queue: list('queue', 352), runs: list('runs', 264) };
    this.loop = new LoopView(action => { this.post(action); }, now);
    this.plans = new PlanCards(action => { this.post(action); });
    this.care = new CareCards(action => { this.post(action); });
    this.fleet = new FleetView(action => { this.post(action); }, {
      ids: () => [...this.selected],
      clear: () => { this.changeSelection(() => { this.selected.clear(); }); },
    });
    for (const virtual of Object.values(this.lists)) virtual.element.addEventListener('click', event => { this.onListClick(virtual, event); });

    const toolbar = element('div', 'toolbar');
    const filter = document.createElement('vscode-textfield');
    filter.setAttribute('placeholder', 'Filter tasks and runs');
    filter.setAttribute('aria-label', 'Filter tasks and runs');
    filter.dataset['control'] = 'filter';
    filter.value = this.ui.filter;
    filter.addEventListener('input', () => { this.dispatch({ kind: 'filter', text: filter.value }); });
    const sort = document.createElement('vscode-single-select');
    sort.setAttribute('aria-label', 'Sort');
    sort.dataset['control'] = 'sort';
    for (const [value, label] of [['activity', 'Last activity'], ['order', 'Queue order']] as const) {
      const option = document.createElement('vscode-option');
      option.setAttribute('value', value);
      option.textContent = label;
      if (value === this.ui.sort) option.setAttribute('selected', '');
      sort.append(option);
    }
    sort.addEventListener('change', () => { this.dispatch({ kind: 'sort', sort: sort.value === 'order' ? 'order' : 'activity' satisfies SortOrder }); });
    toolbar.append(filter, sort);

    const listSection = (id: ListId, title: string): HTMLElement => section(id, title, this.counts[id], this.empty[id], this.lists[id].element);
    const needsYou = listSection('needsYou', 'Needs you');
    needsYou.append(this.plans.element);
    const redPrs = listSection('redPrs', 'Red PRs');
    // The PRs ATO works on first; red PRs it may not act on follow as one-line rows.
    this.lists.redPrs.element.before(this.care.element);
    this.loopSections = { redPrs, followedPrs: listSection('followedPrs', 'Pull requests the loop follows') };
    this.layout = [
      this.header,
      this.notice,
      this.loop.element,
      needsYou,
      this.loopSections.redPrs,
      this.loopSections.followedPrs,
      this.top,
      toolbar,
      this.fleet.fanOut,
      this.queueSection(listSection('queue', 'Queue')),
      this.fleet.preview,
      listSection('runs', 'Runs'),
      this.fleet.agents,
      this.footer,
    ];
    root.replaceChildren(...this.layout);
  }

  /**
   * Applies an update from the host and renders the sections whose parts came (all of them for a full
   * one). False when the update cannot be applied (a partial one with nothing to apply it to, a run the
   * panel does not know): nothing changed, and the caller asks the host to start over.
   */
  update(update: PanelUpdate): boolean {
    const applied = applyPanelUpdate(this.snapshot, update);
    if (!applied.ok) return false;
    if (this.root.firstElementChild !== this.header) this.root.replaceChildren(...this.layout);
    this.render(applied.snapshot, applied.changed, update.full);
    return true;
  }

  /** The host speaks another protocol version: say so, and how to fix it, instead of a blank or stale panel. */
  showProtocolMismatch(version: unknown): void {
    const notice = element('section', 'panel-section');
    notice.dataset['section'] = 'protocolMismatch';
    const heading = element('h3', 'section-title');
    heading.textContent = 'ATO was updated';
    const detail = element('p', 'tone-warning');
    detail.textContent = `This panel and the running extension speak different versions of the panel protocol (panel ${String(panelProtocolVersion)}, extension ${typeof version === 'number' ? String(version) : 'unknown'}). Run "Developer: Reload Window" to load the panel that matches.`;
    notice.append(heading, detail);
    this.root.replaceChildren(notice);
  }

  private render(snapshot: PanelSnapshot, changed: ReadonlySet<PanelPart>, full: boolean): void {
    this.snapshot = snapshot;
    const head = changed.has('head');
    if (head || changed.has('queue')) {
      // A task that left pending/ (or became invalid) leaves the selection (nothing to look up when nothing is selected).
      if (this.selected.size > 0) {
        const pending = new Set((snapshot.queue?.items ?? []).filter(task => task.valid && task.folder === 'pending').map(task => task.id));
        const before = this.selected.size;
        for (const id of this.selected) if (!pending.has(id) || !snapshot.trusted) this.selected.delete(id);
        if (this.selected.size !== before) this.selectionVersion++;
      }
      const model = buildPanelModel(snapshot);
      const post = (button: PanelButton): void => { this.post(button); };
      renderHeader(this.header, model);
      this.notice.replaceChildren(...(model.notice === undefined ? [] : [renderSection(model.notice, post)]));
      this.top.replaceChildren(...model.sections.map(s => renderSection(s, post)));
      this.footer.replaceChildren(...model.footer.map(s => renderSection(s, post)));
    }
    if (head || changed.has('loop')) this.loop.render(snapshot);
    if (head || changed.has('agents')) this.fleet.render(snapshot);
    else if (changed.has('queue')) this.fleet.renderSelection();
    this.renderLists(full);
  }

  /** What became of each task of "Dispatch selected"; the selection is done with. */
  showDispatchResult(outcomes: readonly PanelDispatchOutcome[]): void {
    this.fleet.showOutcomes(outcomes);
    this.changeSelection(() => { this.selected.clear(); });
  }

  showPreview(preview: PanelPreview): void {
    this.fleet.showPreview(preview);
  }

  private changeSelection(change: () => void): void {
    change();
    this.selectionVersion++;
    this.fleet.renderSelection();
    this.renderLists(false);
  }

  /** Re-renders the elapsed times of the visible active runs. */
  tick(): void {
    this.loop.tick();
    const now = this.now();
    this.lists.runs.forEachRendered((row, node) => {
      if (row.kind !== 'run' || row.run.endedAt !== null) return;
      const detail = node.querySelector('.row-detail');
      if (detail !== null) detail.textContent = runRowDetail(row, now);
    });
  }

  private dispatch(event: UiEvent): void {
    const next = reduceUiState(this.ui, event);
    if (next === this.ui) return;
    this.ui = next;
    this.saveUi(next);
    if (event.kind !== 'scroll') this.renderLists(false);
  }

  private renderLists(restoreScroll: boolean): void {
    const snapshot = this.snapshot;
    if (snapshot === undefined) return;
    const ui = this.ui;
    const shared = [snapshot.trusted, ui.filter, ui.sort, ui.collapsed];
    // Jules plans are cards under the list (they need their height); the list keeps the other items.
    const needsYou = this.rowsOf('needsYou', [snapshot.needsYou, ...shared], eager(() => buildNeedsYouRows(snapshot, ui)));
    const split = this.needsYouSplit?.source === needsYou ? this.needsYouSplit : { source: needsYou, listed: needsYou.filter(row => !isPlanRow(row)) };
    if (split !== this.needsYouSplit) {
      this.needsYouSplit = split;
      this.plans.render(needsYou.filter(isPlanRow));
    }
    // The queue and the runs build a row only when it is shown (thousands of tasks, a screenful of rows).
    const rows: Readonly<Record<ListId, RowList<ListRow>>> = {
      needsYou: split.listed,
      redPrs: this.rowsOf('redPrs', [snapshot.loop, ...shared], eager(() => buildRedPullRequestRows(snapshot, ui))),
      followedPrs: this.rowsOf('followedPrs', [snapshot.loop, ...shared], eager(() => buildFollowedPullRequestRows(snapshot, ui))),
      queue: this.rowsOf('queue', [snapshot.queue, this.selectionVersion, ...shared], previous => queueRows(snapshot, ui, this.selected, previous)),
      // A run's Requeue depends on its task waiting in processed/.
      runs: this.rowsOf('runs', [snapshot.runs, snapshot.queue, ...shared], previous => runRows(snapshot, ui, previous)),
    };
    for (const id of listIds) {
      if (this.lists[id].rows !== rows[id]) this.lists[id].setRows(rows[id]);
      if (restoreScroll) this.lists[id].scrollTo(this.ui.scroll[id] ?? 0);
    }
    // Rebuilt when the loop, the trust or the filter changed (its times are "5m ago": a tick's update refreshes them).
    const careInputs = [snapshot.loop, snapshot.trusted, ui.filter];
    if (careInputs.some((input, index) => input !== this.careInputs[index])) {
      this.careInputs = careInputs;
      this.care.render(buildCareCards(snapshot, ui, this.now()));
    }
    const shownCards = this.care.element.childElementCount;
    const filtered = (id: ListId): string => rows[id].length === 0 && (id !== 'redPrs' || shownCards === 0) ? 'Nothing matches the filter.' : '';
    const red = snapshot.loop.redPullRequests.length;
    this.counts.needsYou.textContent = String(snapshot.needsYou.length);
    this.empty.needsYou.textContent = snapshot.needsYou.length === 0 ? emptyLoopListText(snapshot, 'needsYou') : needsYou.length === 0 ? 'Nothing matches the filter.' : '';
    this.counts.redPrs.textContent = String(red);
    this.empty.redPrs.textContent = red > 0 ? filtered('redPrs') : emptyLoopListText(snapshot, 'redPrs');
    const followed = snapshot.loop.followedPullRequests.length;
    this.counts.followedPrs.textContent = String(followed);
    this.empty.followedPrs.textContent = followed > 0 ? filtered('followedPrs') : emptyLoopListText(snapshot, 'followedPrs');
    // Without a GitHub loop there are no pull requests: local mode leads with the queue, runs and agents (issue 14).
    // In Restricted Mode they stay, saying what Restricted Mode hides.
    const noLoop = snapshot.trusted && snapshot.loop.mode !== 'github';
    this.loopSections.redPrs.hidden = noLoop && red === 0;
    this.loopSections.followedPrs.hidden = noLoop && followed === 0;
    this.counts.queue.textContent = snapshot.queue === null ? '' : String(snapshot.queue.items.length);
    this.empty.queue.textContent = snapshot.queue === null
      ? 'The queue appears here once ATO has read the planning folder.'
      : snapshot.queue.items.length === 0 ? 'No task files yet: add one with New Task or drop a .task.md file into issue_queue/pending.' : filtered('queue');
    const source = snapshot.queue?.source;
    this.queueSource.textContent = source === undefined ? '' : queueSourceText(source);
    this.queueSource.hidden = source === undefined;
    this.counts.runs.textContent = String(snapshot.runs.length);
    this.empty.runs.textContent = snapshot.runs.length === 0 ? 'No runs yet: dispatch a pending task to start one.' : filtered('runs');
    for (const empty of Object.values(this.empty)) empty.hidden = empty.textContent === '';
  }

  /** The Queue section, with the line that says where its tasks were read (GitHub mode: the loop's planning branch). */
  private queueSection(container: HTMLElement): HTMLElement {
    this.queueSource.dataset['queuePart'] = 'source';
    this.queueSource.hidden = true;
    container.querySelector('.section-title')?.after(this.queueSource);
    return container;
  }

  /** The list's rows, built again only when one of `inputs` is not what they were built from (`build` gets the rows before, to reuse). */
  private rowsOf<Rows extends RowList<ListRow>>(id: ListId, inputs: readonly unknown[], build: (previous: RowList<ListRow> | undefined) => Rows): Rows {
    const memo = this.listMemo.get(id);
    if (memo?.inputs.length === inputs.length && memo.inputs.every((input, index) => input === inputs[index])) return memo.rows as Rows;
    const rows = build(memo?.rows);
    this.listMemo.set(id, { inputs, rows });
    return rows;
  }

  private onListClick(list: VirtualList<ListRow>, event: Event): void {
    if (!(event.target instanceof Element)) return;
    const rowElement = event.target.closest<HTMLElement>('[data-index]');
    const row = list.rowAt(Number(rowElement?.dataset['index'] ?? Number.NaN));
    if (row === undefined) return;
    if (row.kind === 'group') {
      this.dispatch({ kind: 'toggleGroup', group: row.group });
      return;
    }
    if (row.kind === 'task' && row.selectable && event.target.closest('[data-select]') !== null) {
      const id = row.task.id;
      this.changeSelection(() => { if (!this.selected.delete(id)) this.selected.add(id); });
      return;
    }
    const button = event.target.closest<HTMLElement>('[data-act]');
    const action = row.actions[Number(button?.dataset['act'] ?? Number.NaN)];
    if (action !== undefined) this.post(action);
  }

  private post(action: Postable): void {
    if (action.message === undefined || action.disabledReason !== undefined) return;
    // The same validation the host applies: never post what it would reject.
    const parsed = parseToHostMessage(action.message);
    if (parsed.ok) this.host.post(parsed.message);
  }
}

/** A list built whole; rows equal to the previous ones (by key) are those objects. */
function eager(build: () => ListRow[]): (previous: RowList<ListRow> | undefined) => ListRow[] {
  return previous => reuseRows(Array.isArray(previous) ? previous as readonly ListRow[] : [], build());
}

function section(id: string, title: string, count: HTMLElement, empty: HTMLElement, list: HTMLElement): HTMLElement {
  const container = element('section', 'panel-section');
  container.dataset['section'] = id;
  const heading = element('h3', 'section-title');
  heading.textContent = title;
  heading.append(count);
  container.append(heading, empty, list);
  return container;
}
