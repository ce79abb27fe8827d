import type { PanelDispatchOutcome, PanelPreview, PanelSnapshot } from '../../src/shared/protocol';
import { buildAgentCards, type AgentCard, type Meter } from './agentsModel';
import { queueTitles, restrictedReason, type RowAction } from './listModel';
import { element, icon, text } from './dom';
import { fanOutLines } from './fanOutModel';

/**
 * The fleet's parts of the panel: the Agents section (health, load, headroom meters, window, last error,
 * Test and Configure), the fan-out bar ("Dispatch selected" and what became of each task) and the agent
 * preview of a task. Text only through `textContent`.
 */
export class FleetView {
  readonly agents = element('section', 'panel-section agents');
  readonly fanOut = element('div', 'fanout');
  readonly preview = element('section', 'panel-section preview');
  private readonly agentCount = element('span', 'count');
  private readonly agentList = element('ul', 'agent-list');
  private readonly agentEmpty = element('p', 'muted empty');
  private readonly selectedText = element('span', 'fanout-count');
  private readonly dispatchButton = document.createElement('vscode-button');
  private readonly clearButton = document.createElement('vscode-button');
  private readonly outcomes = element('ul', 'rows fanout-outcomes');
  private trusted = true;
  private runs: PanelSnapshot['runs'] = [];
  private titles: ReadonlyMap<string, string> = new Map();
  /** The runs there were when "Dispatch selected" was clicked: a run not among them is one the dispatch started. */
  private runsAtDispatch: ReadonlySet<string> = new Set();
  /** The last fan-out's answers, which its lines follow through later snapshots. */
  private dispatched: { readonly outcomes: readonly PanelDispatchOutcome[]; readonly runsBefore: ReadonlySet<string> } | undefined;

  constructor(
    private readonly post: (action: RowAction) => void,
    private readonly selection: { readonly ids: () => readonly string[]; readonly clear: () => void },
  ) {
    this.agents.dataset['section'] = 'agents';
    const heading = element('h3', 'section-title');
    heading.textContent = 'Agents';
    heading.append(this.agentCount);
    this.agents.append(heading, this.agentEmpty, this.agentList);

    this.fanOut.dataset['section'] = 'fanout';
    this.dispatchButton.textContent = 'Dispatch selected';
    this.dispatchButton.setAttribute('icon', 'run-all');
    this.dispatchButton.dataset['action'] = 'dispatchTasks';
    this.dispatchButton.addEventListener('click', () => {
      const taskIds = this.selection.ids();
      if (taskIds.length === 0 || !this.trusted) return;
      this.runsAtDispatch = new Set(this.runs.map(run => run.runId));
      this.dispatched = undefined;
      this.outcomes.replaceChildren(outcomeRow('loading', `Dispatching ${plural(taskIds.length, 'task')}…`));
      this.post({ label: 'Dispatch selected', icon: 'run-all', message: { type: 'dispatchTasks', taskIds: [...taskIds] }, disabledReason: undefined });
    });
    this.clearButton.textContent = 'Clear';
    this.clearButton.setAttribute('secondary', '');
    this.clearButton.dataset['action'] = 'clearSelection';
    this.clearButton.addEventListener('click', () => { this.selection.clear(); });
    const bar = element('div', 'fanout-bar');
    bar.append(this.selectedText, this.dispatchButton, this.clearButton);
    this.fanOut.append(bar, this.outcomes);

    this.preview.dataset['section'] = 'preview';
    this.preview.hidden = true;
  }

  render(snapshot: PanelSnapshot): void {
    this.trusted = snapshot.trusted;
    this.runs = snapshot.runs;
    this.titles = queueTitles(snapshot.queue);
    const cards = buildAgentCards(snapshot);
    this.agentCount.textContent = String(cards.length);
    this.agentEmpty.textContent = cards.length === 0 ? 'The agents appear here once ATO has read the planning folder in a trusted workspace.' : '';
    this.agentEmpty.hidden = cards.length > 0;
    this.agentList.replaceChildren(...cards.map(card => this.renderCard(card)));
    this.renderSelection();
    this.renderOutcomes();
  }

  /** The selection changed: the bar says how many, and "Dispatch selected" is enabled only with some. */
  renderSelection(): void {
    const count = this.selection.ids().length;
    this.selectedText.textContent = count === 0 ? 'Select pending tasks to dispatch them together.' : `${plural(count, 'task')} selected`;
    const disabled = count === 0 || !this.trusted;
    this.dispatchButton.toggleAttribute('disabled', disabled);
    this.dispatchButton.title = !this.trusted ? restrictedReason : count === 0 ? 'Select pending tasks first.' : `Dispatch ${plural(count, 'task')} across the agents, within their limits`;
    this.clearButton.hidden = count === 0;
  }

  showOutcomes(outcomes: readonly PanelDispatchOutcome[]): void {
    this.dispatched = { outcomes, runsBefore: this.runsAtDispatch };
    this.renderOutcomes();
  }

