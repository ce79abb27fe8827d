import { isExternalUrl, type PanelCiState, type PanelStageId, type PanelWorkKind, type PlannedActionKind } from '../../shared/loopSnapshot';
import { panelAgentIdPattern, panelRunIdPattern, queuePathPattern, type NeedsYouItem, type PanelAgent, type PanelRun, type PanelRunState, type PanelSnapshot, type PanelTask } from '../../shared/protocol';
import type { CiState, PlannedAction, StageId, WorkKind } from '../loop/engine/loopModel';
import type { Redactor } from '../logging/redactor';
import { isValidQueueEntry, queueEntryId, type QueueEntry } from '../queue/queueEntry';
import type { QueueSnapshot } from '../queue/queueEntries';
import { describeBlockReason } from '../queue/queueOrder';
import { taskTitles } from '../queue/taskTitles';
import { taskNameText } from '../../shared/taskName';
import type { RunRecord, RunState } from '../runs/runRecord';
import { clipText } from '../util/clipText';
import { describeRunRecordProblem } from '../runs/runRecordProblemText';
import type { RunRecordProblem } from '../runs/runStore';
import { agentFields } from '../views/agentTreeRows';
import { loopNotRunningReason } from '../views/loopText';
import type { AtoState } from './atoState';
import { loopSnapshot } from './panelLoopSnapshot';
import { requeueableRuns } from './requeueableRuns';
import { isLandable, landableRuns } from '../runs/landing/landingTarget';
import { shownQueue, type ShownQueue } from './shownQueue';

function queueTallyOf(queue: QueueSnapshot | undefined): { pending: number; processed: number; complete: number; invalid: number } {
  return queue === undefined ? { pending: 0, processed: 0, complete: 0, invalid: 0 } : { ...queue.counts, invalid: queue.invalid.length };
}

/** The panel's run states must be exactly the record's (compile-time check). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const runStatesAgree: Same<RunState, PanelRunState> = true;
export const stagesAgree: Same<StageId, PanelStageId> = true;
export const actionKindsAgree: Same<PlannedAction['kind'], PlannedActionKind> = true;
export const workKindsAgree: Same<WorkKind, PanelWorkKind> = true;
export const ciStatesAgree: Same<CiState, PanelCiState> = true;

/**
 * What one redactor's snapshots reuse: a panel item per (immutable) queue entry and run record, so a new
 * queue revision redacts only the entries that changed, and the whole queue part per queue snapshot. Reset
 * when the redactor learns a secret, since every cached string may then need redacting again.
 */
interface SnapshotCache {
  secretCount: number;
  readonly tasks: WeakMap<QueueEntry, PanelTask>;
  readonly runs: WeakMap<RunRecord, PanelRun>;
  /** Runs whose branch a later run took over: the same run, without the Land actions. */
  readonly supersededRuns: WeakMap<RunRecord, PanelRun>;
  queueSource: QueueSnapshot | undefined;
  queue: NonNullable<PanelSnapshot['queue']> | undefined;
  /** The invalid-task items of the inbox, for `queue` (a scan of every task otherwise). */
  invalidItems: NeedsYouItem[];
  loopSource: AtoState['loop'] | undefined;
  loopOffReason: string | null;
  loop: { readonly loop: PanelSnapshot['loop']; readonly needsYou: readonly NeedsYouItem[] } | undefined;
}

const caches = new WeakMap<Redactor, SnapshotCache>();

function cacheFor(redactor: Redactor): SnapshotCache {
  let cache = caches.get(redactor);
  if (cache?.secretCount !== redactor.knownSecretCount) {
    cache = {
      secretCount: redactor.knownSecretCount, tasks: new WeakMap(), runs: new WeakMap(), supersededRuns: new WeakMap(), queueSource: undefined, queue: undefined, invalidItems: [],
      loopSource: undefined, loopOffReason: null, loop: undefined,
    };
    caches.set(redactor, cache);
  }
  return cache;
}

