import { parseToHostMessage, type NeedsYouItem, type PanelDispatchOutcome, type PanelPreview, type PanelSnapshot, type ToHostMessage } from '../../src/shared/protocol';
import { element, icon, text } from './dom';
import { FleetView } from './fleetView';
import type { HostApi } from './hostApi';
import { buildFollowedPullRequestRows, buildNeedsYouRows, buildQueueRows, buildRedPullRequestRows, buildRunRows, runDetail, type ListRow } from './listModel';
import { LoopView } from './loopView';
import { isPlanRow, PlanCards } from './needsYouView';
import { buildPanelModel, type PanelModel, type PanelRow, type PanelSection } from './panelModel';
import { reduceUiState, type SortOrder, type UiEvent, type UiState } from './uiState';
import { VirtualList } from './virtualList';

const rowHeight = 22;
type ListId = 'needsYou' | 'redPrs' | 'followedPrs' | 'queue' | 'runs';
const listIds: readonly ListId[] = ['needsYou', 'redPrs', 'followedPrs', 'queue', 'runs'];

const needsYouIcons: Readonly<Record<NeedsYouItem['kind'], string>> = {
  invalidTask: 'error',
  runFailed: 'error',
  runNeedsYou: 'bell',
  corruptRunRecord: 'file-binary',
  readyToMerge: 'git-merge',
  workflowsAwaitingApproval: 'workflow',
  issueClosedOutsideLoop: 'issue-closed',
  fixAttemptsExhausted: 'debug-disconnect',
  mergeBlocked: 'shield',
  planAwaitingApproval: 'checklist',
};

/** Anything the panel can post: a row action, a section button or a loop button. */
interface Postable {
  readonly message: ToHostMessage | undefined;
  readonly disabledReason: string | undefined;
}

