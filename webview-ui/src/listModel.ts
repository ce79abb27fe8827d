import { notInCheckoutText } from '../../src/shared/queueSourceText';
import { isExternalUrl, type PanelFollowedPullRequest, type PanelRedPullRequest } from '../../src/shared/loopSnapshot';
import { ciStateLabels, verdictText } from '../../src/shared/loopWords';
import {
  activePanelRunStates,
  isMutatingMessage,
  panelAgentIdPattern,
  panelRunIdPattern,
  parseToHostMessage,
  queuePathPattern,
  type NeedsYouItem,
  type PanelQueueFolder,
  type PanelRun,
  type PanelRunState,
  type PanelSnapshot,
  type PanelTask,
  type ToHostMessage,
} from '../../src/shared/protocol';
import { requeueableRuns } from '../../src/shared/requeueable';
import { allRows, GroupedRowList, type RowGroup, type RowList } from './rowList';
import { taskName } from '../../src/shared/taskName';
import type { UiState } from './uiState';

export const restrictedReason = 'Restricted Mode: trust this workspace to let ATO act.';

/** A button on a row: the message it posts (validated already), or why it is disabled. */
export interface RowAction {
  readonly label: string;
  readonly icon: string;
  readonly message: ToHostMessage | undefined;
  readonly disabledReason: string | undefined;
}

export type ListRow =
  | { readonly kind: 'group'; readonly key: string; readonly group: string; readonly label: string; readonly count: number; readonly collapsed: boolean }
  /** `selectable`: a valid pending task, which "Dispatch selected" can send; `selected`: it is in the selection. */
  | { readonly kind: 'task'; readonly key: string; readonly task: PanelTask; readonly status: string; readonly tone: Tone; readonly actions: readonly RowAction[]; readonly selectable: boolean; readonly selected: boolean }
  /** `title`: the task's title (its id when the queue has no such task); `secondary`: the id, when shown apart, and the agent. */
  | { readonly kind: 'run'; readonly key: string; readonly run: PanelRun; readonly title: string; readonly secondary: string; readonly tone: Tone; readonly actions: readonly RowAction[] }
  | { readonly kind: 'needsYou'; readonly key: string; readonly item: NeedsYouItem; readonly actions: readonly RowAction[] }
  | { readonly kind: 'redPr'; readonly key: string; readonly pr: PanelRedPullRequest; readonly detail: string; readonly actions: readonly RowAction[] }
  | { readonly kind: 'check'; readonly key: string; readonly name: string; readonly actions: readonly RowAction[] }
  | { readonly kind: 'followedPr'; readonly key: string; readonly pr: PanelFollowedPullRequest; readonly detail: string; readonly tone: Tone; readonly actions: readonly RowAction[] }
  | { readonly kind: 'rule'; readonly key: string; readonly rule: string; readonly ok: boolean; readonly detail: string; readonly actions: readonly RowAction[] };

export type Tone = 'normal' | 'warning' | 'error';

export function action(label: string, icon: string, message: ToHostMessage, mutating: boolean, trusted: boolean): RowAction {
  // Only what the host would accept is offered; a path or id it would refuse disables the button instead.
  if (!nameable(message)) return { label, icon, message: undefined, disabledReason: 'This item cannot be named safely to ATO.' };
  return { label, icon, message, disabledReason: mutating && !trusted ? restrictedReason : undefined };
}

