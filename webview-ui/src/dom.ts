/** Small DOM helpers: text only through `textContent`, never HTML. */

export function icon(name: string): HTMLElement {
  const node = element('span', `codicon codicon-${name}`);
  node.setAttribute('aria-hidden', 'true');
  return node;
}

export function text(className: string, value: string, tag: 'span' | 'p' | 'li' = 'span'): HTMLElement {
  const node = element(tag, className);
  node.textContent = value;
  return node;
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