  /** Each task's line: the dispatch's answer, then the state of the run it started (one truth with the Runs section). */
  private renderOutcomes(): void {
    if (this.dispatched === undefined) return;
    this.outcomes.replaceChildren(...fanOutLines(this.dispatched.outcomes, this.runs, this.dispatched.runsBefore, this.titles).map(line => {
      const row = outcomeRow(line.icon, line.title, line.detail);
      row.dataset['outcome'] = line.outcome;
      row.dataset['task'] = line.taskId;
      if (line.runState !== undefined) row.dataset['runState'] = line.runState;
      row.classList.add(`tone-${line.tone}`);
      return row;
    }));
  }

  showPreview(preview: PanelPreview): void {
    const details = document.createElement('details');
    details.open = true;
    const summary = document.createElement('summary');
    summary.textContent = `Agent preview for ${preview.taskId}`;
    const chosen = element('p', 'preview-chosen');
    chosen.textContent = preview.chosen === null ? preview.summary : `Would go to ${preview.chosen}: ${preview.summary}`;
    const list = element('ul', 'rows preview-candidates');
    for (const candidate of preview.candidates) {
      const item = element('li', `candidate ${candidate.eligible ? 'tone-normal' : 'tone-warning'}`);
      item.dataset['agent'] = candidate.agentId;
      item.dataset['eligible'] = String(candidate.eligible);
      const head = element('div', 'candidate-head');
      head.append(icon(candidate.eligible ? 'pass' : 'circle-slash'), text('row-text', `${candidate.agentId} — ${candidate.eligible ? 'eligible' : 'not eligible'}${candidate.score === null ? '' : `, score ${candidate.score.toFixed(3)}`}`));
      const reasons = element('ul', 'candidate-reasons');
      for (const reason of candidate.reasons) reasons.append(text('li', reason, 'li'));
      item.append(head, reasons);
      list.append(item);
    }
    const close = document.createElement('vscode-button');
    close.textContent = 'Close';
    close.setAttribute('secondary', '');
    close.addEventListener('click', () => { this.preview.hidden = true; });
    details.append(summary, chosen, list, close);
    this.preview.dataset['task'] = preview.taskId;
    this.preview.replaceChildren(details);
    this.preview.hidden = false;
  }

  private renderCard(card: AgentCard): HTMLElement {
    const item = element('li', `agent tone-${card.tone}`);
    item.dataset['agent'] = card.id;
    const head = element('div', 'agent-head');
    const name = text('agent-name', card.id);
    const health = text('agent-health', card.health);
    health.title = card.healthDetail;
    const actions = element('span', 'agent-actions');
    for (const action of card.actions) {
      const button = document.createElement('vscode-toolbar-button');
      button.setAttribute('icon', action.icon);
      button.setAttribute('label', action.label);
      button.dataset['rowAction'] = action.message?.type ?? 'none';
      button.title = action.disabledReason ?? action.label;
      if (action.disabledReason !== undefined) button.setAttribute('disabled', '');
      else button.addEventListener('click', () => { this.post(action); });
      actions.append(button);
    }
    head.append(icon(card.icon), name, text('agent-kind muted', card.kind), health, actions);
    item.append(head);
    const detail = text('agent-detail muted', card.healthDetail, 'p');
    item.append(detail);
    const meters = element('div', 'agent-meters');
    for (const meter of card.meters) meters.append(renderMeter(meter));
    item.append(meters);
    if (card.window !== undefined) {
      const window = element('p', 'agent-window');
      window.dataset['window'] = 'closed';
      window.append(icon('watch'), text('', `Window ${card.window}`));
      item.append(window);
    }
    if (card.lastError !== undefined) {
      const error = element('p', 'agent-error');
      error.title = card.lastError;
      error.append(icon('error'), text('', `Last error: ${card.lastError}`));
      item.append(error);
    }
    return item;
  }
}

function renderMeter(meter: Meter): HTMLElement {
  const row = element('div', 'meter-row');
  if (meter.max !== null && meter.max > 0) {
    const bar = document.createElement('meter');
    bar.min = 0;
    bar.max = meter.max;
    bar.value = Math.min(meter.value, meter.max);
    // Nearly full is a warning, full an error (the text says the numbers too).
    bar.low = meter.max * 0.5;
    bar.high = meter.max * 0.8;
    bar.optimum = 0;
    bar.setAttribute('aria-label', meter.label);
    row.append(bar);
  }
  row.append(text('meter-text', meter.text));
  return row;
}

function outcomeRow(name: string, title: string, detail?: string): HTMLElement {
  const row = element('li', 'row');
  row.append(icon(name), text('row-text', title));
  if (detail !== undefined && detail !== '') row.append(text('row-text muted outcome-detail', detail));
  return row;
}

function plural(count: number, word: string): string {
  return `${String(count)} ${word}${count === 1 ? '' : 's'}`;
}