/** The protocol's checks on paths and ids, without a full parse per row (the click handler parses). */
export function nameable(message: ToHostMessage): boolean {
  switch (message.type) {
    case 'openTask':
      return queuePathPattern.test(message.path);
    case 'showRunLog':
    case 'cancelRun':
    case 'openRunRecord':
    case 'viewRunDiff':
    case 'openRunPullRequest':
    case 'mergeRun':
    case 'discardRun':
      return panelRunIdPattern.test(message.runId);
    case 'dispatchTask':
    case 'requeueTask':
    case 'raiseBudget':
    case 'approvePlan':
    case 'previewDispatch':
    case 'showTaskEvents':
      return message.taskId.length > 0 && message.taskId.length <= 200;
    case 'testAgent':
    case 'configureAgent':
      return panelAgentIdPattern.test(message.agentId);
    case 'openExternal':
      return isExternalUrl(message.url);
    case 'loop.merge':
    case 'loop.fixPullRequest':
    case 'loop.sendPullRequestTo':
      return Number.isSafeInteger(message.pullNumber) && message.pullNumber > 0 && message.pullNumber <= 2_147_483_647;
    case 'ready':
    case 'action':
    case 'newTask':
    case 'dispatchTasks':
    case 'loop.start':
    case 'loop.pause':
    case 'loop.tick':
    case 'loop.preview':
      return parseToHostMessage(message).ok;
  }
}

const queueGroups: readonly { readonly id: PanelQueueFolder | 'invalid'; readonly label: string }[] = [
  { id: 'pending', label: 'Pending' },
  { id: 'processed', label: 'Dispatched' },
  { id: 'complete', label: 'Complete' },
  { id: 'invalid', label: 'Invalid' },
];

const runGroups: readonly { readonly id: PanelRunState; readonly label: string }[] = [
  { id: 'needsYou', label: 'Needs you' },
  { id: 'running', label: 'Running' },
  { id: 'preparing', label: 'Preparing' },
  { id: 'queued', label: 'Queued' },
  { id: 'failed', label: 'Failed' },
  { id: 'cancelled', label: 'Cancelled' },
  { id: 'succeeded', label: 'Succeeded' },
];

/** Case-insensitive match of every word of the filter against any of the fields. */
export function matchesFilter(filter: string, fields: readonly (string | null)[]): boolean {
  return filterBy(filter)(fields);
}

/** `matchesFilter` with the filter split once, for a list of thousands of items; no filter matches all. */
function filterBy(filter: string): (fields: readonly (string | null)[]) => boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(word => word.length > 0);
  if (words.length === 0) return () => true;
  return fields => {
    const haystack = fields.filter(field => field !== null).join('\n').toLowerCase();
    return words.every(word => haystack.includes(word));
  };
}

/** The groups of a list, each a header and its members (none while collapsed), rows built as they are shown. */
function grouped<T, G extends string>(list: string, items: readonly T[], groups: readonly { readonly id: G; readonly label: string }[], groupOf: (item: T) => G, row: (item: T) => ListRow, ui: UiState, previous: RowList<ListRow> | undefined): GroupedRowList<T> {
  const buckets = new Map<G, T[]>(groups.map(group => [group.id, []]));
  for (const item of items) buckets.get(groupOf(item))?.push(item);
  const shown: RowGroup<T>[] = [];
  for (const group of groups) {
    const members = buckets.get(group.id) ?? [];
    if (members.length === 0) continue;
    const key = `${list}:${group.id}`;
    const collapsed = ui.collapsed.includes(key);
    shown.push({ header: { kind: 'group', key, group: key, label: group.label, count: members.length, collapsed }, members: collapsed ? [] : members });
  }
  return new GroupedRowList(shown, row, previous);
}

/** ISO times compare as strings; newest first. */
function byNewest<T>(time: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = time(a);
    const y = time(b);
    return x < y ? 1 : x > y ? -1 : 0;
  };
}

export function taskStatus(task: PanelTask): { readonly text: string; readonly tone: Tone } {
  if (!task.valid) return { text: task.firstError ?? 'invalid', tone: 'error' };
  if (task.blocked !== null) return { text: task.blocked, tone: 'warning' };
  const parts = [task.priority, task.type, task.agent === null ? null : `agent ${task.agent}`].filter(part => part !== null);
  return { text: parts.join(' · '), tone: 'normal' };
}

