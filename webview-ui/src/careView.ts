import { actionButtons } from './actionButtons';
import type { CareCard } from './careModel';
import { element, icon, text } from './dom';
import type { RowAction } from './listModel';

/**
 * PRs under the maintenance track's care, as cards in the Red PRs section (the list's rows have one fixed
 * height; a reason and a CI log need more). Each card: the PR (a link), its state badge and attempt, the reason,
 * the last fix, the failing checks (links), the log excerpt (collapsed; expanded, a bounded monospace block that
 * scrolls), then "Fix now" and "Send to…". Every piece of text through `textContent`: a log is hostile text.
 * Which excerpts are open survives an update (a tick re-renders the cards).
 */
export class CareCards {
  readonly element = element('div', 'care-cards');
  private readonly openExcerpts = new Set<number>();

  constructor(private readonly post: (action: RowAction) => void) {
    this.element.hidden = true;
  }

  render(cards: readonly CareCard[]): void {
    const shown = new Set(cards.map(card => card.pr.number));
    for (const number of this.openExcerpts) if (!shown.has(number)) this.openExcerpts.delete(number);
    this.element.replaceChildren(...cards.map(card => this.card(card)));
    this.element.hidden = cards.length === 0;
  }

  private card(card: CareCard): HTMLElement {
    const node = element('article', `care-card tone-${card.badge.tone}`);
    node.dataset['pr'] = String(card.pr.number);
    node.dataset['state'] = card.care.state;
    node.dataset['key'] = card.key;

    const head = element('div', 'care-head');
    const caption = `#${String(card.pr.number)} ${card.pr.title}`;
    head.append(icon(card.pr.isDraft ? 'git-pull-request-draft' : 'git-pull-request'), card.open === undefined ? text('care-title', caption) : this.link('care-title', caption, card.open));
    head.title = card.pr.title;

    const state = element('div', 'care-state');
    const badge = text(`badge tone-${card.badge.tone}`, card.badge.label);
    badge.dataset['carePart'] = 'badge';
    state.append(badge, text('care-summary muted', card.summary));

    const parts: HTMLElement[] = [head, state, text('care-reason', card.care.reason, 'p')];
    if (card.lastFix !== null) {
      const last = text('care-last muted', `Last fix: ${card.lastFix}`, 'p');
      if (card.care.lastFix !== null) last.title = `Attempt ${String(card.care.lastFix.attempt)} on ${card.care.lastFix.headSha}, asked ${card.care.lastFix.at}`;
      parts.push(last);
    }
    if (card.checks.length > 0) {
      const checks = element('p', 'care-checks muted');
      checks.append('Failing: ');
      for (const [index, check] of card.checks.entries()) {
        if (index > 0) checks.append(', ');
        checks.append(check.open === undefined ? text('care-check', check.name) : this.link('care-check', check.name, check.open));
      }
      parts.push(checks);
    }
    if (card.care.logExcerpt !== null) parts.push(this.excerpt(card.pr.number, card.care.logExcerpt, card.excerptLines ?? 0));

    const { number } = card.pr;
    const actions = actionButtons('actions care-actions', card.actions, action => { this.post(action); }, (_action, index) => (index === 0
      ? `Ask ${card.care.author === 'person' ? 'an agent' : 'the agent that wrote it'} to fix PR #${String(number)} now`
      : `Pick the agent that fixes PR #${String(number)}`));
    node.append(...parts, actions);
    return node;
  }

  /** The failed job's log excerpt: a native disclosure (keyboard and screen reader for free), closed by default. */
  private excerpt(pullNumber: number, log: string, lines: number): HTMLElement {
    const details = element('details', 'care-log');
    details.open = this.openExcerpts.has(pullNumber);
    const summary = element('summary', 'care-log-summary');
    summary.textContent = `Log excerpt · ${String(lines)} ${lines === 1 ? 'line' : 'lines'}`;
    const pre = element('pre', 'care-excerpt');
    pre.textContent = log;
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', `CI log excerpt of PR #${String(pullNumber)}`);
    details.append(summary, pre);
    details.addEventListener('toggle', () => {
      if (details.open) this.openExcerpts.add(pullNumber);
      else this.openExcerpts.delete(pullNumber);
    });
    return details;
  }

  /** A link that posts the row's open action (the host opens only links it has sent). */
  private link(className: string, caption: string, open: RowAction): HTMLElement {
    const anchor = element('a', `link ${className}`);
    anchor.href = '#';
    anchor.textContent = caption;
    if (open.message?.type === 'openExternal') anchor.title = open.message.url;
    anchor.addEventListener('click', event => {
      event.preventDefault();
      this.post(open);
    });
    return anchor;
  }
}