/**
 * The full snapshot the control panel renders, built from the store. Pure (its cache only saves work);
 * every string that can quote anything (titles, paths, messages, ids) is redacted.
 */
export function buildPanelSnapshot(state: AtoState, redactor: Redactor): PanelSnapshot {
  const cache = cacheFor(redactor);
  const github = state.auth.github;
  const head = redactor.redactValue({
    workspaceName: state.workspaceName ?? null,
    planning: state.planning.kind === 'partial'
      ? { ...state.planning, missing: [...state.planning.missing] }
      : state.planning.kind === 'ready' && shownQueue(state).queue !== undefined ? { ...state.planning, queue: { ...queueTallyOf(shownQueue(state).queue) } } : state.planning,
    githubAccount: github.kind === 'session' ? github.account : null,
    settingsProblems: state.settingsProblems.map(problem => ({ ...problem })),
  });
  // The queue the loop reads in GitHub mode (its planning branch), the working tree's otherwise.
  const shown = shownQueue(state);
  const listed = shown.queue === undefined ? null : queueSnapshot(shown.queue, redactor, cache);
  const queue = listed === null || shown.source === undefined ? listed : withSource(listed, redactor.redactValue({ ...shown.source }), shown, redactor);
  const runs = runSnapshots(state.runs, redactor, cache);
  const loop = cachedLoop(state, redactor, cache);
  return {
    workspaceName: head.workspaceName,
    trusted: state.trusted,
    planning: head.planning,
    auth: { github: github.kind, githubAccount: head.githubAccount, gitlab: state.auth.gitlab, jules: state.auth.jules, anthropic: state.auth.anthropic },
    settingsProblems: head.settingsProblems,
    queue,
    runs,
    needsYou: [...loop.needsYou, ...runNeedsYou(state.runs, runs, requeueableRuns(state), julesAgents(state), taskTitles(shown.queue), redactor), ...runRecordItems(state.runProblems, redactor), ...(queue === null ? [] : cache.invalidItems)],
    loop: loop.loop,
    agents: panelAgents(state.agents, redactor),
  };
}

const sourced = new WeakMap<NonNullable<PanelSnapshot['queue']>, { readonly key: string; readonly queue: NonNullable<PanelSnapshot['queue']> }>();

/**
 * The queue part with where it was read, and which of its files the working tree does not have (each such row
 * says so and links to the file on GitHub); the same object while none of it changes (the update encoder
 * compares identity).
 */
function withSource(listed: NonNullable<PanelSnapshot['queue']>, source: NonNullable<NonNullable<PanelSnapshot['queue']>['source']>, shown: ShownQueue, redactor: Redactor): NonNullable<PanelSnapshot['queue']> {
  const missing = shown.notInCheckout;
  const key = `${JSON.stringify(source)}\n${[...missing].join('\n')}\n${missing.size === 0 ? '' : shown.fileUrl('') ?? ''}`;
  const known = sourced.get(listed);
  if (known?.key === key) return known.queue;
  const items = missing.size === 0 ? listed.items : listed.items.map(item => {
    if (!missing.has(item.path)) return item;
    const url = shown.fileUrl(item.path);
    // A link that quotes a secret is dropped rather than redacted: a redacted URL is no URL.
    return url !== undefined && isExternalUrl(url) && redactor.redact(url) === url ? { ...item, inCheckout: false, url } : { ...item, inCheckout: false };
  });
  const queue = { ...listed, items, source };
  sourced.set(listed, { key, queue });
  return queue;
}

/** The loop part changes only with the loop state (and the reason it is off): reused otherwise. */
function cachedLoop(state: AtoState, redactor: Redactor, cache: SnapshotCache): NonNullable<SnapshotCache['loop']> {
  const offReason = loopNotRunningReason(state) ?? null;
  if (cache.loop !== undefined && cache.loopSource === state.loop && cache.loopOffReason === offReason) return cache.loop;
  const built = loopSnapshot(state.loop, offReason, redactor);
  cache.loopSource = state.loop;
  cache.loopOffReason = offReason;
  cache.loop = built;
  return built;
}

