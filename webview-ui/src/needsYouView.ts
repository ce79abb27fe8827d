import { actionButtons } from './actionButtons';
import { element, icon, text } from './dom';
import type { ListRow, RowAction } from './listModel';
import { planSteps } from './planModel';

type NeedsYouRow = Extract<ListRow, { readonly kind: 'needsYou' }>;

/** Needs-you rows whose content does not fit one line: a Jules plan is read before it is approved. */
export function isPlanRow(row: ListRow): row is NeedsYouRow {
  return row.kind === 'needsYou' && row.item.kind === 'planAwaitingApproval';
}

/**
 * Jules plans awaiting approval, as cards under the Needs you list: the virtual list's rows have one fixed
 * height, so a plan there is cut to nothing at the sidebar's default width. A card wraps: its title, each step
 * of the plan, then its actions as full buttons ("Approve plan" first). Text only through `textContent`.
 */
export class PlanCards {
  readonly element = element('div', 'plan-cards');

  constructor(private readonly post: (action: RowAction) => void) {}

  render(rows: readonly NeedsYouRow[]): void {
    this.element.replaceChildren(...rows.map(row => this.card(row)));
    this.element.hidden = rows.length === 0;
  }

  private card(row: NeedsYouRow): HTMLElement {
    const card = element('article', 'plan-card tone-warning');
    card.dataset['kind'] = row.item.kind;
    card.dataset['key'] = row.key;
    const head = element('div', 'plan-head');
    head.append(icon('checklist'), text('plan-title', row.item.title));
    const plan = planSteps(row.item.detail);
    const body: HTMLElement[] = [];
    if (plan.intro !== '') body.push(text('plan-intro muted', plan.intro, 'p'));
    if (plan.steps.length > 0) {
      const steps = element('ol', 'plan-steps');
      for (const step of plan.steps) steps.append(text('plan-step', step, 'li'));
      body.push(steps);
    }
    const actions = actionButtons('actions plan-actions', row.actions, action => { this.post(action); });
    card.append(head, ...body, actions);
    return card;
  }
}
