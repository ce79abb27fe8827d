import { element } from './dom';
import type { RowAction } from './listModel';

/**
 * A card's buttons (a Jules plan, a red PR's care): the first primary, the rest secondary; a disabled one says
 * why in its tooltip, an enabled one posts its action. `title` gives an enabled button's tooltip.
 */
export function actionButtons(className: string, actions: readonly RowAction[], post: (action: RowAction) => void, title?: (action: RowAction, index: number) => string): HTMLElement {
  const row = element('div', className);
  for (const [index, action] of actions.entries()) {
    const button = document.createElement('vscode-button');
    button.textContent = action.label;
    button.setAttribute('icon', action.icon);
    button.dataset['rowAction'] = action.message?.type ?? 'none';
    if (index > 0) button.setAttribute('secondary', '');
    if (action.disabledReason !== undefined) {
      button.setAttribute('disabled', '');
      button.title = action.disabledReason;
    } else {
      if (title !== undefined) button.title = title(action, index);
      button.addEventListener('click', () => { post(action); });
    }
    row.append(button);
  }
  return row;
}
