import { notInCheckoutText } from '../../src/shared/queueSourceText';
import type { NeedsYouItem } from '../../src/shared/protocol';
import { icon, text, element } from './dom';
import { runRowDetail, type ListRow } from './listModel';

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

/**
 * One row of the panel's virtual lists (needs you, red PRs, followed PRs, queue, runs) as DOM. Every piece
 * of text goes through `textContent`, never HTML. Buttons carry their action's index (`data-act`); the
 * list's click handler finds the action.
 */
export function renderListRow(row: ListRow, nowMs: number): HTMLElement {
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
      node.append(icon(!row.task.valid ? 'error' : row.task.inCheckout === false ? 'cloud' : row.task.blocked !== null ? 'watch' : 'file'), text('row-title', row.task.title), text('row-detail', row.status));
      node.title = row.task.inCheckout === false ? `${row.task.path}\n${notInCheckoutText.tooltip}` : row.task.path;
      break;
    case 'run':
      node.classList.add(`tone-${row.tone}`);
      node.dataset['state'] = row.run.state;
      node.append(icon(runIcon(row.run.state)), text('row-title', row.title), text('row-detail', runRowDetail(row, nowMs)));
      node.title = `${row.title}\n${row.secondary} · run ${row.run.runId}${row.run.summary === null ? '' : `\n${row.run.summary}`}`;
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
    // A native button with a codicon, styled like VS Code's toolbar buttons: a row is rendered whenever it scrolls
    // into view, and a custom element (shadow root, its own icon element, an update per instance) costs a frame.
    const button = element('button', 'row-action');
    button.type = 'button';
    button.setAttribute('aria-label', action.label);
    button.dataset['act'] = String(index);
    button.dataset['rowAction'] = action.message?.type ?? 'none';
    button.title = action.disabledReason ?? action.label;
    button.disabled = action.disabledReason !== undefined;
    button.append(icon(action.icon));
    actions.append(button);
  }
  node.append(actions);
  return node;
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
