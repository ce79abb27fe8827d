import type { PanelSnapshot, ToHostMessage } from '../../src/shared/protocol';
import { buildLoopModel, type LoopButton, type LoopLine, type LoopViewModel } from './loopModel';

/** What the loop header asks the panel to post (the panel validates it, and drops it when disabled). */
export type PostAction = (action: { readonly message: ToHostMessage | undefined; readonly disabledReason: string | undefined }) => void;

/**
 * The loop header's DOM: state, the 1a–3c stepper, stage and focus, ticks, budget, buttons, plan and last
 * tick. Rebuilt only when the loop part of the snapshot changes (so a focused button keeps its focus
 * while the queue churns); the relative times are refreshed in place every second.
 */
export class LoopView {
  readonly element: HTMLElement;
  private snapshot: PanelSnapshot | undefined;
  private key = '';
  private readonly timed: { readonly node: HTMLElement; readonly text: (model: LoopViewModel) => string }[] = [];

  constructor(private readonly post: PostAction, private readonly now: () => number) {
    this.element = element('section', 'panel-section loop');
    this.element.dataset['section'] = 'loop';
    this.element.setAttribute('aria-label', 'Planning loop');
  }

  render(snapshot: PanelSnapshot): void {
    this.snapshot = snapshot;
    const key = JSON.stringify([snapshot.trusted, snapshot.loop]);
    if (key === this.key) {
      this.tick();
      return;
    }
    this.key = key;
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset['loopAction'] : undefined;
    this.build(buildLoopModel(snapshot, this.now()));
    if (focused !== undefined) this.element.querySelector<HTMLElement>(`[data-loop-action="${focused}"]`)?.focus();
  }

  /** Refreshes "3 min ago" and "in 2 min". */
  tick(): void {
    if (this.snapshot === undefined) return;
    const model = buildLoopModel(this.snapshot, this.now());
    for (const { node, text } of this.timed) node.textContent = text(model);
  }

  private build(model: LoopViewModel): void {
    this.timed.length = 0;
    this.element.classList.toggle('collapsed', model.collapsed !== undefined);
    if (model.collapsed !== undefined) {
      // One line: what is off and how to turn it on; the reason in full on hover.
      const line = element('p', 'loop-state loop-collapsed tone-normal');
      line.dataset['loopState'] = model.state.kind;
      line.title = model.collapsed.tooltip;
      line.append(icon(model.mode === 'Local mode' ? 'device-desktop' : 'circle-slash', false), text('loop-state-detail', model.collapsed.text));
      this.element.replaceChildren(line);
      return;
    }
    const heading = element('h3', 'section-title');
    heading.textContent = 'Loop';

    const status = element('div', `loop-state tone-${model.state.tone}`);
    status.dataset['loopState'] = model.state.kind;
    status.append(icon(model.state.icon, model.state.spin), text('loop-state-label', model.state.label));
    if (model.mode !== undefined) status.append(text('loop-mode muted', `· ${model.mode}`));
    const children: HTMLElement[] = [heading, status];
    if (model.state.detail !== undefined) children.push(text('loop-state-detail', model.state.detail, 'p'));

    children.push(stepper(model));
    if (model.stage !== undefined) {
      const stage = element('p', 'loop-stage');
      stage.dataset['loopStage'] = 'reason';
      const label = text('loop-stage-label', model.stage.label, 'strong');
      label.title = model.stage.meaning;
      stage.append(label, document.createTextNode(' — '), text('loop-reason', model.stage.reason));
      children.push(stage);
    }
    if (model.focus !== undefined) {
      const focus = element('p', 'loop-focus');
      focus.dataset['loopPart'] = 'focus';
      focus.append(text('muted', 'Focus: '));
      const caption = `${model.focus.label} · ${model.focus.title}`;
      focus.append(model.focus.url === null ? text('loop-focus-title', caption) : this.link(caption, model.focus.url));
      children.push(focus);
      if (model.focus.refs.length > 0) {
        const refs = element('ul', 'rows loop-focus-refs');
        for (const ref of model.focus.refs) {
          const item = element('li', 'row');
          item.append(icon(ref.kind === 'pullRequest' ? 'git-pull-request' : 'issues', false), ref.url === null ? text('row-text', ref.caption) : this.link(ref.caption, ref.url));
          refs.append(item);
        }
        children.push(refs);
      }
    }
    if (model.counts !== undefined) {
      const counts = text('loop-counts muted', `Planning branch: ${model.counts.text}`, 'p');
      counts.dataset['loopPart'] = 'counts';
      counts.title = model.counts.tooltip;
      children.push(counts);
    }
    if (model.ticks !== '') children.push(this.timedParagraph('loop-ticks muted', model, m => m.ticks));

    const actions = element('div', 'actions');
    for (const button of model.buttons) actions.append(this.button(button));
    children.push(actions);

    if (model.plan !== undefined) children.push(this.block('plan', model, model.plan.lines, m => m.plan?.heading ?? ''));
    if (model.report !== undefined) children.push(this.block('report', model, model.report.lines, m => m.report?.heading ?? ''));
    if (model.budget.length > 0 || model.lease !== undefined) {
      const list = element('ul', 'rows loop-budget');
      list.dataset['loopPart'] = 'budget';
      for (const [index, line] of model.budget.entries()) list.append(this.line(line, m => m.budget[index]?.detail ?? ''));
      if (model.lease !== undefined) list.append(this.line(model.lease, m => m.lease?.detail ?? ''));
      children.push(list);
    }
    this.element.replaceChildren(...children);
  }