/** The queue as rows: grouped by folder (invalid files apart), filtered, sorted; `selected`: task ids picked for a fan-out. */
export function buildQueueRows(snapshot: PanelSnapshot, ui: UiState, selected: ReadonlySet<string> = new Set()): ListRow[] {
  return allRows(queueRows(snapshot, ui, selected));
}

/**
 * `buildQueueRows` as a list that builds each task's row when it is shown; rows equal to those `previous`
 * built are those objects.
 */
export function queueRows(snapshot: PanelSnapshot, ui: UiState, selected: ReadonlySet<string>, previous?: RowList<ListRow>): RowList<ListRow> {
  const queue = snapshot.queue;
  if (queue === null) return [];
  const matches = filterBy(ui.filter);
  let tasks = queue.items.filter(task => matches([task.title, task.id, task.path, task.agent, task.type, task.priority]));
  if (ui.sort === 'activity') tasks = tasks.sort(byNewest(task => task.mtime));
  return grouped('queue', tasks, queueGroups, task => task.valid ? task.folder : 'invalid', task => {
    // On the loop's planning branch, not in the working tree yet: nothing of the working tree works on it.
    if (task.inCheckout === false) {
      const actions = task.url === undefined ? [] : [action('Open on GitHub', 'link-external', { type: 'openExternal', url: task.url }, false, snapshot.trusted)];
      return { kind: 'task', key: `task:${task.path}`, task, status: notInCheckoutText.status, tone: 'warning', actions, selectable: false, selected: false };
    }
    const status = taskStatus(task);
    const actions: RowAction[] = [];
    const pending = task.valid && task.folder === 'pending';
    if (pending) {
      const dispatch = action('Dispatch Now', 'play', { type: 'dispatchTask', taskId: task.id }, true, snapshot.trusted);
      actions.push(task.blocked === null || dispatch.disabledReason !== undefined ? dispatch : { ...dispatch, message: undefined, disabledReason: `Blocked: ${task.blocked}` });
      actions.push(action('Preview Agent', 'list-ordered', { type: 'previewDispatch', taskId: task.id }, true, snapshot.trusted));
    }
    if (task.valid) actions.push(action('Task Events', 'history', { type: 'showTaskEvents', taskId: task.id }, false, snapshot.trusted));
    actions.push(action('Open', 'go-to-file', { type: 'openTask', path: task.path }, false, snapshot.trusted));
    return { kind: 'task', key: `task:${task.path}`, task, status: status.text, tone: status.tone, actions, selectable: pending && snapshot.trusted, selected: pending && selected.has(task.id) };
  }, ui, previous);
}

const requeueIcon = 'debug-restart';

/** Runs as rows: grouped by state (needing you first), filtered, sorted by last activity or newest start. */
export function buildRunRows(snapshot: PanelSnapshot, ui: UiState): ListRow[] {
  return allRows(runRows(snapshot, ui));
}