function queueSnapshot(source: QueueSnapshot, redactor: Redactor, cache: SnapshotCache): NonNullable<PanelSnapshot['queue']> {
  if (cache.queueSource === source && cache.queue !== undefined) return cache.queue;
  const blocked = new Map<QueueEntry, string>();
  for (const { entry, reason } of source.pending.blocked) blocked.set(entry, describeBlockReason(reason, entry.result.task.id));
  const entries: QueueEntry[] = [...source.pending.ready, ...source.pending.blocked.map(task => task.entry), ...source.processed, ...source.complete, ...source.invalid];
  const items = new Array<PanelTask>(entries.length);
  const fresh: { readonly index: number; readonly task: PanelTask }[] = [];
  for (const [index, entry] of entries.entries()) {
    const known = cache.tasks.get(entry);
    if (known !== undefined) items[index] = known;
    else fresh.push({ index, task: panelTask(entry, blocked.get(entry) ?? null) });
  }
  // One redaction pass over all new strings instead of one per string.
  const redacted = redactMany(redactor, fresh.flatMap(({ task }) => [task.id, task.title, task.path, task.firstError ?? '', task.agent ?? '', task.blocked ?? '']));
  for (const [position, { index, task }] of fresh.entries()) {
    const at = position * 6;
    const text = (offset: number): string => redacted[at + offset] ?? '';
    const done: PanelTask = {
      ...task,
      id: text(0),
      title: text(1),
      path: text(2),
      firstError: task.firstError === null ? null : text(3),
      agent: task.agent === null ? null : text(4),
      blocked: task.blocked === null ? null : text(5),
    };
    const entry = entries[index];
    if (entry !== undefined) cache.tasks.set(entry, done);
    items[index] = done;
  }
  const result = {
    revision: source.revision,
    counts: { ...source.counts, invalid: source.invalid.length },
    items,
  };
  cache.queueSource = source;
  cache.queue = result;
  cache.invalidItems = invalidTaskItems(items);
  return result;
}

/**
 * The longest text of each task field the panel gets: a snapshot holds every task, so no field may grow
 * with what a task file (or the rest of the queue) holds. Paths stay whole: actions open them.
 */
export const panelTaskTextLimits = { id: 200, title: 300, firstError: 1000, agent: 100, blocked: 500 } as const;

function panelTask(entry: QueueEntry, blocked: string | null): PanelTask {
  const task = isValidQueueEntry(entry) ? entry.result.task : undefined;
  const diagnostics = entry.result.diagnostics;
  const firstError = task === undefined ? diagnostics.find(d => d.severity === 'error')?.message ?? 'The file could not be read as a task.' : null;
  return {
    id: clipText(queueEntryId(entry), panelTaskTextLimits.id),
    title: clipText(task?.title ?? entry.fileName, panelTaskTextLimits.title),
    folder: entry.folder,
    valid: task !== undefined,
    diagnostics: diagnostics.length,
    firstError: firstError === null ? null : clipText(firstError, panelTaskTextLimits.firstError),
    priority: task?.priority ?? null,
    type: task?.type ?? null,
    agent: task?.agent === undefined ? null : clipText(task.agent, panelTaskTextLimits.agent),
    blocked: blocked === null ? null : clipText(blocked, panelTaskTextLimits.blocked),
    path: entry.relativePath,
    mtime: new Date(entry.mtimeMs).toISOString(),
  };
}