/**
 * The panel's DOM. Built once; each snapshot re-renders the small static sections and hands new rows to
 * the three virtual lists. Every piece of text goes through `textContent`, never HTML, so a task title or
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
  private readonly fleet: FleetView;
  /** Jules plans awaiting approval: cards under the Needs you list, not its fixed-height rows. */
  private readonly plans: PlanCards;
  /** Pending task ids picked for "Dispatch selected"; kept across snapshots while the tasks stay pending. */
  private readonly selected = new Set<string>();
  private selectionVersion = 0;
  private snapshot: PanelSnapshot | undefined;
  /** Queue rows depend only on the queue revision, trust and the UI state: reused while those stay. */
  private queueMemo: { readonly key: string; readonly rows: readonly ListRow[] } | undefined;

  constructor(
    root: HTMLElement,
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
      renderRow: row => this.renderRow(row),
      onScroll: top => { this.dispatch({ kind: 'scroll', list: id, top }); },
    });
    this.lists = { needsYou: list('needsYou', 176), redPrs: list('redPrs', 176), followedPrs: list('followedPrs', 264), queue: list('queue', 352), runs: list('runs', 264) };
    this.loop = new LoopView(action => { this.post(action); }, now);
    this.plans = new PlanCards(action => { this.post(action); });
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
    root.replaceChildren(
      this.header,
      this.notice,
      this.loop.element,
      needsYou,
      listSection('redPrs', 'Red PRs'),
      listSection('followedPrs', 'Pull requests the loop follows'),
      this.top,
      toolbar,
      this.fleet.fanOut,
      listSection('queue', 'Queue'),
      this.fleet.preview,
      listSection('runs', 'Runs'),
      this.fleet.agents,
      this.footer,
    );
  }

  /** Renders a new snapshot (the host only sends full ones). */
  render(snapshot: PanelSnapshot): void {
    this.snapshot = snapshot;
    // A task that left pending/ (or became invalid) leaves the selection.
    const pending = new Set((snapshot.queue?.items ?? []).filter(task => task.valid && task.folder === 'pending').map(task => task.id));
    for (const id of this.selected) if (!pending.has(id) || !snapshot.trusted) this.selected.delete(id);
    const model = buildPanelModel(snapshot);
    this.renderHeader(model);
    this.notice.replaceChildren(...(model.notice === undefined ? [] : [this.renderSection(model.notice)]));
    this.loop.render(snapshot);
    this.top.replaceChildren(...model.sections.map(s => this.renderSection(s)));
    this.footer.replaceChildren(...model.footer.map(s => this.renderSection(s)));
    this.fleet.render(snapshot);
    this.renderLists(true);
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
      if (detail !== null) detail.textContent = runDetail(row.run, now);
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
    const queueKey = JSON.stringify([snapshot.queue?.revision ?? -1, snapshot.queue?.items.length ?? -1, snapshot.trusted, this.ui.filter, this.ui.sort, this.ui.collapsed, this.selectionVersion]);
    let queueRows = this.queueMemo?.key === queueKey ? this.queueMemo.rows : undefined;
    if (queueRows === undefined) {
      queueRows = buildQueueRows(snapshot, this.ui, this.selected);
      this.queueMemo = { key: queueKey, rows: queueRows };
    }
    const needsYou = buildNeedsYouRows(snapshot, this.ui);
    this.plans.render(needsYou.filter(isPlanRow));
    const rows: Readonly<Record<ListId, readonly ListRow[]>> = { needsYou: needsYou.filter(row => !isPlanRow(row)), redPrs: buildRedPullRequestRows(snapshot, this.ui), followedPrs: buildFollowedPullRequestRows(snapshot, this.ui), queue: queueRows, runs: buildRunRows(snapshot, this.ui) };
    for (const id of listIds) {
      this.lists[id].setRows(rows[id]);
      if (restoreScroll) this.lists[id].scrollTo(this.ui.scroll[id] ?? 0);
    }
    const filtered = (id: ListId): string => rows[id].length === 0 ? 'Nothing matches the filter.' : '';
    const red = snapshot.loop.redPullRequests.length;
    this.counts.needsYou.textContent = String(snapshot.needsYou.length);
    this.empty.needsYou.textContent = snapshot.needsYou.length === 0 ? 'Nothing needs you.' : needsYou.length === 0 ? 'Nothing matches the filter.' : '';
    this.counts.redPrs.textContent = String(red);
    this.empty.redPrs.textContent = red > 0 ? filtered('redPrs')
      : snapshot.loop.mode === 'github' ? 'No red PRs: no open pull request has failing checks.'
        : snapshot.loop.mode === 'local' ? 'Local mode: there are no pull requests to watch.'
          : 'No GitHub remote yet: red PRs appear here once the GitHub loop runs.';
    const followed = snapshot.loop.followedPullRequests.length;
    this.counts.followedPrs.textContent = String(followed);
    this.empty.followedPrs.textContent = followed > 0 ? filtered('followedPrs')
      : snapshot.loop.mode === 'github' ? 'No open pull request of the gap analysis, a task or a capability update.'
        : snapshot.loop.mode === 'local' ? 'Local mode: there are no pull requests to follow.'
          : 'No GitHub remote yet: the loop\'s pull requests appear here once it runs.';
    this.counts.queue.textContent = snapshot.queue === null ? '' : String(snapshot.queue.items.length);
    this.empty.queue.textContent = snapshot.queue === null
      ? 'The queue appears here once ATO has read the planning folder.'
      : snapshot.queue.items.length === 0 ? 'No task files yet: add one with New Task or drop a .task.md file into issue_queue/pending.' : filtered('queue');
    this.counts.runs.textContent = String(snapshot.runs.length);
    this.empty.runs.textContent = snapshot.runs.length === 0 ? 'No runs yet: dispatch a pending task to start one.' : filtered('runs');
    for (const empty of Object.values(this.empty)) empty.hidden = empty.textContent === '';
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

  private renderHeader(model: PanelModel): void {
    const title = element('h2', 'panel-title');
    title.textContent = model.title;
    const children: HTMLElement[] = [title];
    if (model.badge !== undefined) {
      const badge = element('span', `badge tone-${model.badge.tone}`);
      badge.dataset['badge'] = 'trust';
      badge.textContent = model.badge.text;
      children.push(badge);
    }
    this.header.replaceChildren(...children);
  }

  private renderSection(model: PanelSection): HTMLElement {
    const container = element('section', 'panel-section');
    container.dataset['section'] = model.id;
    const heading = element('h3', 'section-title');
    heading.textContent = model.title;
    container.append(heading);
    if (model.rows.length > 0) {
      const list = element('ul', 'rows');
      for (const row of model.rows) list.append(renderRow(row));
      container.append(list);
    }
    if (model.buttons.length > 0) {
      const actions = element('div', 'actions');
      for (const button of model.buttons) {
        const node = document.createElement('vscode-button');
        node.textContent = button.label;
        node.setAttribute('icon', button.icon);
        node.dataset['action'] = button.action;
        if (button.secondary) node.setAttribute('secondary', '');
        if (button.disabledReason !== undefined) {
          node.setAttribute('disabled', '');
          node.title = button.disabledReason;
        } else {
          node.addEventListener('click', () => { this.post(button); });
        }
        actions.append(node);
      }
      container.append(actions);
    }
    return container;
  }

  private renderRow(row: ListRow): HTMLElement {
    const node = element('div', 'vrow');
    node.setAttribute('role', 'listitem');
    node.dataset['key'] = row.key;
    switch (row.kind) {
      case 'group': {
        node.classList.add('group');
        node.dataset['group'] = row.group;
        node.setAttribute('aria-expanded', String(!row.collapsed));
        node.title = row.collapsed ? 'Expand' : 'Collapse';
        node.append(icon(row.collapsed ? 'chevron-right' : 'chevron-down'), text('row-title', row.label), text('count', String(row.count)));
        return node;
      }
      case 'task':
        node.classList.add(`tone-${row.tone}`);
        if (row.selectable) {
          // A real checkbox: Tab reaches it, Space toggles it, a screen reader says what it selects.
          const box = document.createElement('input');
          box.type = 'checkbox';
          box.className = 'select';
          box.checked = row.selected;
          box.dataset['select'] = row.task.id;
          box.setAttribute('aria-label', `Select ${row.task.title} for Dispatch selected`);
          node.append(box);
        }
        node.append(icon(!row.task.valid ? 'error' : row.task.blocked !== null ? 'watch' : 'file'), text('row-title', row.task.title), text('row-detail', row.status));
        node.title = row.task.path;
        break;
      case 'run':
        node.classList.add(`tone-${row.tone}`);
        node.dataset['state'] = row.run.state;
        node.append(icon(runIcon(row.run.state)), text('row-title', `${row.run.taskId} · ${row.run.agentId}`), text('row-detail', runDetail(row.run, this.now())));
        node.title = row.run.summary ?? row.run.runId;
        break;
      case 'needsYou':
        node.classList.add('tone-warning');
        node.dataset['kind'] = row.item.kind;
        node.append(icon(needsYouIcons[row.item.kind]), text('row-title', row.item.title), text('row-detail', row.item.detail));
        node.title = `${row.item.title}\n${row.item.detail}`;
        break;
      case 'redPr': {
        node.classList.add('tone-error');
        node.dataset['pr'] = String(row.pr.number);
        const title = text('row-title', `#${row.pr.number} ${row.pr.title}`);
        node.append(icon(row.pr.isDraft ? 'git-pull-request-draft' : 'git-pull-request'), linked(title, row.actions.length > 0), text('row-detail', row.detail));
        node.title = row.pr.title;
        break;
      }
      case 'followedPr': {
        node.classList.add(`tone-${row.tone}`);
        node.dataset['pr'] = String(row.pr.number);
        node.dataset['ci'] = row.pr.ci;
        const title = text('row-title', `#${row.pr.number} ${row.pr.title}`);
        node.append(icon(row.pr.ready ? 'git-merge' : row.pr.ci === 'red' ? 'error' : row.pr.isDraft ? 'git-pull-request-draft' : 'git-pull-request'), linked(title, row.actions.length > 0), text('row-detail', row.detail));
        node.title = `${row.pr.title} (by ${row.pr.author})`;
        break;
      }
      case 'rule':
        node.classList.add(row.ok ? 'tone-normal' : 'tone-warning', 'indent');
        node.dataset['rule'] = row.rule;
        node.append(icon(row.ok ? 'pass' : 'circle-large-outline'), text('row-title', row.detail), text('row-detail', row.ok ? 'met' : 'unmet'));
        node.title = `${row.rule}: ${row.detail}`;
        break;
      case 'check':
        node.classList.add('tone-error', 'indent');
        node.append(icon('error'), linked(text('row-title', row.name), row.actions.length > 0), text('row-detail', 'failing'));
        node.title = row.name;
        break;
    }
    const actions = element('span', 'row-actions');
    for (const [index, action] of row.actions.entries()) {
      const button = document.createElement('vscode-toolbar-button');
      button.setAttribute('icon', action.icon);
      button.setAttribute('label', action.label);
      button.dataset['act'] = String(index);
      button.dataset['rowAction'] = action.message?.type ?? 'none';
      button.title = action.disabledReason ?? action.label;
      if (action.disabledReason !== undefined) button.setAttribute('disabled', '');
      actions.append(button);
    }
    node.append(actions);
    return node;
  }
}

/** Makes a row's title a link to the row's first action (opening it on GitHub). */
function linked(title: HTMLElement, enabled: boolean): HTMLElement {
  if (!enabled) return title;
  title.classList.add('link');
  title.dataset['act'] = '0';
  return title;
}

function runIcon(state: string): string {
  switch (state) {
    case 'running':
    case 'preparing':
      return 'sync';
    case 'queued':
      return 'clock';
    case 'needsYou':
      return 'bell';
    case 'succeeded':
      return 'pass';
    case 'failed':
      return 'error';
    default:
      return 'circle-slash';
  }
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

function renderRow(row: PanelRow): HTMLElement {
  const item = element('li', `row tone-${row.tone}`);
  item.append(icon(row.icon), text('row-text', row.text));
  if (row.detail !== undefined) item.append(text('row-detail', row.detail));
  return item;
}