/** `buildRunRows` as a list that builds each run's row when it is shown; rows equal to those `previous` built are those objects. */
export function runRows(snapshot: PanelSnapshot, ui: UiState, previous?: RowList<ListRow>): RowList<ListRow> {
  const matches = filterBy(ui.filter);
  const titles = queueTitles(snapshot.queue);
  let runs = snapshot.runs.filter(run => matches([run.runId, run.taskId, titles.get(run.taskId) ?? null, run.agentId, run.branch, run.state, run.summary, run.failure?.message ?? null]));
  if (ui.sort === 'activity') runs = runs.sort(byNewest(run => run.endedAt ?? run.startedAt));
  const requeueable = requeueableRuns(snapshot.runs, new Set((snapshot.queue?.items ?? []).filter(task => task.valid && task.folder === 'processed').map(task => task.id)));
  return grouped('runs', runs, runGroups, run => run.state, run => {
    const actions = [action('Show Log', 'output', { type: 'showRunLog', runId: run.runId }, false, snapshot.trusted)];
    if (activePanelRunStates.has(run.state)) actions.push(action('Cancel Run', 'stop-circle', { type: 'cancelRun', runId: run.runId }, true, snapshot.trusted));
    if (requeueable.has(run.runId)) actions.push(action('Requeue', requeueIcon, { type: 'requeueTask', taskId: run.taskId }, true, snapshot.trusted));
    if (run.landable === true) {
      actions.push(action('View Diff', 'diff-multiple', { type: 'viewRunDiff', runId: run.runId }, false, snapshot.trusted));
      actions.push(action('Open Pull Request', 'git-pull-request-create', { type: 'openRunPullRequest', runId: run.runId }, true, snapshot.trusted));
      actions.push(action('Merge into Current Branch', 'git-merge', { type: 'mergeRun', runId: run.runId }, true, snapshot.trusted));
      actions.push(action('Discard Branch', 'trash', { type: 'discardRun', runId: run.runId }, true, snapshot.trusted));
    }
    actions.push(action('Task Events', 'history', { type: 'showTaskEvents', taskId: run.taskId }, false, snapshot.trusted));
    const tone: Tone = run.state === 'failed' ? 'error' : run.state === 'needsYou' ? 'warning' : 'normal';
    const name = taskName(run.taskId, titles.get(run.taskId));
    return { kind: 'run', key: `run:${run.runId}`, run, title: name.title, secondary: name.id === undefined ? run.agentId : `${name.id} · ${run.agentId}`, tone, actions };
  }, ui, previous);
}

const titleCache = new WeakMap<NonNullable<PanelSnapshot['queue']>, ReadonlyMap<string, string>>();

/** Task id → title of the valid tasks in the queue part (one map per queue part the host sent). */
export function queueTitles(queue: PanelSnapshot['queue']): ReadonlyMap<string, string> {
  if (queue === null) return new Map();
  let titles = titleCache.get(queue);
  if (titles === undefined) {
    const map = new Map<string, string>();
    for (const task of queue.items) if (task.valid && !map.has(task.id)) map.set(task.id, task.title);
    titles = map;
    titleCache.set(queue, titles);
  }
  return titles;
}

const unnameable = 'This item cannot be named safely to ATO.';

function needsYouActionIcon(message: NonNullable<NeedsYouItem['action']>): string {
  switch (message.type) {
    case 'openTask':
      return 'go-to-file';
    case 'showRunLog':
      return 'output';
    case 'openRunRecord':
      return 'go-to-file';
    case 'dispatchTask':
      return 'play';
    case 'requeueTask':
      return requeueIcon;
    case 'raiseBudget':
      return 'credit-card';
    case 'loop.merge':
      return 'git-merge';
    case 'openExternal':
      return 'link-external';
    case 'approvePlan':
      return 'check';
  }
}

/** The inbox: each item's one action (disabled when the host could not name it), and its GitHub page when that is another link. */
export function buildNeedsYouRows(snapshot: PanelSnapshot, ui: UiState): ListRow[] {
  return snapshot.needsYou
    .filter(item => matchesFilter(ui.filter, [item.title, item.detail]))
    .map(item => {
      const actions: RowAction[] = [];
      if (item.action !== null) actions.push(action(item.label, needsYouActionIcon(item.action), item.action, isMutatingMessage(item.action), snapshot.trusted));
      else if (item.label !== '') actions.push({ label: item.label, icon: 'circle-slash', message: undefined, disabledReason: unnameable });
      if (item.url !== null) actions.push(action('Open on GitHub', 'link-external', { type: 'openExternal', url: item.url }, false, snapshot.trusted));
      return { kind: 'needsYou', key: `needsYou:${item.kind}:${item.key}`, item, actions };
    });
}

/**
 * Red PRs without the maintenance track's care, each followed by its failing checks; a row's first action opens
 * it on GitHub. A PR under care is a card instead (careModel.ts): its reason and log excerpt need the height.
 */