function runSnapshots(records: readonly RunRecord[], redactor: Redactor, cache: SnapshotCache): PanelRun[] {
  const landable = landableRuns(records);
  return records.map(record => {
    if (isLandable(record) && !landable.has(record.runId)) {
      let superseded = cache.supersededRuns.get(record);
      if (superseded === undefined) {
        superseded = { ...runSnapshot(record, redactor, cache), landable: false };
        cache.supersededRuns.set(record, superseded);
      }
      return superseded;
    }
    return runSnapshot(record, redactor, cache);
  });
}

function runSnapshot(record: RunRecord, redactor: Redactor, cache: SnapshotCache): PanelRun {
  let run = cache.runs.get(record);
  if (run === undefined) {
    run = redactor.redactValue<PanelRun>({
      runId: record.runId,
      taskId: record.taskId,
      agentId: record.agentId,
      state: record.state,
      startedAt: record.startedAt,
      endedAt: record.endedAt ?? null,
      costUsd: record.usage.costUsd ?? null,
      turns: record.usage.turns ?? null,
      branch: record.branch ?? null,
      failure: record.failure === undefined ? null : { class: record.failure.class, message: record.failure.message },
      summary: record.summary ?? null,
      ...(isLandable(record) ? { landable: true } : {}),
      ...(record.landing === undefined ? {} : { landing: record.landing.detail }),
    });
    cache.runs.set(record, run);
  }
  return run;
}

/**
 * Runs a human must act on: tasks whose latest run failed (no retry left: a retry would be a newer
 * record) — with a one-click Requeue when the task waits in processed/ — and runs waiting for an answer.
 * Built from already-redacted items.
 */
function runNeedsYou(records: readonly RunRecord[], runs: readonly PanelRun[], requeueable: ReadonlyMap<string, unknown>, jules: ReadonlySet<string>, titles: ReadonlyMap<string, string>, redactor: Redactor): NeedsYouItem[] {
  const items: NeedsYouItem[] = [];
  const latestByTask = new Set<string>();
  for (const [index, record] of records.entries()) {
    const run = runs[index];
    if (run === undefined) continue;
    const latest = !latestByTask.has(record.taskId);
    latestByTask.add(record.taskId);
    // The task by its title and id, as the queue and the Runs list name it (redacted like the id).
    const title = titles.get(record.taskId);
    const task = taskNameText(run.taskId, title === undefined ? undefined : redactor.redact(clipText(title, panelTaskTextLimits.title)));
    if (run.state === 'needsYou' && jules.has(record.agentId) && run.failure === null) {
      // A Jules run waits in needsYou for its plan: the reason carries the plan's summary (redacted like the run).
      const reason = redactor.redact(record.history.at(-1)?.reason ?? '');
      items.push({ kind: 'planAwaitingApproval', key: run.runId, title: `${run.agentId} asks you to approve its plan for ${task}`, detail: clipText(reason, planSummaryLimit), label: 'Approve plan', action: { type: 'approvePlan', taskId: run.taskId }, url: null });
    } else if (run.state === 'needsYou') {
      const reason = record.history.at(-1)?.reason ?? '';
      items.push({ kind: 'runNeedsYou', key: run.runId, title: `${run.agentId} needs you on ${task}`, detail: run.failure?.message ?? reason, label: 'Show Log', action: runLog(run.runId), url: null });
    } else if (run.state === 'failed' && latest && waitsForAHuman(record)) {
      // The (redacted) task id the panel shows, as the queue's Dispatch Now names its task.
      const requeue = requeueable.has(record.runId);
      // A run stopped at its task's budget_usd goes on with a higher budget, not from the start.
      const raise = requeue && record.failure?.class === 'budget';
      const action: NeedsYouItem['action'] = raise ? { type: 'raiseBudget', taskId: run.taskId } : requeue ? { type: 'requeueTask', taskId: run.taskId } : runLog(run.runId);
      const label = raise ? 'Raise Budget and Resume' : requeue ? 'Requeue' : 'Show Log';
      items.push({ kind: 'runFailed', key: run.runId, title: `${task} failed on ${run.agentId}`, detail: `${run.failure === null ? 'The run failed.' : `${run.failure.class}: ${run.failure.message}`}${escalationNote(record)}`, label, action, url: null });
    }
  }
  return items;
}