  private block(part: 'plan' | 'report', model: LoopViewModel, lines: readonly LoopLine[], title: (model: LoopViewModel) => string): HTMLElement {
    const container = element('div', `loop-${part}`);
    container.dataset['loopPart'] = part;
    const heading = element('h4', 'loop-subtitle');
    heading.textContent = title(model);
    this.timed.push({ node: heading, text: title });
    const list = element('ul', 'rows');
    for (const line of lines) list.append(this.line(line));
    container.append(heading, list);
    return container;
  }

  private line(line: LoopLine, timedDetail?: (model: LoopViewModel) => string): HTMLElement {
    const item = element('li', `row tone-${line.tone}`);
    item.append(icon(line.icon, false), text('row-text', line.text));
    if (line.detail !== '') {
      const detail = text('row-detail loop-detail', line.detail);
      detail.title = line.detail;
      if (timedDetail !== undefined) this.timed.push({ node: detail, text: timedDetail });
      item.append(detail);
    }
    return item;
  }

  /** A paragraph whose text depends on the time (refreshed by `tick`). */
  private timedParagraph(className: string, model: LoopViewModel, value: (model: LoopViewModel) => string): HTMLElement {
    const node = element('p', className);
    node.textContent = value(model);
    this.timed.push({ node, text: value });
    return node;
  }

  private button(model: LoopButton): HTMLElement {
    const node = document.createElement('vscode-button');
    node.textContent = model.label;
    node.setAttribute('icon', model.icon);
    node.dataset['loopAction'] = model.id;
    if (model.secondary) node.setAttribute('secondary', '');
    if (model.disabledReason !== undefined) {
      node.setAttribute('disabled', '');
      node.title = model.disabledReason;
    } else {
      node.addEventListener('click', () => { this.post(model); });
    }
    return node;
  }

  /** A link that asks the host to open the URL (the host opens only links it has sent). */
  private link(caption: string, url: string): HTMLElement {
    const anchor = element('a', 'link');
    anchor.href = '#';
    anchor.title = url;
    anchor.dataset['url'] = url;
    anchor.textContent = caption;
    anchor.addEventListener('click', event => {
      event.preventDefault();
      this.post({ message: { type: 'openExternal', url }, disabledReason: undefined });
    });
    return anchor;
  }
}

function stepper(model: LoopViewModel): HTMLElement {
  const list = element('ol', 'stepper');
  list.setAttribute('aria-label', 'Loop stage');
  for (const group of model.stepper) {
    const item = element('li', `stage-group${group.current ? ' current' : ''}`);
    item.dataset['group'] = group.id;
    const steps = element('ol', 'steps');
    steps.setAttribute('aria-label', group.label);
    for (const step of group.steps) {
      const node = element('li', `step${step.current ? ' current' : ''}`);
      node.dataset['stage'] = step.id;
      node.title = `${step.id}: ${step.meaning}`;
      // The current step is marked by an icon and words too, not by colour alone.
      if (step.current) {
        node.setAttribute('aria-current', 'step');
        node.append(icon('triangle-right', false));
      }
      node.append(text('step-id', step.id));
      if (step.current) node.append(text('visually-hidden', ' (current stage)'));
      steps.append(node);
    }
    item.append(text('group-label', group.label), steps);
    list.append(item);
  }
  return list;
}

function icon(name: string, spin: boolean): HTMLElement {
  const node = element('span', `codicon codicon-${name}${spin ? ' codicon-modifier-spin' : ''}`);
  node.setAttribute('aria-hidden', 'true');
  return node;
}

function text(className: string, value: string, tag: 'span' | 'p' | 'strong' = 'span'): HTMLElement {
  const node = element(tag, className);
  node.textContent = value;
  return node;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
