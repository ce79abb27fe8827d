import type { HostApi } from './hostApi';
import type { PanelModel, PanelRow, PanelSection } from './panelModel';

/**
 * Renders the panel model into `root`. Every piece of text goes through `textContent`, never HTML, so a
 * task title or an issue comment can never inject markup or script.
 */
export function renderPanel(root: HTMLElement, model: PanelModel, host: HostApi): void {
  const fragment = document.createDocumentFragment();
  const header = element('header', 'panel-header');
  const title = element('h2', 'panel-title');
  title.textContent = model.title;
  header.append(title);
  if (model.badge !== undefined) {
    const badge = element('span', `badge tone-${model.badge.tone}`);
    badge.textContent = model.badge.text;
    header.append(badge);
  }
  fragment.append(header);
  for (const section of model.sections) fragment.append(renderSection(section, host));
  root.replaceChildren(fragment);
}

function renderSection(section: PanelSection, host: HostApi): HTMLElement {
  const container = element('section', 'panel-section');
  container.dataset['section'] = section.id;
  const heading = element('h3', 'section-title');
  heading.textContent = section.title;
  container.append(heading);
  if (section.rows.length > 0) {
    const list = element('ul', 'rows');
    for (const row of section.rows) list.append(renderRow(row));
    container.append(list);
  }
  if (section.buttons.length > 0) {
    const actions = element('div', 'actions');
    for (const model of section.buttons) {
      const button = document.createElement('vscode-button');
      button.textContent = model.label;
      button.setAttribute('icon', model.icon);
      button.dataset['action'] = model.action;
      if (model.secondary) button.setAttribute('secondary', '');
      if (model.disabledReason !== undefined) {
        button.setAttribute('disabled', '');
        button.title = model.disabledReason;
      } else {
        button.addEventListener('click', () => { host.post({ type: 'action', action: model.action }); });
      }
      actions.append(button);
    }
    container.append(actions);
  }
  return container;
}

function renderRow(row: PanelRow): HTMLElement {
  const item = element('li', `row tone-${row.tone}`);
  const icon = element('span', `codicon codicon-${row.icon}`);
  icon.setAttribute('aria-hidden', 'true');
  const text = element('span', 'row-text');
  text.textContent = row.text;
  item.append(icon, text);
  if (row.detail !== undefined) {
    const detail = element('span', 'row-detail');
    detail.textContent = row.detail;
    item.append(detail);
  }
  return item;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