/** The longest plan summary a needs-you item carries (the run log has all of it). */
export const planSummaryLimit = 2000;

/** The ids of the Jules agents: their runs wait in needsYou for plan approval. */
function julesAgents(state: AtoState): ReadonlySet<string> {
  return new Set(state.agents.filter(agent => agent.kind === 'jules').map(agent => agent.id));
}

/** The agents as the panel shows them; every text is redacted (a health detail or an error can quote anything). */
function panelAgents(agents: AtoState['agents'], redactor: Redactor): PanelAgent[] {
  return agents.filter(agent => panelAgentIdPattern.test(agent.id)).map(summary => {
    const agent = agentFields(summary);
    return redactor.redactValue<PanelAgent>({
      ...agent,
      healthDetail: clipText(agent.healthDetail, agentTextLimit),
      lastError: agent.lastError === null ? null : clipText(agent.lastError, agentTextLimit),
      window: agent.window === null ? null : { closedUntil: agent.window.closedUntil, reason: clipText(agent.window.reason, agentTextLimit) },
    });
  });
}

const agentTextLimit = 1000;

/** Run records that could not be read: each is reported, with a way to open the file. */
function runRecordItems(problems: readonly RunRecordProblem[], redactor: Redactor): NeedsYouItem[] {
  return problems.map(problem => {
    const { title, detail } = describeRunRecordProblem(problem);
    return { kind: 'corruptRunRecord', key: problem.runId, title: redactor.redact(title), detail: redactor.redact(detail), label: 'Open', action: panelRunIdPattern.test(problem.runId) ? { type: 'openRunRecord', runId: problem.runId } : null, url: null };
  });
}

/** Invalid task files, from the (already redacted) queue items. */
function invalidTaskItems(tasks: readonly PanelTask[]): NeedsYouItem[] {
  const items: NeedsYouItem[] = [];
  for (const task of tasks) {
    if (!task.valid) items.push({ kind: 'invalidTask', key: task.path, title: `Invalid task file ${task.title}`, detail: task.firstError ?? '', label: 'Open', action: queuePathPattern.test(task.path) ? { type: 'openTask', path: task.path } : null, url: null });
  }
  return items;
}

/** What escalation did, after the error: " · priority raised to high · issue #12". */
function escalationNote(record: RunRecord): string {
  const escalation = record.escalation;
  if (escalation === undefined) return '';
  const priority = escalation.priorityTo === escalation.priorityFrom ? '' : ` · priority raised to ${escalation.priorityTo}`;
  return `${priority}${escalation.issue === undefined ? '' : ` · issue #${String(escalation.issue.number)}`}`;
}

/** A failed run needs a human unless another try is already scheduled (a retry, or the next agent) or a human requeued its task. */
export function waitsForAHuman(record: RunRecord): boolean {
  const next = record.followUp?.kind;
  return next !== 'retry' && next !== 'nextAgent' && next !== 'requeued';
}

function runLog(runId: string): NeedsYouItem['action'] {
  return panelRunIdPattern.test(runId) ? { type: 'showRunLog', runId } : null;
}

/** Joins with NUL, which no pattern or sensible secret spans; if a match did consume one, redacts one by one. */
const separator = '\u0000';

/** `redactor.redact` over many strings in one pass per pattern, with exactly the same result. */
export function redactMany(redactor: Redactor, texts: readonly string[]): string[] {
  if (texts.length === 0) return [];
  const joined = texts.join(separator);
  const parts = redactor.redact(joined).split(separator);
  // A separator inside a text, or a match across two texts, changes the count: fall back.
  if (parts.length === texts.length && !texts.some(text => text.includes(separator))) return parts;
  return texts.map(text => redactor.redact(text));
}