export function buildRedPullRequestRows(snapshot: PanelSnapshot, ui: UiState): ListRow[] {
  const rows: ListRow[] = [];
  const open = (url: string | null): RowAction[] => url === null || !isExternalUrl(url) ? [] : [action('Open on GitHub', 'link-external', { type: 'openExternal', url }, false, snapshot.trusted)];
  for (const pr of snapshot.loop.redPullRequests) {
    if (pr.care !== null) continue;
    if (!matchesFilter(ui.filter, [pr.title, `#${pr.number}`, ...pr.failingChecks.map(check => check.name)])) continue;
    const failing = pr.failingChecks.length === 1 ? '1 failing check' : `${pr.failingChecks.length} failing checks`;
    const attempts = pr.fixAttempts === 1 ? '1 fix attempt' : `${pr.fixAttempts} fix attempts`;
    rows.push({ kind: 'redPr', key: `redPr:${pr.number}`, pr, detail: `${failing} · ${attempts}${pr.isDraft ? ' · draft' : ''}`, actions: open(pr.url) });
    for (const [index, check] of pr.failingChecks.entries()) rows.push({ kind: 'check', key: `redPr:${pr.number}:check:${index}`, name: check.name, actions: open(check.url) });
  }
  return rows;
}

/**
 * The pull requests the loop follows, red or not: each with its work, CI state and verdict, followed by every
 * rule of the merge policy with its reason; a row's first action opens the PR on GitHub.
 */
export function buildFollowedPullRequestRows(snapshot: PanelSnapshot, ui: UiState): ListRow[] {
  const rows: ListRow[] = [];
  for (const pr of snapshot.loop.followedPullRequests) {
    if (!matchesFilter(ui.filter, [pr.title, `#${pr.number}`, pr.work, pr.author])) continue;
    const tone: Tone = pr.ci === 'red' ? 'error' : pr.ready ? 'normal' : 'warning';
    const actions = pr.url === null || !isExternalUrl(pr.url) ? [] : [action('Open on GitHub', 'link-external', { type: 'openExternal', url: pr.url }, false, snapshot.trusted)];
    rows.push({ kind: 'followedPr', key: `followedPr:${pr.number}`, pr, detail: `${pr.work} · ${ciStateLabels[pr.ci]} · ${verdictText(pr.rules)}`, tone, actions });
    for (const rule of pr.rules) rows.push({ kind: 'rule', key: `followedPr:${pr.number}:rule:${rule.rule}`, rule: rule.rule, ok: rule.ok, detail: rule.detail, actions: [] });
  }
  return rows;
}

/** Elapsed time of a run as `1h 02m`, `3m 05s` or `12s`, ticking until it ends. */
export function formatElapsed(startedAt: string, endedAt: string | null, nowMs: number): string {
  const start = Date.parse(startedAt);
  const end = endedAt === null ? nowMs : Date.parse(endedAt);
  if (!Number.isFinite(start) || !Number.isFinite(end)) return '';
  const seconds = Math.max(0, Math.floor((end - start) / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const two = (value: number): string => String(value).padStart(2, '0');
  if (hours > 0) return `${hours}h ${two(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${two(rest)}s`;
  return `${rest}s`;
}

export function formatCost(costUsd: number | null): string {
  return costUsd === null ? '' : `$${costUsd.toFixed(costUsd < 1 ? 3 : 2)}`;
}

/** The second line of a run row in the Runs list: the task id (when the title is shown) and agent, then runDetail. */
export function runRowDetail(row: Extract<ListRow, { kind: 'run' }>, nowMs: number): string {
  return `${row.secondary} · ${runDetail(row.run, nowMs)}`;
}

/** The second line of a run row: state, elapsed, cost, turns, branch, failure. */
export function runDetail(run: PanelRun, nowMs: number): string {
  const parts = [run.state, formatElapsed(run.startedAt, run.endedAt, nowMs), formatCost(run.costUsd), run.turns === null ? '' : `${run.turns} turns`, run.branch ?? '', run.failure === null ? '' : `${run.failure.class}: ${run.failure.message}`];
  return parts.filter(part => part !== '').join(' · ');
}
