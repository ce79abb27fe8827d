import { element, icon, text } from './dom';
import type { PanelButton, PanelModel, PanelRow, PanelSection } from './panelModel';

/** The static sections around the lists: the header with its trust badge, the notice, the planning folder, accounts, settings and tools. */
export function renderHeader(header: HTMLElement, model: PanelModel): void {
  const title = element('h2', 'panel-title');
  title.textContent = model.title;
  const children: HTMLElement[] = [title];
  if (model.badge !== undefined) {
    const badge = element('span', `badge tone-${model.badge.tone}`);
    badge.dataset['badge'] = 'trust';
    badge.textContent = model.badge.text;
    children.push(badge);
  }
  header.replaceChildren(...children);
}

export function renderSection(model: PanelSection, post: (button: PanelButton) => void): HTMLElement {
  const container = element('section', 'panel-section');
  container.dataset['section'] = model.id;
  const heading = element('h3', 'section-title');
  heading.textContent = model.title;
  container.append(heading);
  if (model.rows.length > 0) {
    const list = element('ul', 'rows');
    for (const row of model.rows) list.append(renderPanelRow(row));
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
        node.addEventListener('click', () => { post(button); });
      }
      actions.append(node);
    }
    container.append(actions);
  }
  return container;
}

function renderPanelRow(row: PanelRow): HTMLElement {
  const item = element('li', `row tone-${row.tone}`);
  item.append(icon(row.icon), text('row-text', row.text));
  if (row.detail !== undefined) item.append(text('row-detail', row.detail));
  return item;
}
